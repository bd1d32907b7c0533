"""Triage: category and severity, internal notes, merging cases, splitting a report out, and
referrals between units (escalation to the national unit is a referral to the root unit).

Callers authorise first (`cases.triage_case` on the case); these actions also refuse a staff
member who does not handle cases at the units concerned, so that a view that forgets a check
cannot move a case out of someone's reach. Non-person actors (system) are trusted callers."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.accounts.models import Staff
from frontstage.audit.actions import record
from frontstage.cases.actions.core import (
    CaseError,
    _check_category,
    _locked,
    add_case_event,
    open_case,
)
from frontstage.cases.actions.queue import rescore_case
from frontstage.cases.models import (
    Case,
    CaseEventKind,
    CaseStatus,
    Category,
    EvidenceItem,
    Referral,
    ReferralKind,
    ReferralStatus,
    Severity,
    Subject,
)
from frontstage.intake.models import Report
from frontstage.lib.actors import Actor, actor_user
from frontstage.units.models import Unit
from frontstage.units.scope import HANDLING, lineage, unit_ids

MAX_TEXT = 5000  # notes, reasons and answers; longer belongs in evidence, not in a case event
SETTLED = (CaseStatus.DECIDED, CaseStatus.CLOSED)


def set_category_and_severity(
    *, case: Case, category: Category | None, severity: str, by: Actor, reason: str = ""
) -> Case:
    """Set what the case is about and how serious it is; a new case becomes triaged. Writes
    nothing when nothing changes. Then the queue rescores the case (priority and clocks)."""
    if category is None:
        raise CaseError(_("Choose the category of the case."))
    level = _severity(severity)
    with transaction.atomic():
        case = _locked(case)
        _check_handles(by, case.unit)
        if case.status in SETTLED:
            raise CaseError(
                _("A decided or closed case keeps its category; reopen it to change it.")
            )
        _check_category(category, case.unit)
        source = CaseStatus(case.status)
        if case.category_id == category.pk and case.severity == level and source != CaseStatus.NEW:
            return case
        before = {
            "category": case.category.code if case.category else None,
            "severity": case.severity,
        }
        if source == CaseStatus.NEW:
            case.triage()
        case.category, case.severity = category, level
        case.save(update_fields=["category", "severity", "status"])
        payload = {"before": before, "category": category.code, "severity": level.value}
        payload["reason"] = _text(reason, required=False)
        moved = case.status != source
        add_case_event(
            case,
            CaseEventKind.TRIAGED,
            by=by,
            from_status=source if moved else "",
            to_status=case.status if moved else "",
            payload=payload,
        )
        record(by=by, action="case.triaged", obj=case, unit=case.unit, payload=payload)
        rescore_case(case=case, by=by)
    return case


def add_note(*, case: Case, text: str, by: Actor) -> Case:
    """An internal note in the case's history. Staff only: never shown to the public."""
    body = _text(text, required=True, missing=_("Write the note before saving it."))
    with transaction.atomic():
        case = _locked(case)
        _check_handles(by, case.unit)
        event = add_case_event(case, CaseEventKind.NOTE, by=by, payload={"text": body})
        # The audit log is exported; it points at the note rather than repeating it.
        record(
            by=by, action="case.note_added", obj=case, unit=case.unit, payload={"event": event.pk}
        )
    return case


