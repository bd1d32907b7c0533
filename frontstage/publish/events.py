"""Reading the event log into the plain rows `frontstage.publish.figures` takes.

A case may move between units (an accepted referral or escalation): each event is counted at
the unit that held the case after it, found by replaying the REFERRAL_ANSWERED events, not
from the case's unit today, so moving a case later never changes an earlier period's figures.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Q

from frontstage.audit.models import AuditEvent
from frontstage.cases.models import Case, CaseEvent, CaseEventKind, Referral
from frontstage.publish.figures import Computed, Event, Period, Post, compute
from frontstage.units.models import Unit
from frontstage.units.scope import descendants_of


def units_below(unit: Unit) -> list[str]:
    """Slugs of `unit` and every unit below it: what its report rolls up."""
    ids = descendants_of(unit)
    return sorted(Unit.objects.filter(pk__in=ids).values_list("slug", flat=True))


def compute_for(unit: Unit, period: Period, *, own_only: bool = False) -> Computed:
    """The figures of `unit` for `period`: rolled up over the units below it, or of the unit
    alone with `own_only`."""
    slugs = [unit.slug] if own_only else units_below(unit)
    return compute(
        read_events(slugs, period),
        period=period,
        unit=unit.slug,
        units=slugs,
        posts=read_posts(slugs, period),
        delivered=delivered_puids(),
    )


def read_events(slugs: list[str], period: Period) -> list[Event]:
    """Every event before the period's end of every case that was ever at one of `slugs`."""
    unit_ids = list(Unit.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    moved = Referral.objects.filter(Q(from_unit_id__in=unit_ids) | Q(to_unit_id__in=unit_ids))
    cases = set(Case.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True))
    cases |= set(moved.values_list("case_id", flat=True))
    current = dict(Case.objects.filter(pk__in=cases).values_list("pk", "unit__slug"))
    rows = (
        CaseEvent.objects.filter(case_id__in=cases, at__lt=period.end)
        .order_by("case_id", "at", "id")
        .values("id", "case_id", "at", "kind", "actor_id", "payload")
    )
    by_case: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_case[row["case_id"]].append(dict(row))
    events: list[Event] = []
    for case_id, history in sorted(by_case.items()):
        events.extend(_replayed(case_id, history, current[case_id]))
    return events


def _replayed(case_id: int, history: list[dict[str, Any]], unit_now: str) -> list[Event]:
    answers = [r["payload"] for r in history if _accepted(r)]
    unit = str(answers[0].get("from_unit", unit_now)) if answers else unit_now
    # When an event came before the case had a category, the first one it got is used, so
    # that reports are counted under what they turned out to be about.
    first = next((c for r in history if (c := _category(r))), "")
    category = ""
    events = []
    for row in history:
        category = _category(row) or category
        if _accepted(row):
            unit = str(row["payload"].get("to_unit", unit))
        events.append(
            Event(
                id=row["id"],
                case=f"C-{case_id:06d}",
                unit=unit,
                at=row["at"],
                kind=row["kind"],
                category=category or first,
                by_person=row["actor_id"] is not None,
                payload=row["payload"] if isinstance(row["payload"], dict) else {},
            )
        )
    return events


def _accepted(row: dict[str, Any]) -> bool:
    payload = row["payload"] if isinstance(row["payload"], dict) else {}
    return row["kind"] == CaseEventKind.REFERRAL_ANSWERED and bool(payload.get("accepted"))


def _category(row: dict[str, Any]) -> str:
    payload = row["payload"] if isinstance(row["payload"], dict) else {}
    if row["kind"] in (CaseEventKind.OPENED, CaseEventKind.TRIAGED):
        return str(payload.get("category") or "")
    return ""


def read_posts(slugs: list[str], period: Period) -> list[Post]:
    """Case reports and advisories published in the period (withdrawn later or not: they
    were published), from their "publication.approved" audit events."""
    rows = AuditEvent.objects.filter(
        action="publication.approved",
        unit__slug__in=slugs,
        at__gte=period.start,
        at__lt=period.end,
    ).values_list("object_id", "unit__slug", "payload", "at")
    return [
        Post(f"P-{int(pk):06d}", slug, str(payload.get("kind", "")), at)
        for pk, slug, payload, at in rows
    ]


def delivered_puids() -> set[str]:
    """PUIDs of the statements the DSA Transparency Database has (delivered or duplicate),
    from the "statement.delivered" audit events."""
    events = AuditEvent.objects.filter(action="statement.delivered")
    return {str(payload.get("puid")) for payload in events.values_list("payload", flat=True)}
