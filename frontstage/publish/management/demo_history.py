"""The published history of `frontstage demo`: months of cases in every regional unit taken
from report to decision, sanction, statement of reasons and closing (some appealed), case
reports and an advisory on every regional channel, and each unit's transparency report for the
last full quarter.

Every step goes through the real actions. The history happened in the past, so each step runs
with the clock set to its moment (`at`): the events, audit entries and figures carry those
times. Contract: `load_history(units=…, staff=…, today=…)` does nothing and returns 0 when the
history is already there; it needs the demo's units and staff (`analyst`, `analyst-east`,
`supervisor`, `supervisor-south`, `publisher`) and the casework demo (the platform)."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from django.db import transaction

from frontstage.accounts.models import Staff
from frontstage.cases.actions import move_case
from frontstage.cases.actions.appeals import decide_appeal, file_appeal
from frontstage.cases.actions.decisions import SanctionRequest, decide
from frontstage.cases.actions.sanction_rules import proposal_for
from frontstage.cases.actions.triage import set_category_and_severity
from frontstage.cases.models import (
    Case,
    CaseStatus,
    Category,
    DecisionOutcome,
    LegalGround,
    Severity,
    Subject,
    SubjectKind,
)
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.locate import canonical_key
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PUBLIC
from frontstage.units.models import Unit

SEED = 20260701
REGIONS = ("north", "east", "south", "shenzhen")
# Who decides in each unit: its analyst, or the national supervisor where it has none.
DECIDER = {"north": "supervisor", "east": "analyst-east", "south": "analyst", "shenzhen": "analyst"}
PER_UNIT = 9  # cases per unit; eight end in a sanction, one in "no violation"
MARKER = "https://history.example/north/0"

# (category, what the report says, what the unit found) — the stories the history repeats.
STORIES = [
    (
        "scam_fraud",
        "A text message said my parcel was held and linked to this page asking for a 2 yuan "
        "customs fee and my card number.",
        "The page imitates the postal service and collects card numbers for a fee that does not "
        "exist; three reporters lost money.",
    ),
    (
        "scam_fraud",
        "They recruit people to 'like' shop items for commission; after small payouts they asked "
        "me for a deposit of 3,000 yuan to unlock a bigger task.",
        "A task-brushing scheme: small payouts, then deposits that are never returned.",
    ),
    (
        "illegal_drugs",
        "This account sells 'ice' and 'leaves' with same-city delivery and a price list.",
        "The posts offer methamphetamine and cannabis for sale with delivery and prices.",
    ),
    (
        "illegal_weapons",
        "A shop selling replica guns that fire steel balls, with parts shipped separately.",
        "The listed replicas exceed the muzzle energy of the firearm standard; parts are sold "
        "to evade checks.",
    ),
    (
        "illegal_gambling",
        "An online 'lottery' with deposits by QR code and agents who recruit players.",
        "An unlicensed gambling platform taking deposits and paying agents commissions.",
    ),
    (
        "sexual_services",
        "Posts advertising 'massage' with explicit prices and a contact to arrange visits.",
        "The posts offer paid sexual services with a way to arrange them.",
    ),
]


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run the block as if it were `moment`: every action reads the time from
    django.utils.timezone.now."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def load_history(*, units: dict[str, Unit], staff: dict[str, Staff], today: date) -> int:
    """Load the history once; returns the number of cases it opened (0 when present)."""
    marker = canonical_key(SubjectKind.URL, MARKER)
    if Subject.objects.filter(kind=SubjectKind.URL, key=marker).exists():
        return 0
    quarter = last_full_quarter(today)
    start = datetime(quarter[0], 3 * quarter[1] - 2, 1, 9, 0, tzinfo=UTC)
    rng = random.Random(SEED)  # noqa: S311 - a repeatable demo, not a secret
    opened = 0
    with transaction.atomic():
        for slug in REGIONS:
            cases = []
            for number in range(PER_UNIT):
                moment = start + timedelta(days=rng.randrange(0, 88), hours=rng.randrange(0, 8))
                story = STORIES[(number + REGIONS.index(slug)) % len(STORIES)]
                case = _history_case(
                    units[slug], staff, slug, number, story, moment, sanction=number < 8
                )
                cases.append(case)
                opened += 1
            if DECIDER[slug] != "supervisor":  # the national supervisor reviews appeals
                _appeal(cases[0], staff, reverse=slug == "east")
        _publish(units, staff, quarter, start)
    return opened


def last_full_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter that ended before `today`."""
    current = (today.month - 1) // 3 + 1
    return (today.year, current - 1) if current > 1 else (today.year - 1, 4)