def merge_cases(*, case: Case, into: Case, by: Actor, reason: str) -> Case:
    """Move the reports, subjects and evidence of `case` into `into`, and close `case` as a
    shell pointing at `into`. Evidence `into` already holds from the same origin stays behind.
    Returns `into`. `case` must be undecided, `into` not closed, both within `by`'s units."""
    why = _text(reason, required=True, missing=_("Say why these cases are the same matter."))
    if case.pk == into.pk:
        raise CaseError(_("A case cannot be merged into itself. Enter the other case's reference."))
    with transaction.atomic():
        # Both rows locked, in id order, so that two merges of the same pair cannot deadlock.
        rows = Case.objects.select_for_update(of=("self",)).select_related("unit")
        locked = {c.pk: c for c in rows.filter(pk__in=[case.pk, into.pk]).order_by("pk")}
        case, into = locked[case.pk], locked[into.pk]
        _check_handles(by, case.unit)
        _check_handles(by, into.unit)
        if case.status in SETTLED:
            raise CaseError(
                _("%(ref)s is already decided: its decision stands, so it cannot be merged.")
                % {"ref": case.reference}
            )
        if into.status == CaseStatus.CLOSED:
            raise CaseError(
                _("%(ref)s is closed; merge into an open case, or reopen it first.")
                % {"ref": into.reference}
            )
        if case.referrals.filter(status=ReferralStatus.PENDING).exists():
            raise CaseError(
                _("%(ref)s is waiting for an answer to a referral; merge it once that is answered.")
                % {"ref": case.reference}
            )
        reports = list(Report.objects.filter(case=case).values_list("pk", flat=True))
        Report.objects.filter(pk__in=reports).update(case=into)
        into.subjects.add(*case.subjects.all())
        held = EvidenceItem.objects.filter(case=into).values("origin")
        EvidenceItem.objects.filter(case=case).exclude(origin__in=held).update(case=into)
        source = CaseStatus(case.status)
        # The transition table closes only decided cases; a merged shell was never decided,
        # so it is closed here, and the MOVED event says why.
        now = timezone.now()
        case.status, case.closed_at, case.merged_into = CaseStatus.CLOSED, now, into
        case.save(update_fields=["status", "closed_at", "merged_into"])
        moved = {"from": source.value, "to": CaseStatus.CLOSED.value, "reason": why}
        moved["merged_into"] = into.reference
        add_case_event(
            case,
            CaseEventKind.MOVED,
            by=by,
            from_status=source,
            to_status=CaseStatus.CLOSED,
            payload=moved,
        )
        payload = {
            "case": case.reference,
            "into": into.reference,
            "reports": reports,
            "reason": why,
        }
        add_case_event(case, CaseEventKind.MERGED, by=by, payload=payload)
        add_case_event(into, CaseEventKind.MERGED, by=by, payload=payload)
        record(by=by, action="case.merged", obj=case, unit=case.unit, payload=payload)
        rescore_case(case=into, by=by)
    return into


def split_report(*, report: Report, by: Actor, reason: str) -> Case:
    """Take `report` out of its case into a new case at the same unit about the report's
    subjects; the old case lets go of subjects none of its remaining reports names, and the
    report's evidence goes with it. Returns the new case. Refused for a case's only report."""
    why = _text(reason, required=True, missing=_("Say why this report is a matter of its own."))
    with transaction.atomic():
        case = _locked(Case(pk=report.case_id))
        report = Report.objects.select_for_update().get(pk=report.pk)
        _check_handles(by, case.unit)
        if case.status == CaseStatus.CLOSED:
            raise CaseError(_("A closed case cannot be split; reopen it first."))
        if not Report.objects.filter(case=case).exclude(pk=report.pk).exists():
            raise CaseError(_("This is the case's only report; there is nothing to split it from."))
        subjects = list(report.subjects.all())
        new = open_case(
            unit=case.unit,
            category=report.category if report.category and report.category.active else None,
            subjects=subjects,
            severity=case.severity,
            summary=report.explanation[:200],
            by=by,
        )
        report.case = new
        report.save(update_fields=["case"])
        hits = report.patrol_hits.values_list("pk", flat=True)
        shots = report.attachments.values_list("pk", flat=True)
        origins = [f"report:{report.pk}", *(f"hit:{h}" for h in hits)]
        origins += [f"attachment:{a}" for a in shots]
        EvidenceItem.objects.filter(case=case, origin__in=origins).update(case=new)
        named = Subject.objects.filter(reports__case=case).values("pk")
        case.subjects.remove(
            *case.subjects.filter(pk__in=[s.pk for s in subjects]).exclude(pk__in=named)
        )
        payload = {"report": report.pk, "from": case.reference, "to": new.reference, "reason": why}
        add_case_event(case, CaseEventKind.SPLIT, by=by, payload=payload)
        add_case_event(new, CaseEventKind.SPLIT, by=by, payload=payload)
        record(by=by, action="case.split", obj=report, unit=case.unit, payload=payload)
        rescore_case(case=case, by=by)
        rescore_case(case=new, by=by)
    return new


def refer_case(*, case: Case, to_unit: Unit, reason: str, by: Actor) -> Referral:
    """Offer `case` to `to_unit`; it stays where it is until that unit accepts."""
    return _offer(case=case, to_unit=to_unit, kind=ReferralKind.REFERRAL, reason=reason, by=by)


