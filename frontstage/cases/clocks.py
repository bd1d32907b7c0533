"""The clocks of a case: by when it must be acknowledged (someone triaged or took it) and
decided. Pure: no Django.

Each category and each report source has its clocks; a case runs on the fastest that applies,
each source's clock starting when its report arrived. An authority order's own deadline wins
when it is earlier. A clock is met when the case is acknowledged / decided.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@dataclass(frozen=True)
class Clock:
    acknowledge: timedelta
    decide: timedelta


#  category                              acknowledge   decide
CATEGORY_CLOCKS = {
    "threats": Clock(1 * HOUR, 24 * HOUR),
    "child_sexual_abuse": Clock(1 * HOUR, 24 * HOUR),
    "illegal_weapons": Clock(4 * HOUR, 3 * DAY),
}
#  report source                         acknowledge   decide
SOURCE_CLOCKS = {
    "authority_order": Clock(4 * HOUR, 2 * DAY),
    "trusted_flagger": Clock(8 * HOUR, 3 * DAY),
    "public": Clock(24 * HOUR, 7 * DAY),
    "patrol": Clock(48 * HOUR, 14 * DAY),
}
# A case with neither a known category nor a report (opened by hand) runs on the public clock.
DEFAULT_CLOCK = SOURCE_CLOCKS["public"]
DUE_SOON_PARTS = 5  # the last fifth of a clock's time is "due soon"


class ClockState(StrEnum):
    MET = "met"
    RUNNING = "running"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Arrival:
    """A report as the clocks see it."""

    source: str
    received_at: datetime
    deadline: datetime | None = None


@dataclass(frozen=True)
class Due:
    acknowledge_by: datetime
    decide_by: datetime
    # Why decide_by is what it is: "category:<code>", "source:<source>" or "deadline".
    decide_basis: str


def due(opened_at: datetime, category: str | None, arrivals: Iterable[Arrival]) -> Due:
    """When a case opened at `opened_at` must be acknowledged and decided: the earliest of
    its category's clocks (from the opening) and each report's source clocks (from its
    arrival), and of any authority deadline."""
    # (acknowledge by, decide by, basis) candidates; the earliest of each wins.
    candidates: list[tuple[datetime, datetime, str]] = []
    if category in CATEGORY_CLOCKS:
        clock = CATEGORY_CLOCKS[category]
        candidates.append(
            (opened_at + clock.acknowledge, opened_at + clock.decide, f"category:{category}")
        )
    deadlines: list[datetime] = []
    for arrival in arrivals:
        clock = SOURCE_CLOCKS.get(arrival.source, DEFAULT_CLOCK)
        start = arrival.received_at
        candidates.append(
            (start + clock.acknowledge, start + clock.decide, f"source:{arrival.source}")
        )
        if arrival.deadline is not None:
            deadlines.append(arrival.deadline)
    if not candidates:
        clock = DEFAULT_CLOCK
        candidates.append((opened_at + clock.acknowledge, opened_at + clock.decide, "default"))
    acknowledge_by = min(c[0] for c in candidates)
    _, decide_by, basis = min(candidates, key=lambda c: c[1])
    if deadlines and min(deadlines) < decide_by:
        decide_by, basis = min(deadlines), "deadline"
    # Nobody can be asked to decide before acknowledging.
    return Due(min(acknowledge_by, decide_by), decide_by, basis)


def clock_state(
    now: datetime, due: datetime, met_at: datetime | None, *, started: datetime | None = None
) -> ClockState:
    """The state of one clock. Met once `met_at` is set (even late: the queue no longer needs
    to act); else overdue after `due`; due soon in the last fifth of the time from `started`
    (without `started`, never "due soon"); else running."""
    if met_at is not None:
        return ClockState.MET
    if now >= due:
        return ClockState.OVERDUE
    if started is not None and now >= due - (due - started) / DUE_SOON_PARTS:
        return ClockState.DUE_SOON
    return ClockState.RUNNING
