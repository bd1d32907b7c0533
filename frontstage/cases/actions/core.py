"""Every change to cases. Each action runs in one transaction with its case event and audit
event; callers authorise first, actions keep the invariants."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    Category,
    Severity,
    Subject,
    SubjectKind,
    available_transitions,
)
from frontstage.intake.notify import tell_reporters
from frontstage.intake.webhooks import queue_outcomes
from frontstage.lib.actors import Actor, actor_label, actor_user
from frontstage.units.models import Unit
from frontstage.units.scope import HANDLING, lineage, unit_ids


class CaseError(Exception):
    """A change to a case that is not allowed; the message says why, for people."""


def open_case(
    *,
    unit: Unit,
    category: Category | None,
    subjects: Iterable[Subject | tuple[str, str]] = (),
    severity: str = Severity.MEDIUM,
    priority: int = 50,
    summary: str = "",
    by: Actor,
) -> Case:
    """Open a new case at `unit` about `subjects`: Subject rows, or (kind, canonical key) pairs
    whose subjects are found or created. Severity, priority and clocks are computed
    (frontstage.cases.actions.queue.opening): a `severity` above medium is kept when above the
    computed one; `priority` is no longer used. A threats case raises its Art. 18 alert."""
    # Imported here: the queue actions build on this module.
    from frontstage.cases.actions.queue import THREATS, opening, raise_alert

    if category is not None:
        _check_category(category, unit)
    # No savepoint of its own: nobody who calls this inside a transaction carries on after it
    # fails, and the caller's transaction (or its savepoint) rolls the whole change back.
    with transaction.atomic(savepoint=False):
        about = _subjects(subjects)
        now = timezone.now()
        first = opening(
            category=category, subjects=about, severity=Severity(severity), opened_at=now
        )
        case = Case.objects.create(
            unit=unit,
            category=category,
            severity=first.score.severity,
            priority=first.score.priority,
            priority_factors=first.score.factors_json(),
            acknowledge_by=first.due.acknowledge_by,
            decide_by=first.due.decide_by,
            summary=summary,
            opened_at=now,
        )
        case.subjects.add(*about)
        code = category.code if category else None
        keys = [f"{subject.kind}:{subject.key}" for subject in about]
        payload = {"category": code, "severity": case.severity, "subjects": keys}
        add_case_event(case, CaseEventKind.OPENED, by=by, to_status=case.status, payload=payload)
        record(by=by, action="case.opened", obj=case, unit=unit, payload=payload)
        if code == THREATS:
            raise_alert(case=case, reason=summary, by=by)
    return case


def _subjects(given: Iterable[Subject | tuple[str, str]]) -> list[Subject]:
    """`given` as Subject rows, in order and without repeats."""
    items = [i if isinstance(i, Subject) else (SubjectKind(i[0]).value, i[1]) for i in given]
    pairs = [i for i in items if isinstance(i, tuple)]
    found = _found_or_created(pairs) if pairs else {}
    return list(dict.fromkeys(i if isinstance(i, Subject) else found[i] for i in items))


def _found_or_created(pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Subject]:
    """One query when all exist; when some are new, they are created and all read again."""
    matches = Q()
    for kind, key in pairs:
        matches |= Q(kind=kind, key=key)
    found = {(s.kind, s.key): s for s in Subject.objects.filter(matches)}
    if len(found) < len(set(pairs)):
        new = [Subject(kind=kind, key=key) for kind, key in sorted(set(pairs))]
        Subject.objects.bulk_create(new, ignore_conflicts=True)
        found = {(s.kind, s.key): s for s in Subject.objects.filter(matches)}
    return found


def assign_case(*, case: Case, assignee: Any, by: Actor) -> Case:
    """Give `case` to `assignee` (who must handle cases at its unit), or to nobody with None."""
    with transaction.atomic():
        case = _locked(case)
        if assignee is not None and case.unit_id not in unit_ids(assignee, HANDLING):
            raise CaseError(
                _("%(name)s does not handle cases at %(unit)s.")
                % {"name": assignee, "unit": case.unit}
            )
        if case.status == CaseStatus.CLOSED:
            raise CaseError(_("A closed case cannot be assigned; reopen it first."))
        previous = case.assignee
        if previous == assignee:
            return case
        case.assignee = assignee
        if assignee is not None and case.acknowledged_at is None:
            case.acknowledged_at = timezone.now()  # someone has it: the first clock is met
        case.save(update_fields=["assignee", "acknowledged_at"])
        payload = {
            "from": previous.username if previous else None,
            "to": assignee.username if assignee else None,
        }
        kind = CaseEventKind.ASSIGNED if assignee else CaseEventKind.UNASSIGNED
        add_case_event(case, kind, by=by, payload=payload)
        record(by=by, action=f"case.{kind}", obj=case, unit=case.unit, payload=payload)
    return case


def move_case(*, case: Case, to: str, by: Actor, reason: str = "") -> Case:
    """Move `case` to status `to` along the transition table on `Case`; raises CaseError,
    writing nothing, when no transition leads there from the case's status."""
    target = CaseStatus(to)
    with transaction.atomic():
        case = _locked(case)
        source = CaseStatus(case.status)
        step = next((t for t in available_transitions(case) if t.target == target), None)
        if step is None:
            raise CaseError(
                _("A case that is “%(source)s” cannot move to “%(target)s”.")
                % {"source": source.label, "target": target.label}
            )
        getattr(case, step.name)()
        now = timezone.now()
        case.closed_at = now if target == CaseStatus.CLOSED else None
        if target == CaseStatus.DECIDED:
            case.decided_at = now
        elif target != CaseStatus.CLOSED:
            case.outcome, case.decided_at = "", None  # reopened: the old decision no longer holds
        if case.acknowledged_at is None:
            case.acknowledged_at = now  # triaged (or further): the first clock is met
        case.save(update_fields=["status", "closed_at", "decided_at", "outcome", "acknowledged_at"])
        payload = {"from": source.value, "to": target.value, "reason": reason}
        add_case_event(
            case, CaseEventKind.MOVED, by=by, from_status=source, to_status=target, payload=payload
        )
        record(by=by, action="case.moved", obj=case, unit=case.unit, payload=payload)
    return case


