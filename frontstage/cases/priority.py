"""Severity and priority of a case, computed from what is known about it. Pure: no Django.

Two numbers, on purpose. *Harm* (category, reach, repeat offending, vulnerable victims) sets the
severity; *priority* is harm plus urgency (a trusted flagger or an authority is waiting), so an
authority order about a small scam is handled first without being called "critical".

Every point is a factor with a code, the points and a plain detail (numbers, codes), so that the
case page can explain the score in the reader's language. Factor codes are stable: the case page
translates them and exports may count them.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Factor(StrEnum):
    CATEGORY = "category"
    REPORTS = "reports"
    SOURCES = "sources"
    REACH = "reach"
    REPEAT = "repeat_offending"
    VULNERABLE = "vulnerable_victims"
    SET_BY_STAFF = "severity_set"
    TRUSTED = "trusted_source"
    AUTHORITY = "authority_order"


# The same values as cases.models.Severity (a TextChoices this module may not import).
LOW, MEDIUM, HIGH, CRITICAL = "low", "medium", "high", "critical"
SEVERITIES = (LOW, MEDIUM, HIGH, CRITICAL)

# Harm points a category brings by itself; a unit's own categories count as UNKNOWN_CATEGORY
# until someone sets the severity by hand.
CATEGORY_POINTS = {
    "child_sexual_abuse": 70,
    "threats": 60,
    "illegal_weapons": 55,
    "illegal_drugs": 45,
    "scam_fraud": 40,
    "sexual_services": 35,
    "illegal_gambling": 35,
    "defamation": 30,
}
UNKNOWN_CATEGORY = 35
# Categories whose victims are vulnerable by definition: children, people threatened.
VULNERABLE_CATEGORIES = frozenset({"child_sexual_abuse", "threats"})
VULNERABLE_POINTS = 15

# Lowest harm of each severity band, highest band first.
BANDS = ((75, CRITICAL), (55, HIGH), (35, MEDIUM), (0, LOW))

REPORT_POINTS, REPORT_POINTS_MAX = 2, 10  # per report after the first
SOURCE_POINTS, SOURCE_POINTS_MAX = 5, 10  # per distinct source after the first
STRIKE_POINTS, STRIKE_POINTS_MAX = 5, 15  # per active strike on the case's subjects
REACH_STEPS = ((1_000_000, 15), (100_000, 10), (1_000, 5))  # followers or views → points
TRUSTED_POINTS = 30
AUTHORITY_POINTS = 40


@dataclass(frozen=True)
class Inputs:
    """What the score is computed from. `reach` is the largest audience known (followers or
    views) or None when nobody told us; `set_severity` is a severity a person chose, which
    wins over the computed one."""

    category: str | None
    reports: int = 0
    sources: frozenset[str] = frozenset()
    reach: int | None = None
    active_strikes: int = 0
    set_severity: str | None = None


@dataclass(frozen=True)
class Score:
    severity: str
    priority: int
    # (factor code, points, detail) in the order they were counted.
    factors: tuple[tuple[str, int, str], ...] = field(default=())

    def factors_json(self) -> list[dict[str, object]]:
        """The factors as stored in `Case.priority_factors`."""
        return [{"factor": f, "points": p, "detail": d} for f, p, d in self.factors]


def score(inputs: Inputs) -> Score:
    """The severity (one of SEVERITIES) and priority (0–100) of a case, with the factors that
    add up to the priority."""
    factors: list[tuple[str, int, str]] = []
    code = inputs.category
    factors.append((Factor.CATEGORY, CATEGORY_POINTS.get(code or "", UNKNOWN_CATEGORY), code or ""))
    if code in VULNERABLE_CATEGORIES:
        factors.append((Factor.VULNERABLE, VULNERABLE_POINTS, code or ""))
    if inputs.reports > 1:
        points = min((inputs.reports - 1) * REPORT_POINTS, REPORT_POINTS_MAX)
        factors.append((Factor.REPORTS, points, str(inputs.reports)))
    if len(inputs.sources) > 1:
        points = min((len(inputs.sources) - 1) * SOURCE_POINTS, SOURCE_POINTS_MAX)
        factors.append((Factor.SOURCES, points, ", ".join(sorted(inputs.sources))))
    if inputs.reach is not None:
        points = next((p for least, p in REACH_STEPS if inputs.reach >= least), 0)
        if points:
            factors.append((Factor.REACH, points, str(inputs.reach)))
    if inputs.active_strikes > 0:
        points = min(inputs.active_strikes * STRIKE_POINTS, STRIKE_POINTS_MAX)
        factors.append((Factor.REPEAT, points, str(inputs.active_strikes)))
    harm = sum(points for _, points, _ in factors)
    severity = band(harm)
    if inputs.set_severity in SEVERITIES and inputs.set_severity != severity:
        # A person's severity wins; the harm moves to the nearest point of that band, so the
        # priority follows the person's judgement and the explanation still adds up.
        wanted = inputs.set_severity
        low, high = band_limits(wanted)
        adjusted = min(max(harm, low), high)
        factors.append((Factor.SET_BY_STAFF, adjusted - harm, wanted))
        harm, severity = adjusted, wanted
    # Urgency: the strongest trusted source counts once.
    if "authority_order" in inputs.sources:
        factors.append((Factor.AUTHORITY, AUTHORITY_POINTS, ""))
    elif "trusted_flagger" in inputs.sources:
        factors.append((Factor.TRUSTED, TRUSTED_POINTS, ""))
    priority = max(0, min(100, sum(points for _, points, _ in factors)))
    return Score(severity=severity, priority=priority, factors=tuple(factors))


def band(harm: int) -> str:
    """The severity of `harm` points."""
    return next(severity for least, severity in BANDS if harm >= least)


def band_limits(severity: str) -> tuple[int, int]:
    """The lowest and highest harm of a severity band (the top band ends at 100)."""
    ceiling = 100
    for least, name in BANDS:
        if name == severity:
            return least, ceiling
        ceiling = least - 1
    raise ValueError(f"Unknown severity {severity!r}")


def rank(severity: str) -> int:
    """Order of severities: low 0 … critical 3."""
    return SEVERITIES.index(severity)