def escalate_case(*, case: Case, reason: str, by: Actor) -> Referral:
    """Offer `case` to the national unit (the root above the case's unit)."""
    root = Unit.objects.get(pk=lineage(case.unit)[-1])
    return _offer(case=case, to_unit=root, kind=ReferralKind.ESCALATION, reason=reason, by=by)


def _offer(*, case: Case, to_unit: Unit, kind: ReferralKind, reason: str, by: Actor) -> Referral:
    why = _text(reason, required=True, missing=_("Say why the other unit should take the case."))
    with transaction.atomic():
        case = _locked(case)
        _check_handles(by, case.unit)
        if case.status == CaseStatus.CLOSED:
            raise CaseError(_("A closed case cannot be referred; reopen it first."))
        if to_unit.pk == case.unit_id:
            if kind == ReferralKind.ESCALATION:
                raise CaseError(_("The case is already at the national unit."))
            raise CaseError(
                _("The case is already at %(unit)s; choose another unit.") % {"unit": to_unit}
            )
        pending = (
            case.referrals.filter(status=ReferralStatus.PENDING).select_related("to_unit").first()
        )
        if pending is not None:
            raise CaseError(
                _("The case is already waiting for an answer from %(unit)s.")
                % {"unit": pending.to_unit}
            )
        referral = Referral.objects.create(
            case=case,
            kind=kind,
            from_unit=case.unit,
            to_unit=to_unit,
            reason=why,
            requested_by=_staff(by),
            requested_at=timezone.now(),
        )
        payload = {"referral": referral.pk, "to_unit": to_unit.slug, "reason": why}
        event = (
            CaseEventKind.ESCALATED if kind == ReferralKind.ESCALATION else CaseEventKind.REFERRED
        )
        add_case_event(case, event, by=by, payload=payload)
        record(by=by, action=f"case.{event}", obj=referral, unit=case.unit, payload=payload)
    return referral


def answer_referral(*, referral: Referral, accept: bool, answer: str, by: Actor) -> Referral:
    """Accept (the case moves to the referral's unit, unassigned) or decline (it stays; the
    answer says why and is required). Only staff who handle cases at that unit may answer."""
    text = _text(
        answer,
        required=not accept,
        missing=_("Say why you decline the case, so that the other unit knows what to do."),
    )
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update()
            .select_related("to_unit", "from_unit")
            .get(pk=referral.pk)
        )
        case = _locked(Case(pk=referral.case_id))
        if referral.status != ReferralStatus.PENDING:
            raise CaseError(
                _("This referral was already answered: %(status)s.")
                % {"status": referral.get_status_display()}
            )
        if not isinstance(by, str) and referral.to_unit_id not in unit_ids(by, HANDLING):
            raise CaseError(
                _("Only staff who handle cases at %(unit)s can answer this referral.")
                % {"unit": referral.to_unit}
            )
        referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
        referral.answered_by, referral.answered_at, referral.answer = (
            actor_user(by),
            timezone.now(),
            text,
        )
        referral.save(update_fields=["status", "answered_by", "answered_at", "answer"])
        payload = {
            "referral": referral.pk,
            "kind": referral.kind,
            "accepted": accept,
            "from_unit": referral.from_unit.slug,
            "to_unit": referral.to_unit.slug,
            "reason": text,
        }
        if accept:
            payload["unassigned"] = case.assignee.username if case.assignee else None
            case.unit, case.assignee = referral.to_unit, None
            case.save(update_fields=["unit", "assignee"])
        add_case_event(case, CaseEventKind.REFERRAL_ANSWERED, by=by, payload=payload)
        action = "referral.accepted" if accept else "referral.declined"
        record(by=by, action=action, obj=referral, unit=referral.to_unit, payload=payload)
    return referral


def _check_handles(by: Actor, unit: Unit) -> None:
    if not isinstance(by, str) and unit.pk not in unit_ids(by, HANDLING):
        raise CaseError(_("You do not handle cases at %(unit)s.") % {"unit": unit})


def _staff(by: Actor) -> Staff:
    # Referral.requested_by names a person: the receiving unit must know whom to ask.
    if isinstance(by, str):
        raise CaseError(_("A referral is asked for by a person."))
    return by


def _severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise CaseError(_("Choose a severity from the list.")) from None


def _text(value: str, *, required: bool, missing: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise CaseError(missing)
    if len(text) > MAX_TEXT:
        raise CaseError(
            _("Write at most %(limit)s characters; this has %(count)s.")
            % {"limit": MAX_TEXT, "count": len(text)}
        )
    return text