def decide_case(*, case: Case, outcome: str, by: Actor, reason: str = "") -> Case:
    """Move `case` to decided with its `outcome`; the reporters are told on commit."""
    result = CaseOutcome(outcome)
    with transaction.atomic():
        case = move_case(case=case, to=CaseStatus.DECIDED, by=by, reason=reason)
        case.outcome = result
        case.save(update_fields=["outcome"])
        payload = {"outcome": result.value}
        add_case_event(case, CaseEventKind.DECIDED, by=by, payload=payload)
        record(by=by, action="case.decided", obj=case, unit=case.unit, payload=payload)
        queue_outcomes(case)
        case_id = case.pk
        transaction.on_commit(lambda: tell_reporters(case_id=case_id))
    return case


def _check_category(category: Category, unit: Unit) -> None:
    if not category.active:
        raise CaseError(_("Category “%(code)s” is no longer in use.") % {"code": category.code})
    if category.unit_id is not None and category.unit_id not in lineage(unit):
        raise CaseError(_("Category “%(code)s” belongs to another unit.") % {"code": category.code})


def _locked(case: Case) -> Case:
    # Re-read under a row lock so two people moving the same case cannot both succeed.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "assignee")
        .get(pk=case.pk)
    )


def add_case_event(
    case: Case,
    kind: str,
    *,
    by: Actor,
    from_status: str = "",
    to_status: str = "",
    payload: dict[str, Any],
) -> CaseEvent:
    """One entry in the case's history; the caller writes the audit event."""
    return CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        actor=actor_user(by),
        actor_label=actor_label(by),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        payload=payload,
    )


CATEGORY_FIELDS = (
    "code",
    "unit",
    "name_en",
    "name_zh",
    "legal_basis_en",
    "legal_basis_zh",
    "dsa_category",
    "dsa_keywords",
    "patrol_may_flag",
    "patrol_hash_only",
    "active",
)


def save_category(*, category: Category | None, by: Actor, **values: Any) -> Category:
    """Create a category (`category=None`) or change one. Every category needs a legal basis:
    the shipped taxonomy covers content that laws define as illegal, and a unit's own must too."""
    unknown = set(values) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"save_category() got unknown fields {sorted(unknown)}")
    if not str(values.get("legal_basis_en", category.legal_basis_en if category else "")).strip():
        raise CaseError(_("A category needs the legal basis that makes its content illegal."))
    with transaction.atomic():
        target = (
            Category()
            if category is None
            else Category.objects.select_for_update().get(pk=category.pk)
        )
        before = {f: _plain(getattr(target, f)) for f in CATEGORY_FIELDS} if category else {}
        for field, value in values.items():
            setattr(target, field, value)
        target.save()
        after = {f: _plain(getattr(target, f)) for f in CATEGORY_FIELDS}
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        action = "category.created" if category is None else "category.changed"
        if changed:
            record(by=by, action=action, obj=target, unit=target.unit, payload=changed)
    return target


def _plain(value: Any) -> Any:
    return value.slug if isinstance(value, Unit) else value
