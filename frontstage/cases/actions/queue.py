"""Queue-side actions: scores, clocks, take next, and threat-to-life alerts (DSA Art. 18).

The score and clocks are computed by the pure `frontstage.cases.priority` and `.clocks` from
facts read here; only a person's severity (set at triage) overrides the computed one."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import (
    BooleanField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontstage.accounts.models import Role, RoleKind
from frontstage.audit.actions import record
from frontstage.cases import clocks, priority
from frontstage.cases.actions.core import CaseError, add_case_event, assign_case
from frontstage.cases.models import (
    Alert,
    AlertKind,
    Case,
    CaseEventKind,
    CaseStatus,
    Category,
    Strike,
    Subject,
)
from frontstage.intake.models import Report
from frontstage.lib.actors import Actor, actor_user
from frontstage.units import scope

log = logging.getLogger(__name__)

THREATS = "threats"
# Statuses someone still has to work on: what "take next" hands out.
WORK_STATUSES = (CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.IN_REVIEW)
# An opener's severity above this is kept (see `opening`); the default says nothing.
_OPENING_DEFAULT = priority.MEDIUM


@dataclass(frozen=True)
class Opening:
    score: priority.Score
    due: clocks.Due


def opening(
    *, category: Category | None, subjects: Iterable[Subject], severity: str, opened_at: datetime
) -> Opening:
    """The first score and clocks of a case about to open, before any report joins it. A
    `severity` above medium that is above the computed one is kept (the opener knows more);
    the next rescore recomputes from the facts."""
    code = category.code if category else None
    strikes = _active_strikes([s.pk for s in subjects], opened_at)
    computed = priority.score(priority.Inputs(category=code, active_strikes=strikes))
    hint = None
    if severity != _OPENING_DEFAULT and priority.rank(severity) > priority.rank(computed.severity):
        hint = severity
    first = priority.score(
        priority.Inputs(category=code, active_strikes=strikes, set_severity=hint)
    )
    return Opening(first, clocks.due(opened_at, code, ()))


def sources_field(sources: Iterable[str]) -> str:
    """The value of `Case.sources` for reports from `sources`: ",patrol,public," (or "")."""
    found = sorted(set(sources))
    return f",{','.join(found)}," if found else ""


def rescore_case(*, case: Case, by: Actor) -> Case:
    """Recompute the case's severity, priority and clocks after something about it changed
    (a report joined, its category changed), and raise the threat-to-life alert when the case
    is about threats and has none yet. Writes a case event and an audit event only when the
    severity changes, so that the history stays readable."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("category").get(pk=case.pk)
        )
        now = timezone.now()
        code = case.category.code if case.category else None
        reports = list(
            Report.objects.filter(case=case).values_list(
                "source", "received_at", "deadline", "locations"
            )
        )
        inputs = priority.Inputs(
            category=code,
            reports=len(reports),
            sources=frozenset(r[0] for r in reports),
            reach=_reach(r[3] for r in reports),
            active_strikes=_active_strikes(case.subjects.values_list("pk", flat=True), now),
            set_severity=_severity_set_by_staff(case),
        )
        result = priority.score(inputs)
        arrivals = [clocks.Arrival(r[0], r[1], r[2]) for r in reports]
        due = clocks.due(case.opened_at, code, arrivals)
        before = case.severity
        if case.status != CaseStatus.NEW and case.acknowledged_at is None:
            case.acknowledged_at = now  # triaged without move_case (set_category_and_severity)
        case.severity = result.severity
        case.priority = result.priority
        case.priority_factors = result.factors_json()
        case.acknowledge_by, case.decide_by = due.acknowledge_by, due.decide_by
        case.sources = sources_field(r[0] for r in reports)
        case.save(
            update_fields=[
                "sources",
                "severity",
                "priority",
                "priority_factors",
                "acknowledge_by",
                "decide_by",
                "acknowledged_at",
            ]
        )
        if before != case.severity:
            # No "severity" key: that key marks a person's choice (see _severity_set_by_staff).
            payload = {
                "rescored": {"from": before, "to": case.severity},
                "priority": case.priority,
            }
            add_case_event(case, CaseEventKind.TRIAGED, by=by, payload=payload)
            record(by=by, action="case.rescored", obj=case, unit=case.unit, payload=payload)
        if code == THREATS and not case.alerts.exists():
            raise_alert(case=case, reason=case.summary, by=by)
    return case


def _active_strikes(subject_ids: Iterable[int], now: datetime) -> int:
    return Strike.objects.filter(
        subject_id__in=list(subject_ids), removed_at=None, expires_at__gt=now
    ).count()


def _reach(locations: Iterable[Any]) -> int | None:
    """The largest audience a report told us about (a location's "followers" or "views"),
    or None: reports rarely know it, and then only the report counts weigh."""
    known = [
        int(value)
        for where in locations
        for item in (where if isinstance(where, list) else [])
        if isinstance(item, dict)
        for value in (item.get("followers"), item.get("views"))
        if isinstance(value, int)
    ]
    return max(known) if known else None


def _severity_set_by_staff(case: Case) -> str | None:
    """The severity a person chose at triage: the latest TRIAGED event whose payload names a
    "severity" (a code, or {"to": code}); rescoring writes its own events without that key."""
    events = case.events.filter(kind=CaseEventKind.TRIAGED, actor__isnull=False).order_by("-id")
    for payload in events.values_list("payload", flat=True)[:20]:
        chosen = payload.get("severity") if isinstance(payload, dict) else None
        if isinstance(chosen, dict):
            chosen = chosen.get("to")
        if chosen in priority.SEVERITIES:
            return str(chosen)
    return None


