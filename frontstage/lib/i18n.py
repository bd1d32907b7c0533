from django.utils.translation import get_language


def localised(english: str, chinese: str) -> str:
    """The Chinese text when the active language is Chinese and there is one, else English."""
    if chinese and (get_language() or "").startswith("zh"):
        return chinese
    return english
