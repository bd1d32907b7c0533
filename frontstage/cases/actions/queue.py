"""Queue-side actions: scores, clocks, take next, alerts."""

from frontstage.cases.models import Case
from frontstage.lib.actors import Actor


def rescore_case(*, case: Case, by: Actor) -> Case:
    """Recompute the case's severity, priority and clocks after something about it changed
    (a report joined, its category changed)."""
    return case
