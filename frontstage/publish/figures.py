"""The figures of a transparency report, computed from plain event rows.

Pure: no Django, no database, no clock. `compute` gives the same figures for the same rows in
any order, so anyone holding the export of the event log can recompute a published report and
compare its digest. Times are UTC.

Each figure is either a count, `{"kind": "count", "additive": True, "total": n, "by": {key: n}}`,
or a median, `{"kind": "median", "additive": False, "hours": h | None, "count": n}`. Counts are
additive: the figure of a parent unit equals the sum of the figures of its units (each counted
on its own). Medians and distinct counts (`unique_subjects`) are not: a median of the whole is
not the sum, nor the median, of the medians of its parts.
"""

import csv
import hashlib
import io
import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

SCHEMA = 1
UNCATEGORISED = "uncategorised"
UNRECORDED = "unrecorded"


class Kind(StrEnum):
    """The case event kinds the figures read (the values of cases.models.CaseEventKind)."""

    OPENED = "opened"
    ASSIGNED = "assigned"
    DECIDED = "decided"
    REPORT_ADDED = "report_added"
    MOVED = "moved"
    TRIAGED = "triaged"
    REFERRED = "referred"
    REFERRAL_ANSWERED = "referral_answered"
    ESCALATED = "escalated"
    SANCTION_PROPOSED = "sanction_proposed"
    SANCTION_APPROVED = "sanction_approved"
    SANCTION_LIFTED = "sanction_lifted"
    ORDER = "order"
    APPEAL_FILED = "appeal_filed"
    APPEAL_DECIDED = "appeal_decided"


# The figures in the order a report shows them, grouped as transparency-figures.md lists them.
COUNTS = (
    "reports_by_source",
    "reports_by_category",
    "authority_orders_received",
    "cases_opened",
    "cases_closed",
    "cases_merged",
    "cases_pending",
    "decisions_by_outcome",
    "sanctions_by_kind",
    "sanctions_by_ground",
    "sanctions_by_category",
    "automated_detection",
    "automated_decision",
    "appeals_filed",
    "appeals_decided",
    "appeals_decided_automation_flagged",
    "sanctions_lifted",
    "orders_issued",
    "orders_answered",
    "referrals",
    "escalations",
    "referral_answers",
    "publications",
    "statements_of_reasons",
)
MEDIANS = ("time_to_acknowledge", "time_to_act", "order_compliance_time")
DISTINCT = ("unique_subjects",)
FIGURES = COUNTS + DISTINCT + MEDIANS

ORDER_ANSWERS = frozenset({"complied", "refused", "expired"})
CLOSED = "closed"
IN_EFFECT = "in_effect"
PROSECUTE = "prosecute"  # a referral for prosecution gets no statement of reasons


class PeriodError(ValueError):
    """`text` is not a period; the caller words the message for people."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC

    def __contains__(self, at: datetime) -> bool:
        return self.start <= at < self.end


def parse_period(text: str) -> Period:
    """`2026-Q3`, `2026-H1` or `2026` as a Period; raises PeriodError for anything else."""
    label = text.strip().upper()
    match = re.fullmatch(r"(\d{4})(?:-([QH])([1-4]))?", label)
    if match is None:
        raise PeriodError(text)
    year, part, number = int(match[1]), match[2], int(match[3] or 0)
    if (part == "H" and number > 2) or year < 1970:
        raise PeriodError(text)
    months = {"Q": 3, "H": 6}.get(part or "", 12)
    first = 1 + (number - 1) * months if part else 1
    start = datetime(year, first, 1, tzinfo=UTC)
    last = first + months
    end = datetime(year + (last - 1) // 12, (last - 1) % 12 + 1, 1, tzinfo=UTC)
    return Period(label, start, end)


@dataclass(frozen=True)
class Event:
    """One case event. `unit` is the slug of the unit holding the case after the event;
    `category` the case's category code then ("" when not yet known); `by_person` is False
    for events written by the system or a machine."""

    id: int
    case: str
    unit: str
    at: datetime
    kind: str
    category: str
    by_person: bool
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Post:
    """A case report or advisory put on a unit's channel."""

    reference: str
    unit: str
    kind: str
    published_at: datetime


@dataclass
class Computed:
    """The figures document (see `compute`) and, per figure, the rows behind it:
    (case or reference, time, breakdown, value), sorted."""

    document: dict[str, Any]
    rows: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return digest(self.document)


