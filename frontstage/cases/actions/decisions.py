"""Decisions and sanctions: deciding a case on a legal ground and facts, the sanction ladder's
proposal and deviations from it, four eyes on severe sanctions, strikes, orders to platforms and
the statement of reasons that every sanction in effect gives the affected user.

A decision whose sanctions all take effect at once decides the case at once (the reporters are
told). When a sanction needs a second supervisor, the case stays in review until every such
sanction is approved or rejected: reporters are never told of action that has not happened."""

import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.accounts.models import Staff
from frontstage.audit.actions import record
from frontstage.cases import ladder
from frontstage.cases.actions.core import CaseError, add_case_event, decide_case, move_case
from frontstage.cases.actions.orders import ORDER_FOR_SANCTION, issue_order
from frontstage.cases.actions.sanction_rules import (
    SanctionRequest,
    active_strikes,
    check_decision,
    check_sanction,
    needs_approval,
    proposal_for,
)
from frontstage.cases.models import (
    Case,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    Decision,
    DecisionOutcome,
    LegalGround,
    Sanction,
    SanctionKind,
    SanctionStatus,
    StatementOfReasons,
    Strike,
)
from frontstage.cases.notify import send_statement
from frontstage.cases.statement import puid_for, statement_content
from frontstage.intake.models import ReportSource
from frontstage.units.scope import SUPERVISION, unit_ids

__all__ = [
    "SanctionRequest",
    "active_strikes",
    "approve_sanction",
    "decide",
    "issue_statement",
    "proposal_for",
    "reject_sanction",
]

# DSA Art. 20: the complaint system stays open at least six months after the decision.
APPEAL_DAYS = 183


def decide(
    *,
    case: Case,
    outcome: str,
    legal_ground: LegalGround | None,
    facts: str,
    explanation: str = "",
    sanctions: Sequence[SanctionRequest],
    by: Staff,
) -> Decision:
    """Record a decision on `case` (triaged or in review) by someone who decides cases at its
    unit. `action` needs a legal ground of the case's category, facts and at least one sanction;
    `no_violation` needs facts and no sanction. Raises CaseError, writing nothing, when refused."""
    result = DecisionOutcome(outcome)
    facts, explanation = facts.strip(), explanation.strip()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("unit", "category")
            .get(pk=case.pk)
        )
        check_decision(case, result, legal_ground, facts, sanctions, by=by)
        if Sanction.objects.filter(case=case, status=SanctionStatus.AWAITING_APPROVAL).exists():
            raise CaseError(
                _("A decision on this case awaits a supervisor's approval; wait for it first.")
            )
        planned = [(request, _planned(case, request)) for request in sanctions]
        if case.status == CaseStatus.TRIAGED:
            case = move_case(case=case, to=CaseStatus.IN_REVIEW, by=by)
        reports = case.reports.all()
        automated = reports.filter(source=ReportSource.PATROL).exists()
        now = timezone.now()
        decision = Decision.objects.create(
            case=case,
            outcome=result,
            legal_ground=legal_ground if result == DecisionOutcome.ACTION else None,
            facts=facts,
            explanation=explanation,
            automated_detection=automated,
            decided_by=by,
            decided_at=now,
        )
        payload = {"decision": decision.pk, "outcome": result.value}
        if legal_ground is not None and result == DecisionOutcome.ACTION:
            payload["legal_ground"] = legal_ground.reference
        record(by=by, action="decision.recorded", obj=decision, unit=case.unit, payload=payload)
        for request, proposal in planned:
            _propose(case, decision, request, proposal, by=by)
        _settle(case, decision, by=by)
    return decision


def _planned(case: Case, request: SanctionRequest) -> ladder.Proposal:
    proposal = proposal_for(case, request.subject)
    return check_sanction(case, request, proposal)


