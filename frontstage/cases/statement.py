"""The content of a statement of reasons (DSA Art. 17), built from plain values. Pure: the
action `issue_statement` gathers the values and freezes the result in StatementOfReasons.content;
the affected user's page renders it and the Transparency Database export maps it.

The content holds both languages wherever text is the unit's own (names, legal grounds), so the
page can show it in the language the reader picks. Facts and explanation are written once, by the
analyst, in the language they decided in."""

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

AUTOMATED_DECISION = "not_automated"  # every decision here is made by a person
AUTOMATED_SOURCES = frozenset({"patrol"})
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class UnitLike(Protocol):
    slug: str
    name_en: str
    name_zh: str
    region_codes: Any


class CategoryLike(Protocol):
    code: str
    name_en: str
    name_zh: str
    dsa_category: str


class GroundLike(Protocol):
    reference: str
    title_en: str
    title_zh: str
    elements_en: str
    elements_zh: str
    url: str


def puid_for(unit_slug: str, sanction_id: int) -> str:
    """The statement's stable identifier for the Transparency Database, `[A-Za-z0-9_-]` only:
    `south-S000042`."""
    return _UNSAFE.sub("-", f"{unit_slug}-S{sanction_id:06d}")


def statement_content(
    *,
    puid: str,
    unit: UnitLike,
    case_reference: str,
    sanction_kind: str,
    days: int | None,
    starts_at: datetime,
    ends_at: datetime | None,
    subject_kind: str,
    subject_key: str,
    category: CategoryLike,
    facts: str,
    explanation: str,
    legal_ground: GroundLike | None,
    report_sources: Iterable[str],
    automated_detection: bool,
    decided_at: datetime,
) -> dict[str, Any]:
    """The statement's fields, with exactly the keys documented in the README. `report_sources`
    are the sources of the case's reports (empty: the unit acted on its own initiative);
    `automated_detection` is true when patrol found the content, also when a patrol source is
    among `report_sources`."""
    sources = sorted(set(report_sources))
    return {
        "puid": puid,
        "unit": {"slug": unit.slug, "name_en": unit.name_en, "name_zh": unit.name_zh},
        "case": case_reference,
        "sanction": sanction_kind,
        "days": days,
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat() if ends_at is not None else None,
        "subject": {"kind": subject_kind, "key": subject_key},
        "category": {
            "code": category.code,
            "name_en": category.name_en,
            "name_zh": category.name_zh,
            "dsa_category": category.dsa_category,
        },
        "facts": facts,
        "explanation": explanation,
        "legal_ground": _ground(legal_ground),
        "source_types": sources,
        "automated_detection": bool(automated_detection or AUTOMATED_SOURCES & set(sources)),
        "automated_decision": AUTOMATED_DECISION,
        "territory": _codes(unit.region_codes),
        "decided_at": decided_at.isoformat(),
    }


def _ground(ground: GroundLike | None) -> dict[str, str]:
    fields = ("reference", "title_en", "title_zh", "elements_en", "elements_zh", "url")
    return {field: getattr(ground, field, "") if ground is not None else "" for field in fields}


def _codes(codes: Sequence[str] | None) -> list[str]:
    return [str(code) for code in codes or []]
