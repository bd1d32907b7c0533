"""The project's own check of a statement of reasons against the rules of the EU DSA
Transparency Database (../shared/design/dsa-statement-of-reasons.md §3.2–3.5, schema of 1 July
2025). Pure: no Django import, so it runs anywhere and the tests need no database.

`normalise(statement)` does what the database does on save (dedupe and sort the arrays, filter
the territorial scope to the EEA, strip the main category from `category_addition`);
`validate(statement)` returns every broken rule as `(field, reason)`, empty when the statement
would be accepted. Where the database's documentation and its validator differ, the validator
wins (§3.5): `territorial_scope` is optional and end dates are not compared with the application
date. Stricter than the database on purpose: a `*_other` text or a ground field sent where the
database would silently drop it is an error (§3.4 rule 2), and so is an unknown field.

Reasons are in English: they are read by whoever runs the export, next to the database's own
English messages."""

import json
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent / "data"
PUID = re.compile(r"[A-Za-z0-9_-]+")
YMD = re.compile(r"\d{4}-\d{2}-\d{2}")
EAN_13 = re.compile(r"[0-9]{13}")
LAST_DAY = date(2038, 1, 1)
DECISIONS = ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")
ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
VOLUNTARY = "SOURCE_VOLUNTARY"
END_DATES = (
    "end_date_account_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_visibility_restriction",
)
# Every field the database reads; anything else is a mistake of ours.
FIELDS = frozenset(
    {
        *DECISIONS,
        "decision_visibility_other",
        "decision_monetary_other",
        "account_type",
        "decision_ground",
        "decision_ground_reference_url",
        "illegal_content_legal_ground",
        "illegal_content_explanation",
        "incompatible_content_ground",
        "incompatible_content_explanation",
        "incompatible_content_illegal",
        "content_type",
        "content_type_other",
        "category",
        "category_addition",
        "category_specification",
        "category_specification_other",
        "territorial_scope",
        "content_language",
        "content_date",
        "application_date",
        *END_DATES,
        "decision_facts",
        "source_type",
        "source_identity",
        "automated_detection",
        "automated_decision",
        "puid",
        "content_id",
    }
)

Problem = tuple[str, str]


@cache
def enums() -> dict[str, frozenset[str]]:
    """The accepted keys of every enum, plus CONTENT_LANGUAGES and EEA_COUNTRIES."""
    found: dict[str, frozenset[str]] = {}
    for name in ("statement-enums.json", "statement-codes.json"):
        for key, values in json.loads((DATA / name).read_text(encoding="utf-8")).items():
            found[key] = frozenset(values)
    return found


