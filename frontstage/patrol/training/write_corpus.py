"""Writes the training corpus from the templates the project wrote (templates/*.yaml):

    .venv/bin/python -m frontstage.patrol.training.write_corpus

One JSONL file per template file in corpus/, lines `{"id", "text", "lang", "label"}`. Ids read
`FILE.LANG.GROUP.N`: a group is one template (or four hand-written sentences), and the trainer
splits train from validation by group, so validation posts are worded by templates the heads
never saw. The same templates and seed always give the same files, byte for byte.

corpus/hand_*.jsonl (posts written one by one) and corpus/heldout*.jsonl (held-out posts,
which nothing trains on) are written by hand and never by this script.
"""

import json
import random
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import opencc
import yaml

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
CORPUS = HERE / "corpus"
SEED = 20261127
SENTENCES_PER_GROUP = 4
_SLOT = re.compile(r"\{(\w+)\}")
_S2T = opencc.OpenCC("s2t")
# One in this many posts is written with an evasion trick; the engine normalises most of them
# away before embedding, and the rest are what the heads must learn to read through.
_EVADE_ONE_IN = 4
_TRADITIONAL_ONE_IN = 5  # Chinese posts written in Traditional characters
_LOOKALIKES = str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х"})
_LEET = str.maketrans({"o": "0", "e": "3", "a": "@", "i": "1", "s": "$"})
_DECOR_EN = ["", "", "", "🔥 ", "‼️ ", "✅ ", "💯 "]
_DECOR_END = ["", "", "", " 🔥🔥", " !!!", " 💰", " 👇", " #dm"]
_DECOR_ZH = ["", "", "", "【好消息】", "🔥", "✅", "💰"]


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    seen: set[str] = set()
    for path in sorted(TEMPLATES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text("utf-8"))
        rng = random.Random(f"{SEED}:{path.stem}")  # noqa: S311 - repeatable data, not secrets
        rows = list(_posts(path.stem, spec, rng, seen))
        lines = (json.dumps(row, ensure_ascii=False) for row in rows)
        (CORPUS / f"{path.stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.stem}: {len(rows)} posts")


def _posts(
    stem: str, spec: Mapping[str, Any], rng: random.Random, seen: set[str]
) -> Iterator[dict[str, str]]:
    label = spec["label"]
    variants = int(spec.get("variants", 16))
    for lang in ("en", "zh"):
        part = spec[lang]
        slots: Mapping[str, list[str]] = part.get("slots", {})
        for number, template in enumerate(part.get("templates", [])):
            group = f"{stem}.{lang}.t{number:02d}"
            texts = _fill(template, slots, rng, variants)
            for n, text in enumerate(texts):
                written = _written(text, lang, rng, evade=label != "benign")
                if written not in seen:
                    seen.add(written)
                    yield {"id": f"{group}.{n:02d}", "text": written, "lang": lang, "label": label}
        for number, sentence in enumerate(part.get("sentences", [])):
            group = f"{stem}.{lang}.s{number // SENTENCES_PER_GROUP:02d}"
            forms = [sentence, _written(sentence, lang, rng, evade=label != "benign", force=True)]
            for n, text in enumerate(dict.fromkeys(forms)):
                if text not in seen:
                    seen.add(text)
                    row_id = f"{group}.{number % SENTENCES_PER_GROUP}{n}"
                    yield {"id": row_id, "text": text, "lang": lang, "label": label}


def _fill(
    template: str, slots: Mapping[str, list[str]], rng: random.Random, count: int
) -> list[str]:
    """Up to `count` distinct fillings of `template`, each slot drawn anew where it recurs."""
    found: dict[str, None] = {}
    for _ in range(count * 4):
        if len(found) == count:
            break
        found[_SLOT.sub(lambda m: rng.choice(slots[m[1]]), template)] = None
    return list(found)


def _written(text: str, lang: str, rng: random.Random, *, evade: bool, force: bool = False) -> str:
    """`text` as a poster might write it: decorated, sometimes evasive, sometimes Traditional."""
    if lang == "zh":
        if rng.randrange(_TRADITIONAL_ONE_IN) == 0:
            text = _S2T.convert(text)
        text = rng.choice(_DECOR_ZH) + text
    else:
        text = rng.choice(_DECOR_EN) + text + rng.choice(_DECOR_END)
        if rng.randrange(12) == 0:
            text = text.upper()
    # benign posts get the tricks too, now and then, so a trick alone is no sign of harm
    if force or rng.randrange(_EVADE_ONE_IN if evade else _EVADE_ONE_IN * 4) == 0:
        text = rng.choice(_EVASIONS)(text, lang, rng)
    return text


def _pick_word(text: str, lang: str, rng: random.Random) -> re.Match[str] | None:
    pattern = r"[\u4e00-\u9fff]{2,4}" if lang == "zh" else r"\b[A-Za-z]{4,9}\b"
    words = list(re.finditer(pattern, text))
    return rng.choice(words) if words else None


def _respell(
    change: Callable[[str, random.Random], str],
) -> Callable[[str, str, random.Random], str]:
    def evade(text: str, lang: str, rng: random.Random) -> str:
        word = _pick_word(text, lang, rng)
        if word is None:
            return text
        return text[: word.start()] + change(word[0], rng) + text[word.end() :]

    return evade


@_respell
def _spaced(word: str, rng: random.Random) -> str:
    return rng.choice([" ", ".", "*", " ", "-"]).join(word)


@_respell
def _lookalike(word: str, rng: random.Random) -> str:
    return word.translate(_LOOKALIKES)


@_respell
def _leet(word: str, rng: random.Random) -> str:
    return word.translate(_LEET)


@_respell
def _invisible(word: str, rng: random.Random) -> str:
    return "\u200b".join(word)


@_respell
def _fullwidth(word: str, rng: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)


_EVASIONS = [_spaced, _lookalike, _leet, _invisible, _fullwidth]


if __name__ == "__main__":
    main()
