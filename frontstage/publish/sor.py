"""A statement of reasons as the EU DSA Transparency Database wants it. Pure: no Django import.

`tdb_statement(content, ...)` maps the frozen `StatementOfReasons.content` (see
frontstage/cases/statement.py) and a few facts the content does not hold to the database's
schema: keys, never labels. The result is normalised (frontstage.publish.sor_validate) but not
validated; the export validates it before writing. Text that could carry personal data (facts,
explanation) goes through the `clean` function the caller passes, so no caller can forget it
(Art. 24(5): no personal data in the database).

Choices the schema leaves to us, and why:
- warn → DECISION_VISIBILITY_OTHER "warning": the affected user was given a statement of reasons,
  so the database gets it too; a warning restricts nothing, so it is "other", said in words.
- suspend_permanently → DECISION_ACCOUNT_TERMINATED; suspend → DECISION_ACCOUNT_SUSPENDED with
  its end date; a content measure with an end date sets end_date_visibility_restriction.
- prosecute has no statement (telling a suspect would warn them off); if one turns up it is
  refused with a reason rather than guessed at.
- content_type: a URL is a web page, sent as TEXT (we do not record whether it was mostly image
  or video); other subjects are CONTENT_TYPE_OTHER with what they are in words.
- source_type: of the case's report sources the strongest notice wins: trusted flagger, then
  a public notice (Art. 16), then an authority's order; none or patrol only is own initiative.
- territorial_scope: the unit's region codes (CN-GD …) filtered to the 30 EEA codes: for our
  units that is empty, so the field is left out (null: the database accepts it, §3.5).
- A null field is left out rather than sent as null: the database treats both alike.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from frontstage.publish.sor_validate import normalise

VISIBILITY = {
    "remove": "DECISION_VISIBILITY_CONTENT_REMOVED",
    "disable": "DECISION_VISIBILITY_CONTENT_DISABLED",
    "restrict": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "label": "DECISION_VISIBILITY_CONTENT_LABELLED",
    "warn": "DECISION_VISIBILITY_OTHER",
}
ACCOUNT = {
    "suspend": "DECISION_ACCOUNT_SUSPENDED",
    "suspend_permanently": "DECISION_ACCOUNT_TERMINATED",
}
WARNING = "Warning to the account holder (a strike); the content and the account stay available."
CONTENT_TYPES = {"url": "CONTENT_TYPE_TEXT"}
OTHER_CONTENT = {
    "account": "account",
    "phone": "phone number",
    "domain": "website (domain)",
    "wallet": "payment wallet",
    "other": "other",
}
# Strongest first; a case with none of these was taken up on the unit's own initiative.
SOURCES = (
    ("trusted_flagger", "SOURCE_TRUSTED_FLAGGER"),
    ("public", "SOURCE_ARTICLE_16"),
    ("authority_order", "SOURCE_TYPE_OTHER_NOTIFICATION"),
)
VOLUNTARY = "SOURCE_VOLUNTARY"
AUTOMATED = {
    "not_automated": "AUTOMATED_DECISION_NOT_AUTOMATED",
    "partially": "AUTOMATED_DECISION_PARTIALLY",
    "fully": "AUTOMATED_DECISION_FULLY",
}
LIMITS = {"illegal_content_legal_ground": 500, "illegal_content_explanation": 2000}


class NotExportable(Exception):
    """The statement cannot be sent; the message says why, for the export's list."""


def tdb_statement(
    content: Mapping[str, Any],
    *,
    clean: Callable[[str], str],
    keywords: Sequence[str] = (),
    content_date: date | None = None,
    content_language: str | None = None,
    organisations: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The database's statement for `content`. `keywords` are the category's DSA keywords;
    `content_date` is when the content was first reported (the decision's date when unknown);
    `content_language` a language code (ISO 639-1 first) or None; `organisations` the name of
    the organisation behind the notices of a source (trusted_flagger, authority_order), sent as
    source_identity; a public notice's sender is a person and is never named. Raises
    NotExportable for a sanction with no DSA meaning."""
    kind = content.get("sanction")
    if kind not in VISIBILITY and kind not in ACCOUNT:
        raise NotExportable(f"sanction {kind!r} has no statement in the DSA database")
    starts = _day(content["starts_at"])
    ends = _day(content["ends_at"]) if content.get("ends_at") else None
    statement: dict[str, Any] = {"puid": content["puid"]}
    if kind in VISIBILITY:
        statement["decision_visibility"] = [VISIBILITY[kind]]
        if kind == "warn":
            statement["decision_visibility_other"] = WARNING
        elif ends is not None:
            statement["end_date_visibility_restriction"] = ends
    else:
        statement["decision_account"] = ACCOUNT[kind]
        if kind == "suspend" and ends is not None:
            statement["end_date_account_restriction"] = ends
    statement.update(_ground(content, clean))
    statement.update(_what(content, keywords))
    statement.update(_source(content.get("source_types") or [], organisations or {}))
    decided = _day(content["decided_at"])
    statement.update(
        {
            "territorial_scope": [
                str(code).split("-")[0] for code in content.get("territory") or []
            ],
            "content_language": content_language.split("-")[0].upper()
            if content_language
            else None,
            "content_date": content_date.isoformat() if content_date else decided,
            "application_date": starts,
            "decision_facts": _cut(clean(content.get("facts") or ""), 5000),
            "automated_detection": "Yes" if content.get("automated_detection") else "No",
            "automated_decision": AUTOMATED.get(content.get("automated_decision") or "", ""),
        }
    )
    return {k: v for k, v in normalise(statement).items() if v is not None}


def _ground(content: Mapping[str, Any], clean: Callable[[str], str]) -> dict[str, Any]:
    """Our decisions rest on law, never on terms of service: always the illegal-content branch.
    Without an explanation of its own, the ground's elements say why such content is illegal."""
    ground = content.get("legal_ground") or {}
    reference = " — ".join(p for p in (ground.get("reference"), ground.get("title_en")) if p)
    explanation = clean(content.get("explanation") or "") or ground.get("elements_en") or ""
    return {
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "decision_ground_reference_url": ground.get("url") or None,
        "illegal_content_legal_ground": _cut(reference, LIMITS["illegal_content_legal_ground"]),
        "illegal_content_explanation": _cut(explanation, LIMITS["illegal_content_explanation"]),
    }


def _what(content: Mapping[str, Any], keywords: Sequence[str]) -> dict[str, Any]:
    subject = (content.get("subject") or {}).get("kind", "other")
    category = content.get("category") or {}
    found: dict[str, Any] = {
        "category": category.get("dsa_category"),
        "category_specification": list(keywords) or None,
    }
    if subject in CONTENT_TYPES:
        found["content_type"] = [CONTENT_TYPES[subject]]
    else:
        found["content_type"] = ["CONTENT_TYPE_OTHER"]
        found["content_type_other"] = OTHER_CONTENT.get(subject, "other")
    if "KEYWORD_OTHER" in keywords:
        # The schema has no keyword for some of our categories (illegal gambling): name it.
        found["category_specification_other"] = category.get("name_en") or None
    return found


def _source(sources: Sequence[str], organisations: Mapping[str, str]) -> dict[str, Any]:
    for source, source_type in SOURCES:
        if source in sources:
            identity = organisations.get(source, "") if source != "public" else ""
            return {"source_type": source_type, "source_identity": _cut(identity, 500) or None}
    return {"source_type": VOLUNTARY}


def _day(value: str) -> str:
    return datetime.fromisoformat(value).date().isoformat()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
