"""What a decision must satisfy before anything is written: who may decide, the legal ground,
the facts, and each sanction against its subject and the ladder's proposal. Used by
`actions.decisions`; the console also asks `proposal_for` to show the ladder's proposal."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.accounts.models import Staff
from frontstage.cases import ladder
from frontstage.cases.actions.core import CaseError
from frontstage.cases.models import (
    ApprovalRequirement,
    Case,
    CaseStatus,
    DecisionOutcome,
    LegalGround,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Strike,
    Subject,
)
from frontstage.units.scope import DECIDING, lineage, unit_ids

MAX_SUSPENSION_DAYS = 3650
ALWAYS_APPROVED = frozenset({SanctionKind.SUSPEND_PERMANENTLY, SanctionKind.PROSECUTE})


@dataclass(frozen=True)
class SanctionRequest:
    """One sanction the decider asks for: `kind` a SanctionKind value, `days` for timed
    suspensions; `deviation_reason` is required when kind/days differ from the ladder's."""

    subject: Subject
    kind: str
    days: int | None = None
    deviation_reason: str = ""
    affected_email: str = ""
    affected_language: str = "en"


def active_strikes(subject: Subject) -> int:
    """Strikes still counting against `subject`. An account under a permanent suspension counts
    as the ladder's top rung: its permanence lives in the sanction, not in a strike."""
    now = timezone.now()
    if Sanction.objects.filter(
        subject=subject, kind=SanctionKind.SUSPEND_PERMANENTLY, status=SanctionStatus.IN_EFFECT
    ).exists():
        return ladder.PERMANENT_AT_STRIKES
    return Strike.objects.filter(subject=subject, removed_at=None, expires_at__gt=now).count()


def proposal_for(case: Case, subject: Subject) -> ladder.Proposal:
    """The ladder's proposal for `subject` in `case` (category and severity of the case)."""
    return ladder.propose(
        category=case.category.code if case.category else "",
        severity=case.severity,
        active_strikes=active_strikes(subject),
        subject_kind=subject.kind,
    )


def needs_approval(case: Case, kind: str) -> bool:
    """Permanent suspensions and prosecution referrals always; other kinds when the case's unit
    or a unit above it requires it (ApprovalRequirement)."""
    if kind in ALWAYS_APPROVED:
        return True
    return ApprovalRequirement.objects.filter(unit_id__in=lineage(case.unit), kind=kind).exists()


def check_decision(
    case: Case,
    outcome: DecisionOutcome,
    ground: LegalGround | None,
    facts: str,
    sanctions: Sequence[SanctionRequest],
    *,
    by: Staff,
) -> None:
    """Refuse, with a message that says how to fix it, a decision that may not be recorded."""
    if case.unit_id not in unit_ids(by, DECIDING):
        raise CaseError(_("Only an analyst or a supervisor of the case's unit may decide it."))
    if case.status not in (CaseStatus.TRIAGED, CaseStatus.IN_REVIEW):
        raise CaseError(
            _("A case that is “%(status)s” cannot be decided; triage it or reopen it first.")
            % {"status": CaseStatus(case.status).label}
        )
    if not facts:
        raise CaseError(_("Write the facts the decision rests on."))
    if outcome == DecisionOutcome.NO_VIOLATION:
        if sanctions:
            raise CaseError(_("A decision of no violation takes no sanction; remove them."))
        return
    if case.category is None:
        raise CaseError(_("Set the case's category before taking action."))
    if ground is None:
        raise CaseError(_("Choose the legal ground the action rests on."))
    if ground.category_id != case.category_id or not ground.active:
        raise CaseError(_("Choose a legal ground of the case's category, %(category)s.")
                        % {"category": case.category.name})  # fmt: skip
    if ground.unit_id is not None and ground.unit_id not in lineage(case.unit):
        raise CaseError(_("This legal ground belongs to another unit; choose one of yours."))
    if not sanctions:
        raise CaseError(_("Choose at least one sanction, or decide that there is no violation."))
    seen = [(request.subject.pk, SanctionKind(request.kind)) for request in sanctions]
    if len(set(seen)) < len(seen):
        raise CaseError(_("Each sanction may be chosen once per subject."))


def check_sanction(
    case: Case, request: SanctionRequest, proposal: ladder.Proposal
) -> ladder.Proposal:
    """Refuse a sanction that does not fit its subject or departs from the ladder's proposal
    without a reason; returns the proposal it was compared with."""
    subject = request.subject
    kind = SanctionKind(request.kind)
    if not case.subjects.filter(pk=subject.pk).exists():
        raise CaseError(_("%(subject)s is not a subject of this case.") % {"subject": subject})
    if not ladder.fits(kind, subject.kind):
        raise CaseError(
            _("“%(kind)s” cannot apply to %(subject)s; choose a measure for that kind of subject.")
            % {"kind": kind.label, "subject": subject}
        )
    days = request.days
    if kind == SanctionKind.SUSPEND and not (days and 1 <= days <= MAX_SUSPENSION_DAYS):
        raise CaseError(
            _("Give the suspension's length in days, from 1 to %(max)s.")
            % {"max": MAX_SUSPENSION_DAYS}
        )
    if request.affected_email.strip() and not _valid_email(request.affected_email.strip()):
        raise CaseError(
            _("“%(email)s” is not an e-mail address; correct it or leave it empty.")
            % {"email": request.affected_email}
        )
    if request.affected_language not in dict(settings.LANGUAGES):
        raise CaseError(_("Choose the affected user's language from the list."))
    if kind != SanctionKind.PROSECUTE:
        same = proposal.kind == kind and (kind != SanctionKind.SUSPEND or proposal.days == days)
        if not same and not request.deviation_reason.strip():
            raise CaseError(
                _(
                    "The ladder proposes “%(proposed)s” for %(subject)s; say why you choose "
                    "otherwise."
                )
                % {"proposed": _shown(proposal), "subject": subject}
            )
    return proposal


def _shown(proposal: ladder.Proposal) -> str:
    if proposal.kind is None:
        return str(_("no measure"))
    label = str(SanctionKind(proposal.kind).label)
    if proposal.days:
        return _("%(kind)s, %(days)s days") % {"kind": label, "days": proposal.days}
    return label


def _valid_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True