def _history_case(
    unit: Unit,
    staff: dict[str, Staff],
    slug: str,
    number: int,
    story: tuple[str, str, str],
    moment: datetime,
    *,
    sanction: bool,
) -> Case:
    code, text, facts = story
    category = Category.objects.get(code=code)
    url = f"https://history.example/{slug}/{number}"
    locations = [("url", url)]
    if code != "scam_fraud":
        locations.append(("account", f"weibo:{slug}seller{number}"))
    with at(moment):
        case = submit_report(
            submission=Submission(
                source=ReportSource.PUBLIC,
                locations=locations,
                explanation=text,
                category=category,
                region_code=unit.region_codes[0],
                unit=unit,
                good_faith=True,
            ),
            by=PUBLIC,
        ).report.case
    decider = staff[DECIDER[slug]]
    with at(moment + timedelta(hours=3)):
        case = set_category_and_severity(
            case=case, category=category, severity=Severity.MEDIUM, by=decider
        )
        case = move_case(case=case, to=CaseStatus.IN_REVIEW, by=decider)
    with at(moment + timedelta(days=2, hours=1)):
        if sanction:
            requests = [
                SanctionRequest(subject=s, kind=p.kind, days=p.days)
                for s in case.subjects.order_by("pk")
                for p in [proposal_for(case, s)]
                if p.kind is not None
            ]
            ground = LegalGround.objects.filter(category=category, unit=None).order_by("pk")[0]
            decide(
                case=case,
                outcome=DecisionOutcome.ACTION,
                legal_ground=ground,
                facts=facts,
                explanation="The content meets every element of the legal ground.",
                sanctions=requests,
                by=decider,
            )
        else:
            decide(
                case=case,
                outcome=DecisionOutcome.NO_VIOLATION,
                legal_ground=None,
                facts="The page is a legitimate shop; nothing unlawful was found.",
                sanctions=[],
                by=decider,
            )
    case.refresh_from_db()
    if case.status == CaseStatus.DECIDED:
        with at(moment + timedelta(days=3)):
            case = move_case(case=case, to=CaseStatus.CLOSED, by=decider)
    return case


def _appeal(case: Case, staff: dict[str, Staff], *, reverse: bool) -> None:
    """The affected user of `case` appeals its first sanction; the national supervisor, who
    took no part, upholds or reverses it."""
    sanction = case.sanctions.order_by("pk").first()
    if sanction is None or not hasattr(sanction, "statement"):
        return
    filed = sanction.statement.issued_at + timedelta(days=5)
    with at(filed):
        appeal = file_appeal(
            statement=sanction.statement,
            text="This page was a genuine shop order form; the messages were not sent by us.",
            by=PUBLIC,
        )
    with at(filed + timedelta(days=4)):
        decide_appeal(
            appeal=appeal,
            upheld=not reverse,
            reason=(
                "The shop showed its licence and the order records; the page was not a scam."
                if reverse
                else "The evidence shows the page collected card numbers; the removal stands."
            ),
            by=staff["supervisor"],
        )


def _publish(
    units: dict[str, Unit],
    staff: dict[str, Staff],
    quarter: tuple[int, int],
    start: datetime,
) -> None:
    """A case report of two closed cases and an advisory on every regional channel, then a
    published transparency report per unit for the quarter."""
    from frontstage.publish.actions.posts import (
        approve_publication,
        draft_advisory,
        draft_case_report,
    )
    from frontstage.publish.actions.reports import build_report, publish_report

    publisher = staff["publisher"]
    end = start + timedelta(days=95)
    for slug in REGIONS:
        closed = Case.objects.filter(
            unit=units[slug], status=CaseStatus.CLOSED, merged_into=None, sanctions__isnull=False
        ).distinct()
        with at(end):
            for case in closed.order_by("pk")[:2]:
                approve_publication(
                    publication=draft_case_report(case=case, by=publisher), by=publisher
                )
            advisory = draft_advisory(
                unit=units[slug],
                by=publisher,
                title_en="Fake parcel-fee messages are going around",
                body_en=(
                    "We received many reports this quarter of text messages saying a parcel is "
                    "held until a small customs fee is paid. **The postal service never asks for "
                    "a fee by text message.** Do not open the link; report the message to us."
                ),
                title_zh="警惕冒充快递“补缴关税”的短信",
                body_zh=(
                    "本季度我们收到大量举报，称收到“包裹被扣留、需补缴少量关税”的短信。"
                    "**邮政和快递公司不会通过短信收取费用。** 请勿点击链接，并向我们举报。"
                ),
            )
            approve_publication(publication=advisory, by=publisher)
    period = f"{quarter[0]}-Q{quarter[1]}"
    with at(end + timedelta(days=1)):
        for slug in ("national", *REGIONS):
            report = build_report(unit=units[slug], period=period, by=publisher)
            publish_report(report=report, by=publisher)