def _propose(
    case: Case,
    decision: Decision,
    request: SanctionRequest,
    proposal: ladder.Proposal,
    *,
    by: Staff,
) -> Sanction:
    kind = SanctionKind(request.kind)
    awaiting = needs_approval(case, kind)
    # A prosecution referral is proposed on its own line, never instead of a measure.
    proposed_kind = kind if kind == SanctionKind.PROSECUTE else SanctionKind(proposal.kind or kind)
    proposed_days = None if kind == SanctionKind.PROSECUTE else proposal.days
    sanction = Sanction.objects.create(
        decision=decision,
        case=case,
        subject=request.subject,
        kind=kind,
        days=request.days if kind == SanctionKind.SUSPEND else None,
        proposed_kind=proposed_kind,
        proposed_days=proposed_days,
        deviation_reason=request.deviation_reason.strip(),
        status=SanctionStatus.AWAITING_APPROVAL if awaiting else SanctionStatus.IN_EFFECT,
        proposed_by=by,
        proposed_at=timezone.now(),
        affected_email=request.affected_email.strip(),
        affected_language=request.affected_language or "en",
    )
    payload = _described(sanction)
    if not awaiting:
        payload.update(_take_effect(sanction, by=by))
    add_case_event(case, CaseEventKind.SANCTION_PROPOSED, by=by, payload=payload)
    record(by=by, action="sanction.proposed", obj=sanction, unit=case.unit, payload=payload)
    return sanction


def approve_sanction(*, sanction: Sanction, by: Staff, note: str = "") -> Sanction:
    """A second supervisor covering the case's unit, not the proposer, lets the sanction take
    effect."""
    with transaction.atomic():
        sanction = _awaiting(sanction, by=by)
        sanction.status = SanctionStatus.IN_EFFECT
        sanction.approved_by, sanction.approved_at = by, timezone.now()
        sanction.approval_note = note.strip()
        sanction.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
        payload = {**_described(sanction), "note": sanction.approval_note}
        payload.update(_take_effect(sanction, by=by))
        add_case_event(sanction.case, CaseEventKind.SANCTION_APPROVED, by=by, payload=payload)
        record(by=by, action="sanction.approved", obj=sanction, unit=sanction.case.unit,
               payload=payload)  # fmt: skip
        _settle(sanction.case, sanction.decision, by=by)
    return sanction


def reject_sanction(*, sanction: Sanction, by: Staff, note: str) -> Sanction:
    """A second supervisor refuses the sanction, saying why (`note` is required). `approved_by`
    then records who answered. When nothing of the decision is left in effect, the case stays in
    review for a new decision."""
    if not note.strip():
        raise CaseError(_("Say why you reject the sanction; the analyst reads it."))
    with transaction.atomic():
        sanction = _awaiting(sanction, by=by)
        sanction.status = SanctionStatus.REJECTED
        sanction.approved_by, sanction.approved_at = by, timezone.now()
        sanction.approval_note = note.strip()
        sanction.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
        payload = {**_described(sanction), "note": sanction.approval_note, "reason": note.strip()}
        add_case_event(sanction.case, CaseEventKind.SANCTION_REJECTED, by=by, payload=payload)
        record(by=by, action="sanction.rejected", obj=sanction, unit=sanction.case.unit,
               payload=payload)  # fmt: skip
        _settle(sanction.case, sanction.decision, by=by)
    return sanction


def _awaiting(sanction: Sanction, *, by: Staff) -> Sanction:
    locked = (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("case__unit", "case__category", "decision__legal_ground", "subject")
        .get(pk=sanction.pk)
    )
    if locked.status != SanctionStatus.AWAITING_APPROVAL:
        raise CaseError(
            _("This sanction is already “%(status)s”; it no longer awaits approval.")
            % {"status": locked.get_status_display()}
        )
    if locked.case.unit_id not in unit_ids(by, SUPERVISION):
        raise CaseError(_("Only a supervisor of the case's unit or a unit above it may approve."))
    if by.pk in (locked.proposed_by_id, locked.decision.decided_by_id):
        raise CaseError(_("You proposed this sanction; another supervisor must approve it."))
    return locked


def _settle(case: Case, decision: Decision, *, by: Staff) -> None:
    """Decide the case once no sanction of `decision` awaits approval: action taken when one is
    in effect, no violation for such a decision; otherwise it stays in review."""
    statuses = set(decision.sanctions.values_list("status", flat=True))
    if SanctionStatus.AWAITING_APPROVAL in statuses:
        return
    case = Case.objects.get(pk=case.pk)
    if case.status != CaseStatus.IN_REVIEW:
        return
    if decision.outcome == DecisionOutcome.NO_VIOLATION:
        decide_case(case=case, outcome=CaseOutcome.NO_VIOLATION, by=by, reason=decision.facts)
    elif SanctionStatus.IN_EFFECT in statuses:
        decide_case(case=case, outcome=CaseOutcome.ACTION_TAKEN, by=by, reason=decision.facts)


