"""What a reporter sees of their report: a plain-language timeline derived from the case."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from frontstage.cases.models import CaseEventKind, CaseOutcome, CaseStatus
from frontstage.intake.models import Report


@dataclass(frozen=True)
class Step:
    at: datetime
    status: str  # received | under_review | decided
    label: str


def timeline(report: Report) -> list[Step]:
    """Received; under review once staff triaged the case; the outcome once decided. Only
    what the reporter may know: no staff names, no other reports."""
    case = report.case
    steps = [Step(report.received_at, "received", _("Received"))]
    reviewed = (
        case.events.filter(kind=CaseEventKind.MOVED, at__gte=report.received_at)
        .exclude(to_status=CaseStatus.NEW)
        .order_by("at")
        .first()
    )
    if reviewed is not None or case.status != CaseStatus.NEW:
        steps.append(
            Step(reviewed.at if reviewed else report.received_at, "under_review", _("Under review"))
        )
    if case.outcome and case.decided_at:
        steps.append(Step(case.decided_at, "decided", outcome_label(case.outcome)))
    return steps


def outcome_label(outcome: str) -> str:
    return {
        CaseOutcome.ACTION_TAKEN: _("Action taken against the content"),
        CaseOutcome.NO_VIOLATION: _("No violation found"),
        CaseOutcome.REFERRED: _("Referred to another authority"),
        CaseOutcome.REVERSED: _("The action taken was reversed on appeal"),
    }[CaseOutcome(outcome)]


def status_of(report: Report) -> str:
    return timeline(report)[-1].status