def digest(document: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of `document` (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(canonical(document).encode()).hexdigest()


def canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute(
    events: Iterable[Event],
    *,
    period: Period,
    unit: str,
    units: Iterable[str],
    posts: Iterable[Post] = (),
    delivered: Iterable[str] = (),
) -> Computed:
    """The figures of `units` (slugs; the report's `unit` and every unit below it) for
    `period`. `events` must hold every event of the cases concerned up to the period's end
    (earlier ones give opening times and link appeals to sanctions); events of other units
    are read for those links only. `delivered` holds the PUIDs of statements the DSA
    database has received."""
    scope = frozenset(units)
    tally = _Tally()
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    history = _History(ordered, period)
    for event in ordered:
        if event.at >= period.end:
            break
        if event.at in period and event.unit in scope:
            _count(event, tally, history, frozenset(delivered))
    for case, (status, event) in sorted(history.status_at_end.items()):
        if event.unit in scope and status != CLOSED:
            tally.add("cases_pending", status, case, event.at)
    for post in sorted(posts, key=lambda p: (p.published_at, p.reference)):
        if post.unit in scope and post.published_at in period:
            tally.add("publications", post.kind, post.reference, post.published_at)
    document = {
        "schema": SCHEMA,
        "unit": unit,
        "units": sorted(scope),
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "timezone": "UTC",
        "figures": tally.figures(),
    }
    return Computed(document, tally.sorted_rows())


def _count(event: Event, tally: "_Tally", history: "_History", delivered: frozenset[str]) -> None:
    p, add = event.payload, tally.add
    category = event.category or UNCATEGORISED
    if event.kind == Kind.REPORT_ADDED:
        add("reports_by_source", str(p.get("source", UNRECORDED)), event.case, event.at)
        add("reports_by_category", category, event.case, event.at)
        if p.get("source") == "authority_order":
            add("authority_orders_received", category, event.case, event.at)
    elif event.kind == Kind.OPENED:
        add("cases_opened", category, event.case, event.at)
        for subject in p.get("subjects") or []:
            # The kind only: subject keys may be phone numbers or account names.
            tally.distinct("unique_subjects", str(subject).split(":", 1)[0], subject, event)
    elif event.kind == Kind.MOVED and event.payload.get("to") == CLOSED:
        merged = "merged_into" in p
        add("cases_merged" if merged else "cases_closed", category, event.case, event.at)
    elif event.kind == Kind.DECIDED:
        add("decisions_by_outcome", str(p.get("outcome", UNRECORDED)), event.case, event.at)
        if history.first_decided.get(event.case) == event.id:
            tally.median("time_to_act", history.hours_since_opened(event), event)
    elif _takes_effect(event):
        _sanction(event, tally, delivered)
    elif event.kind == Kind.SANCTION_LIFTED:
        on_appeal = p.get("sanction") in history.reversed_sanctions
        add("sanctions_lifted", "on_appeal" if on_appeal else "proactive", event.case, event.at)
    elif event.kind == Kind.APPEAL_FILED:
        add("appeals_filed", history.detection(p.get("sanction")), event.case, event.at)
    elif event.kind == Kind.APPEAL_DECIDED:
        status = str(p.get("status", UNRECORDED))
        add("appeals_decided", status, event.case, event.at)
        sanction = history.appealed.get(str(p.get("appeal")))
        if history.detection(sanction) == "automated":
            add("appeals_decided_automation_flagged", status, event.case, event.at)
    elif event.kind == Kind.ORDER:
        _order(event, tally)
    elif event.kind in (Kind.REFERRED, Kind.ESCALATED):
        name = "referrals" if event.kind == Kind.REFERRED else "escalations"
        add(name, str(p.get("to_unit", UNRECORDED)), event.case, event.at)
    elif event.kind == Kind.REFERRAL_ANSWERED:
        answer = "accepted" if p.get("accepted") else "declined"
        add("referral_answers", answer, event.case, event.at)
    if history.acknowledged.get(event.case) == event.id:
        tally.median("time_to_acknowledge", history.hours_since_opened(event), event)


def _takes_effect(event: Event) -> bool:
    if event.kind == Kind.SANCTION_APPROVED:
        return True
    return event.kind == Kind.SANCTION_PROPOSED and event.payload.get("status") == IN_EFFECT


def _sanction(event: Event, tally: "_Tally", delivered: frozenset[str]) -> None:
    p, add = event.payload, tally.add
    add("sanctions_by_kind", str(p.get("kind", UNRECORDED)), event.case, event.at)
    add("sanctions_by_ground", str(p.get("legal_ground") or UNRECORDED), event.case, event.at)
    add("sanctions_by_category", event.category or UNCATEGORISED, event.case, event.at)
    automated = p.get("automated_detection")
    detection = UNRECORDED if automated is None else _detection(bool(automated))
    add("automated_detection", detection, event.case, event.at)
    add("automated_decision", _detection(not event.by_person), event.case, event.at)
    if p.get("kind") != PROSECUTE:
        add("statements_of_reasons", "decisions", event.case, event.at)
    puid = p.get("statement")
    if puid:
        add("statements_of_reasons", "statements", event.case, event.at)
        if puid in delivered:
            add("statements_of_reasons", "delivered", event.case, event.at)


def _order(event: Event, tally: "_Tally") -> None:
    p = event.payload
    if "action" in p:
        tally.add("orders_issued", str(p["action"]), str(p.get("order")), event.at)
    elif p.get("status") in ORDER_ANSWERS:
        tally.add("orders_answered", str(p["status"]), str(p.get("order")), event.at)
        if p["status"] == "complied" and isinstance(p.get("seconds"), int | float):
            tally.median("order_compliance_time", float(p["seconds"]) / 3600, event)


def _detection(automated: bool) -> str:
    return "automated" if automated else "not_automated"


class _History:
    """What the figures need from a case's whole history up to the period's end."""

    def __init__(self, ordered: list[Event], period: Period) -> None:
        self.opened: dict[str, datetime] = {}
        self.acknowledged: dict[str, int] = {}  # case → id of its first acknowledging event
        self.first_decided: dict[str, int] = {}
        self.automated: dict[Any, bool] = {}  # sanction id → detected by automation
        self.appealed: dict[str, Any] = {}  # appeal reference → sanction id
        self.reversed_sanctions: set[Any] = set()
        self.status_at_end: dict[str, tuple[str, Event]] = {}
        for e in ordered:
            if e.at >= period.end:
                break
            self._read(e)

    def _read(self, e: Event) -> None:
        p = e.payload
        triaged = e.kind == Kind.TRIAGED and "rescored" not in p
        if e.kind == Kind.OPENED:
            self.opened.setdefault(e.case, e.at)
            self.status_at_end[e.case] = ("new", e)
        elif e.case in self.status_at_end:
            status = self.status_at_end[e.case][0]
            if e.kind == Kind.MOVED:
                status = str(p.get("to") or status)
            elif triaged and status == "new":
                status = "triaged"
            self.status_at_end[e.case] = (status, e)
        # The first clock is met when someone takes the case, triages it or moves it on
        # (rescoring writes TRIAGED events too, marked "rescored": those do not count).
        if (e.kind in (Kind.ASSIGNED, Kind.MOVED) or triaged) and e.case in self.opened:
            self.acknowledged.setdefault(e.case, e.id)
        if e.kind == Kind.DECIDED and e.case in self.opened:
            self.first_decided.setdefault(e.case, e.id)
        effect = e.kind in (Kind.SANCTION_PROPOSED, Kind.SANCTION_APPROVED)
        if effect and "sanction" in p and p.get("automated_detection") is not None:
            self.automated[p["sanction"]] = bool(p["automated_detection"])
        if e.kind == Kind.APPEAL_FILED:
            self.appealed[str(p.get("appeal"))] = p.get("sanction")
        if e.kind == Kind.APPEAL_DECIDED and p.get("status") == "reversed":
            self.reversed_sanctions.add(p.get("sanction"))

    def hours_since_opened(self, event: Event) -> float:
        return (event.at - self.opened[event.case]).total_seconds() / 3600

    def detection(self, sanction: Any) -> str:
        if sanction not in self.automated:
            return UNRECORDED
        return _detection(self.automated[sanction])


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.values: dict[str, list[float]] = defaultdict(list)
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.rows: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)

    def add(self, name: str, key: str, ref: str, at: datetime) -> None:
        self.counts[name][key] += 1
        self.rows[name].append((ref, at.isoformat(), key, "1"))

    def distinct(self, name: str, key: str, value: str, event: Event) -> None:
        if value not in self.seen[name]:
            self.seen[name].add(value)
            self.add(name, key, event.case, event.at)

    def median(self, name: str, hours: float, event: Event) -> None:
        self.values[name].append(hours)
        self.rows[name].append((event.case, event.at.isoformat(), "", f"{hours:.2f}"))

    def figures(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in COUNTS + DISTINCT:
            by = dict(sorted(self.counts[name].items()))
            additive = name in COUNTS
            result[name] = {
                "kind": "count",
                "additive": additive,
                "total": sum(by.values()),
                "by": by,
            }
        for name in MEDIANS:
            values = sorted(self.values[name])
            hours = round(statistics.median(values), 2) if values else None
            result[name] = {
                "kind": "median",
                "additive": False,
                "hours": hours,
                "count": len(values),
            }
        return result

    def sorted_rows(self) -> dict[str, list[tuple[str, str, str, str]]]:
        return {name: sorted(self.rows[name], key=lambda r: (r[1], r[0], r[2])) for name in FIGURES}


def to_csv(document: Mapping[str, Any]) -> str:
    """The figures as CSV: `figure,breakdown,value`; a count's total has breakdown `total`,
    a median's value is in hours (empty when there was nothing to measure)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["figure", "breakdown", "value"])
    for name, figure in document["figures"].items():
        if figure["kind"] == "median":
            hours = figure["hours"]
            writer.writerow([name, "median_hours", "" if hours is None else hours])
            writer.writerow([name, "count", figure["count"]])
            continue
        writer.writerow([name, "total", figure["total"]])
        for key, value in figure["by"].items():
            writer.writerow([name, key, value])
    return out.getvalue()


def rows_csv(rows: Iterable[tuple[str, str, str, str]]) -> str:
    """The rows behind one figure: `reference,at,breakdown,value`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "at", "breakdown", "value"])
    writer.writerows(rows)
    return out.getvalue()


def to_json(document: Mapping[str, Any]) -> str:
    """The figures document with its digest, as indented JSON with sorted keys."""
    return json.dumps(
        {**document, "digest": digest(document)}, sort_keys=True, indent=2, ensure_ascii=False
    )
