"""How good a sender's notices are: the share of decided notices that led to action."""

from dataclasses import dataclass

from django.db.models import Count, Q

from frontstage.cases.models import CaseOutcome
from frontstage.intake.models import ApiClient


@dataclass(frozen=True)
class Precision:
    sent: int
    decided: int
    actioned: int
    unfounded: int

    @property
    def share(self) -> float | None:
        """Actioned / decided, or None before any notice was decided."""
        return self.actioned / self.decided if self.decided else None


def precision_of(client: ApiClient) -> Precision:
    counts = client.reports.aggregate(
        sent=Count("pk"),
        decided=Count("pk", filter=~Q(case__outcome="")),
        actioned=Count("pk", filter=Q(case__outcome=CaseOutcome.ACTION_TAKEN)),
        unfounded=Count("pk", filter=Q(unfounded_at__isnull=False)),
    )
    return Precision(**counts)