def normalise(statement: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with the arrays as the database stores them; other fields untouched."""
    result = dict(statement)
    for field in ("content_type", "category_specification", "category_addition"):
        if isinstance(result.get(field), list):
            result[field] = sorted(set(result[field]))
    if isinstance(result.get("category_addition"), list):
        result["category_addition"] = [
            c for c in result["category_addition"] if c != result.get("category")
        ]
    scope = result.get("territorial_scope")
    if isinstance(scope, list):
        eea = enums()["EEA_COUNTRIES"]
        result["territorial_scope"] = sorted({c for c in scope if c in eea}) or None
    return result


def validate(statement: Mapping[str, Any]) -> list[Problem]:
    """Every rule `statement` breaks, as (field, reason), in field order of the schema."""
    s = statement
    problems: list[Problem] = [(f, "not a field of the schema") for f in s if f not in FIELDS]
    problems += _decisions(s)
    problems += _grounds(s)
    problems += _content(s)
    problems += _dates(s)
    problems += _source(s)
    problems += _text(s, "decision_facts", 5000, required=True)
    problems += _one_of(s, "automated_detection", "AUTOMATED_DETECTIONS", required=True)
    problems += _one_of(s, "automated_decision", "AUTOMATED_DECISIONS", required=True)
    problems += _text(s, "puid", 500, required=True)
    if isinstance(s.get("puid"), str) and s["puid"] and not PUID.fullmatch(s["puid"]):
        problems.append(("puid", "may hold only letters A-Z a-z, digits, - and _"))
    problems += _content_id(s)
    return problems


def _decisions(s: Mapping[str, Any]) -> list[Problem]:
    problems = _many(s, "decision_visibility", "DECISION_VISIBILITIES")
    problems += _one_of(s, "decision_monetary", "DECISION_MONETARIES")
    problems += _one_of(s, "decision_provision", "DECISION_PROVISIONS")
    problems += _one_of(s, "decision_account", "DECISION_ACCOUNTS")
    problems += _one_of(s, "account_type", "ACCOUNT_TYPES")
    if not any(_given(s.get(f)) for f in DECISIONS):
        problems.append(("decision_visibility", "at least one of " + ", ".join(DECISIONS)))
    visibility = s.get("decision_visibility")
    other = isinstance(visibility, list) and "DECISION_VISIBILITY_OTHER" in visibility
    problems += _only_with(s, "decision_visibility_other", other, 500, "DECISION_VISIBILITY_OTHER")
    monetary = s.get("decision_monetary") == "DECISION_MONETARY_OTHER"
    problems += _only_with(s, "decision_monetary_other", monetary, 500, "DECISION_MONETARY_OTHER")
    return problems


def _grounds(s: Mapping[str, Any]) -> list[Problem]:
    problems = _one_of(s, "decision_ground", "DECISION_GROUNDS", required=True)
    url = s.get("decision_ground_reference_url")
    if _given(url):
        problems += _text(s, "decision_ground_reference_url", 500)
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(("decision_ground_reference_url", "must be an http(s) URL"))
    illegal = s.get("decision_ground") == ILLEGAL
    incompatible = s.get("decision_ground") == INCOMPATIBLE
    problems += _only_with(s, "illegal_content_legal_ground", illegal, 500, ILLEGAL)
    problems += _only_with(s, "illegal_content_explanation", illegal, 2000, ILLEGAL)
    problems += _only_with(s, "incompatible_content_ground", incompatible, 500, INCOMPATIBLE)
    problems += _only_with(s, "incompatible_content_explanation", incompatible, 2000, INCOMPATIBLE)
    if _given(s.get("incompatible_content_illegal")):
        if not incompatible:
            problems.append(("incompatible_content_illegal", f"sent only with {INCOMPATIBLE}"))
        problems += _one_of(s, "incompatible_content_illegal", "INCOMPATIBLE_CONTENT_ILLEGALS")
    return problems


def _content(s: Mapping[str, Any]) -> list[Problem]:
    problems = _many(s, "content_type", "CONTENT_TYPES", required=True)
    types = s.get("content_type")
    other = isinstance(types, list) and "CONTENT_TYPE_OTHER" in types
    problems += _only_with(s, "content_type_other", other, 500, "CONTENT_TYPE_OTHER")
    problems += _one_of(s, "category", "STATEMENT_CATEGORIES", required=True)
    problems += _many(s, "category_addition", "STATEMENT_CATEGORIES")
    problems += _many(s, "category_specification", "KEYWORDS")
    keywords = s.get("category_specification")
    other = isinstance(keywords, list) and "KEYWORD_OTHER" in keywords
    if _given(s.get("category_specification_other")) and not other:
        problems.append(("category_specification_other", "sent only with KEYWORD_OTHER"))
    problems += _text(s, "category_specification_other", 500)
    problems += _many(s, "territorial_scope", "EEA_COUNTRIES")
    problems += _one_of(s, "content_language", "CONTENT_LANGUAGES")
    return problems


def _dates(s: Mapping[str, Any]) -> list[Problem]:
    problems = _date(s, "content_date", date(2000, 1, 1), required=True)
    problems += _date(s, "application_date", date(2020, 1, 1), required=True)
    for field in END_DATES:
        problems += _date(s, field, None)
    return problems


def _source(s: Mapping[str, Any]) -> list[Problem]:
    problems = _one_of(s, "source_type", "SOURCE_TYPES", required=True)
    if s.get("source_type") == VOLUNTARY and _given(s.get("source_identity")):
        problems.append(("source_identity", f"not sent with {VOLUNTARY}"))
    return problems + _text(s, "source_identity", 500)


def _content_id(s: Mapping[str, Any]) -> list[Problem]:
    value = s.get("content_id")
    if value is None:
        return []
    if not isinstance(value, dict):
        return [("content_id", "must be an object")]
    problems = [("content_id", f"unknown key {k!r}; only EAN-13") for k in value if k != "EAN-13"]
    ean = value.get("EAN-13")
    if ean is not None and not (isinstance(ean, str) and EAN_13.fullmatch(ean)):
        problems.append(("content_id.EAN-13", "must be 13 digits"))
    return problems


def _given(value: Any) -> bool:
    """Laravel's `required`: not null, not an empty string, not an empty array."""
    return value is not None and value != "" and value != []


def _one_of(
    s: Mapping[str, Any], field: str, enum: str, *, required: bool = False
) -> list[Problem]:
    value = s.get(field)
    if not _given(value):
        return [(field, "is required")] if required else []
    if not isinstance(value, str) or value not in enums()[enum]:
        return [(field, f"{value!r} is not one of {enum}")]
    return []


def _many(s: Mapping[str, Any], field: str, enum: str, *, required: bool = False) -> list[Problem]:
    value = s.get(field)
    if not _given(value):
        return [(field, "is required")] if required else []
    if not isinstance(value, list):
        return [(field, "must be an array")]
    accepted = enums()[enum]
    return [(field, f"{v!r} is not one of {enum}") for v in value if v not in accepted]


def _text(s: Mapping[str, Any], field: str, limit: int, *, required: bool = False) -> list[Problem]:
    value = s.get(field)
    if not _given(value):
        return [(field, "is required")] if required else []
    if not isinstance(value, str):
        return [(field, "must be text")]
    if len(value) > limit:
        return [(field, f"is {len(value)} characters long; at most {limit}")]
    return []


def _only_with(
    s: Mapping[str, Any], field: str, when: bool, limit: int, value: str
) -> list[Problem]:
    """A text the database requires exactly when `when` holds, and drops otherwise."""
    if when:
        return _text(s, field, limit, required=True)
    if _given(s.get(field)):
        return [(field, f"sent only with {value}")]
    return []


def _date(
    s: Mapping[str, Any], field: str, first: date | None, *, required: bool = False
) -> list[Problem]:
    value = s.get(field)
    if not _given(value):
        return [(field, "is required")] if required else []
    day = _ymd(value)
    if day is None:
        return [(field, f"{value!r} is not a date written YYYY-MM-DD")]
    if first is not None and day < first:
        return [(field, f"is before {first.isoformat()}")]
    if day > LAST_DAY:
        return [(field, f"is after {LAST_DAY.isoformat()}")]
    return []


def _ymd(value: Any) -> date | None:
    if not isinstance(value, str) or not YMD.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
