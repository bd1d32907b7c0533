"""The pack the runner uses: the shipped files plus the active rule files units wrote in the
console, rebuilt in each process when any of those rows changes."""

from pathlib import Path
from typing import Any

import yaml
from django.db.models import Count, Max

from frontstage.patrol.engine import (
    SHIPPED_RULES,
    RulePack,
    RulePackError,
    build_pack,
    shipped_classifier,
)
from frontstage.patrol.models import UnitRuleFile

_cache: dict[str, Any] = {"key": None, "pack": None}


def current_pack() -> RulePack:
    rows = UnitRuleFile.objects.filter(active=True)
    state = rows.aggregate(n=Count("pk"), latest=Max("changed_at"), versions=Max("version"))
    key = (state["n"], state["latest"], state["versions"])
    if _cache["key"] != key:
        documents = [
            (f"{row.name}.yaml (console)", parse(row.content, row.version)) for row in rows
        ]
        _cache["pack"], _cache["key"] = pack_with(documents), key
    pack: RulePack = _cache["pack"]
    return pack


def pack_with(documents: list[tuple[str, object]]) -> RulePack:
    """The shipped files plus `documents`; raises RulePackError naming every problem."""
    shipped = [
        (path.name, _load(path.read_text("utf-8"))) for path in sorted(SHIPPED_RULES.glob("*.yaml"))
    ]
    return build_pack(
        [*shipped, *documents], base=Path(SHIPPED_RULES), classifier=shipped_classifier()
    )


def parse(content: str, version: int) -> object:
    """A console rule file as data, each of its rules given the file's version."""
    try:
        document = _load(content)
    except yaml.YAMLError as error:
        raise RulePackError([f"not valid YAML: {error}"]) from None
    if isinstance(document, dict):
        for rule in document.get("rules") or []:
            if isinstance(rule, dict):
                rule["version"] = version
    return document


def _load(text: str) -> object:
    return yaml.safe_load(text)