def overdue(now: datetime) -> Q:
    """Cases with a clock past due and not met."""
    return ~Q(status=CaseStatus.CLOSED) & (
        Q(acknowledged_at__isnull=True, acknowledge_by__lte=now)
        | Q(decided_at__isnull=True, decide_by__lte=now)
    )


def due_soon(now: datetime) -> Q:
    """Cases not overdue with a clock in its last fifth (the time counted from opening)."""
    return (
        ~Q(status=CaseStatus.CLOSED)
        & ~overdue(now)
        & (
            Q(_in_last_part("acknowledge_by", now), acknowledged_at__isnull=True)
            | Q(_in_last_part("decide_by", now), decided_at__isnull=True)
        )
    )


def _in_last_part(due_field: str, now: datetime) -> LessThanOrEqual:
    # now ≥ due − (due − opened) / N  ⇔  (due − now) × N ≤ due − opened: only differences of
    # datetimes and a whole factor, which SQLite and Postgres both compute the same way.
    left = (F(due_field) - Value(now, output_field=DateTimeField())) * clocks.DUE_SOON_PARTS
    right = F(due_field) - F("opened_at")
    return LessThanOrEqual(
        ExpressionWrapper(left, output_field=DurationField()),
        ExpressionWrapper(right, output_field=DurationField()),
    )


def in_queue_order(cases: QuerySet[Case], now: datetime) -> QuerySet[Case]:
    """Overdue cases first, then by priority, then the oldest."""
    flag = ExpressionWrapper(overdue(now), output_field=BooleanField())
    return cases.annotate(is_overdue=flag).order_by("-is_overdue", "-priority", "opened_at", "pk")


def take_next_case(*, by: Actor, unit_ids: Iterable[int] | None = None) -> Case | None:
    """Assign to `by` the most urgent unassigned case still to work on in their handling scope
    (narrowed to `unit_ids` when given), or None when there is none. Two people taking at
    once never get the same case: rows another transaction holds are skipped (Postgres), and
    SQLite runs writers one at a time."""
    person = actor_user(by)
    if person is None:
        raise CaseError(_("Only a person can take a case."))
    allowed = scope.unit_ids(person, scope.HANDLING)
    if unit_ids is not None:
        allowed = allowed & frozenset(unit_ids)
    if not allowed:
        return None
    with transaction.atomic():
        waiting = Case.objects.filter(
            unit_id__in=allowed, assignee__isnull=True, status__in=WORK_STATUSES
        )
        candidate = (
            in_queue_order(waiting, timezone.now())
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if candidate is None:
            return None
        return assign_case(case=candidate, assignee=person, by=by)


def raise_alert(*, case: Case, reason: str, by: Actor) -> Alert:
    """Open a threat-to-life alert (DSA Art. 18) for the supervisors of the case's unit; it
    stays up until one of them acknowledges it. The supervisors are e-mailed on commit."""
    with transaction.atomic():
        alert = Alert.objects.create(
            case=case,
            unit=case.unit,
            kind=AlertKind.THREAT_TO_LIFE,
            reason=reason.strip() or case.reference,
            raised_at=timezone.now(),
        )
        payload = {"alert": alert.pk, "kind": alert.kind}
        add_case_event(case, CaseEventKind.ALERT, by=by, payload=payload)
        record(by=by, action="alert.raised", obj=alert, unit=case.unit, payload=payload)
        alert_id = alert.pk
        transaction.on_commit(lambda: mail_supervisors(alert_id=alert_id))
    return alert


def acknowledge_alert(*, alert: Alert, by: Actor, note: str = "") -> Alert:
    """A supervisor covering the alert's unit confirms they took it in hand."""
    person = actor_user(by)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("case", "unit").get(pk=alert.pk)
        if person is None or alert.unit_id not in scope.unit_ids(person, scope.SUPERVISION):
            raise CaseError(
                _("Only a supervisor of %(unit)s can acknowledge this alert.")
                % {"unit": alert.unit}
            )
        if alert.acknowledged_at is not None:
            raise CaseError(
                _("This alert was already acknowledged by %(name)s.")
                % {"name": alert.acknowledged_by}
            )
        alert.acknowledged_by = person
        alert.acknowledged_at = timezone.now()
        alert.note = note.strip()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
        payload = {"alert": alert.pk, "note": alert.note}
        add_case_event(alert.case, CaseEventKind.ALERT_ACKNOWLEDGED, by=by, payload=payload)
        record(by=by, action="alert.acknowledged", obj=alert, unit=alert.unit, payload=payload)
    return alert


def mail_supervisors(*, alert_id: int) -> None:
    """E-mail every supervisor covering the alert's unit who has an address. After commit; a
    failure is logged, the alert stays up on the console either way."""
    alert = Alert.objects.select_related("case", "unit").get(pk=alert_id)
    roles = Role.objects.filter(kind=RoleKind.SUPERVISOR, unit_id__in=scope.lineage(alert.unit))
    addresses = sorted(set(roles.exclude(staff__email="").values_list("staff__email", flat=True)))
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Threat to life or safety: %(case)s") % {"case": alert.case.reference}
        body = _("%(reason)s\n\nAcknowledge it on the console: %(url)s") % {
            "reason": alert.reason,
            "url": f"{settings.SITE_URL}/console/alerts/",
        }
    try:
        send_mail(subject, body, None, addresses)
    except Exception:  # the alert is on every supervisor's console regardless
        log.exception("Could not e-mail the supervisors about alert %s", alert_id)