def _take_effect(sanction: Sanction, *, by: Staff) -> dict[str, object]:
    """Start the sanction: its period, a strike for account measures, an order to the platform
    and the statement of reasons. Returns what to add to the event's payload."""
    now = timezone.now()
    sanction.status = SanctionStatus.IN_EFFECT
    sanction.starts_at = now
    sanction.ends_at = now + timedelta(days=sanction.days) if sanction.days else None
    sanction.save(update_fields=["status", "starts_at", "ends_at"])
    effects: dict[str, object] = {"status": sanction.status}
    lifetime = ladder.strike_lifetime(sanction.kind)
    if lifetime is not None and sanction.case.category is not None:
        strike = Strike.objects.create(
            subject=sanction.subject,
            sanction=sanction,
            category=sanction.case.category,
            issued_at=now,
            expires_at=now + lifetime,
        )
        effects["strike_expires_at"] = strike.expires_at.isoformat()
    action = ORDER_FOR_SANCTION.get(sanction.kind)
    if action is not None:
        order = issue_order(sanction=sanction, action=action, by=by)
        effects["order"] = order.reference if order is not None else None
    # A prosecution referral is not a restriction of the user (Art. 17) and telling the suspect
    # could warn them off; it gets no statement.
    if sanction.kind != SanctionKind.PROSECUTE:
        effects["statement"] = issue_statement(sanction=sanction, by=by).puid
    return effects


def issue_statement(*, sanction: Sanction, by: Staff) -> StatementOfReasons:
    """Freeze the statement of reasons of a sanction in effect and, on commit, e-mail its link
    to the affected user when their address is known. The caller writes the case event."""
    case, decision = sanction.case, sanction.decision
    if sanction.starts_at is None or case.category is None:
        raise CaseError(_("A statement of reasons is issued only for a sanction in effect."))
    puid = puid_for(case.unit.slug, sanction.pk)
    content = statement_content(
        puid=puid,
        unit=case.unit,
        case_reference=case.reference,
        sanction_kind=sanction.kind,
        days=sanction.days,
        starts_at=sanction.starts_at,
        ends_at=sanction.ends_at,
        subject_kind=sanction.subject.kind,
        subject_key=sanction.subject.key,
        category=case.category,
        facts=decision.facts,
        explanation=decision.explanation,
        legal_ground=decision.legal_ground,
        report_sources=case.reports.values_list("source", flat=True),
        automated_detection=decision.automated_detection,
        decided_at=decision.decided_at,
    )
    now = timezone.now()
    language = sanction.affected_language
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    statement = StatementOfReasons.objects.create(
        sanction=sanction,
        puid=puid,
        token=secrets.token_urlsafe(24),
        content=content,
        language=language,
        issued_at=now,
        appeal_until=now + timedelta(days=APPEAL_DAYS),
    )
    payload = {"puid": puid, "sanction": sanction.pk, "emailed": bool(sanction.affected_email)}
    record(by=by, action="statement.issued", obj=statement, unit=case.unit, payload=payload)
    if sanction.affected_email:
        statement_id = statement.pk
        transaction.on_commit(lambda: send_statement(statement_id=statement_id))
    return statement


def _described(sanction: Sanction) -> dict[str, object]:
    # The legal ground and automated detection are here so that the transparency report
    # (frontstage.publish.figures) counts sanctions by ground and automation from events alone.
    ground = sanction.decision.legal_ground
    return {
        "legal_ground": ground.reference if ground is not None else None,
        "automated_detection": sanction.decision.automated_detection,
        "sanction": sanction.pk,
        "subject": f"{sanction.subject.kind}:{sanction.subject.key}",
        "kind": sanction.kind,
        "days": sanction.days,
        "proposed_kind": sanction.proposed_kind,
        "proposed_days": sanction.proposed_days,
        "reason": sanction.deviation_reason,
        "status": sanction.status,
    }
