"""The casework part of `frontstage demo`: a platform that receives orders, and cases taken
from report to decision, approval, order, statement of reasons and appeal — every step through
the real actions, so the case histories and the audit log are what the console would write.

Contract: `load_casework(units=…, staff=…)` runs in one transaction and returns what it did;
it does nothing (and returns `created=False`) when the demo's casework is already there, so
the demo stays safe to re-run. It needs the demo units (national, north, east, south,
shenzhen) and the demo staff (analyst, analyst-east, intake, supervisor, supervisor-south)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from frontstage.accounts.models import Staff
from frontstage.cases.actions.appeals import decide_appeal, file_appeal
from frontstage.cases.actions.decisions import SanctionRequest, approve_sanction, decide
from frontstage.cases.actions.orders import acknowledge_order, answer_order, mark_sent
from frontstage.cases.actions.triage import (
    add_note,
    escalate_case,
    merge_cases,
    refer_case,
    set_category_and_severity,
)
from frontstage.cases.models import (
    Case,
    Category,
    DecisionOutcome,
    LegalGround,
    PlatformOrder,
    Sanction,
    SanctionKind,
    Severity,
    Subject,
    SubjectKind,
)
from frontstage.intake.actions import Submission, issue_api_client, submit_report
from frontstage.intake.locate import canonical_key
from frontstage.intake.models import ApiClient, ClientKind, ReportSource
from frontstage.lib.actors import PUBLIC, SYSTEM, client_actor
from frontstage.units.models import Unit

PLATFORM = "weibo"
PLATFORM_DOMAINS = ["weibo.com"]
# The first subject the casework opens a case about: when it exists, the casework is there.
MARKER_URL = "https://weibo.com/7788123/parcelrefund"


@dataclass(frozen=True)
class Casework:
    """What `load_casework` did: `created` is False when it found its work already done;
    `token` is the platform's API token, shown once, when the platform was registered now."""

    created: bool
    token: str = ""
    cases: int = 0


class DemoCasework:
    """The demo's units and staff, and helpers that act as them."""

    def __init__(self, units: dict[str, Unit], staff: dict[str, Staff]) -> None:
        self.units, self.staff = units, staff
        self.categories = {c.code: c for c in Category.objects.filter(unit=None)}
        self.opened = 0

    def case(
        self,
        unit: str,
        category: str,
        kind: str,
        key: str,
        text: str,
        severity: Severity,
        *,
        triage_by: str | None = None,
    ) -> Case:
        """A public report at `unit` opening a new case, triaged by `triage_by` if given."""
        submission = Submission(
            source=ReportSource.PUBLIC,
            locations=[(kind, key)],
            explanation=text,
            category=self.categories[category],
            region_code=self.units[unit].region_codes[0],
            unit=self.units[unit],
            severity=severity,
            good_faith=True,
        )
        case = submit_report(submission=submission, by=PUBLIC).report.case
        self.opened += 1
        if triage_by is not None:
            case = set_category_and_severity(
                case=case, category=case.category, severity=severity, by=self.staff[triage_by]
            )
        return case

    def decide(
        self, case: Case, by: str, facts: str, *requests: tuple[str, int | None, str]
    ) -> list[Sanction]:
        """Decide `case` as `by` with one sanction (kind, days, deviation reason) per request,
        all on the case's first subject and the first shipped ground of its category."""
        ground = (
            LegalGround.objects.filter(category=case.category, unit=None, active=True)
            .order_by("pk")
            .first()
        )
        subject = case.subjects.order_by("pk")[0]  # every demo case is about one subject
        wanted: Sequence[SanctionRequest] = [
            SanctionRequest(subject=subject, kind=kind, days=days, deviation_reason=why)
            for kind, days, why in requests
        ]
        decision = decide(
            case=case,
            outcome=DecisionOutcome.ACTION,
            legal_ground=ground,
            facts=facts,
            explanation="The content is unlawful in the unit's territory; see the legal ground.",
            sanctions=wanted,
            by=self.staff[by],
        )
        return list(decision.sanctions.order_by("pk"))


def load_casework(*, units: dict[str, Unit], staff: dict[str, Staff]) -> Casework:
    """Load the demo's casework once (see the module docstring)."""
    with transaction.atomic():
        marker = canonical_key(SubjectKind.URL, MARKER_URL)
        if Subject.objects.filter(kind=SubjectKind.URL, key=marker).exists():
            return Casework(created=False)
        token = _platform(units["national"])
        demo = DemoCasework(units, staff)
        _content_removals(demo)
        _account_sanctions(demo)
        _four_eyes(demo)
        _triage(demo)
    return Casework(created=True, token=token, cases=demo.opened)


def _platform(national: Unit) -> str:
    """Register Weibo as a platform receiving orders; returns its token ("" if it existed)."""
    if ApiClient.objects.filter(kind=ClientKind.PLATFORM, platform=PLATFORM).exists():
        return ""
    issued = issue_api_client(
        name="Weibo",
        kind=ClientKind.PLATFORM,
        unit=national,
        platform=PLATFORM,
        domains=PLATFORM_DOMAINS,
        by=SYSTEM,
    )
    return issued.token


def _order(sanction: Sanction) -> PlatformOrder:
    return sanction.orders.order_by("pk").get()


def _answering(order: PlatformOrder) -> str:
    """The platform answering `order`, as the API records it (demo orders all have one)."""
    return client_actor(order.client_id or 0)


def _content_removals(demo: DemoCasework) -> None:
    """Removals on Weibo (complied and appealed; refused) and one on a site without a
    registered platform (no order: the analyst acts by other means)."""
    parcel = demo.case(
        "south", "scam_fraud", "url", MARKER_URL,
        "Post promising a parcel-fee refund through a payment link", Severity.HIGH,
        triage_by="analyst",
    )  # fmt: skip
    (removal,) = demo.decide(
        parcel, "analyst", "The post links to a fake payment page; three victims paid.",
        (SanctionKind.REMOVE, None, ""),
    )  # fmt: skip
    platform = _answering(_order(removal))
    acknowledge_order(order=_order(removal), by=platform)
    answer_order(order=_order(removal), complied=True, answer="Post removed.", by=platform)
    file_appeal(
        statement=removal.statement,
        text="My post was a warning about this scam, quoting the fraudsters' link to expose it.",
        by=PUBLIC,
    )
    note = "Appeal came in: check the author's earlier posts before the review."
    add_note(case=parcel, text=note, by=demo.staff["analyst"])

    betting = demo.case(
        "shenzhen", "illegal_gambling", "url", "https://weibo.com/lucky888/5012345678",
        "Post advertising an unlicensed betting site with sign-up bonus", Severity.MEDIUM,
        triage_by="supervisor-south",
    )  # fmt: skip
    (removal,) = demo.decide(
        betting, "supervisor-south", "The post invites users to bet on an unlicensed site.",
        (SanctionKind.REMOVE, None, ""),
    )  # fmt: skip
    mark_sent(order=_order(removal), by=SYSTEM)
    answer_order(
        order=_order(removal),
        complied=False,
        answer="We consider the post a news report about the site; please send a court order.",
        by=_answering(_order(removal)),
    )

    phishing = demo.case(
        "north", "scam_fraud", "url", "https://weibo.com/bankhelp/4990011223",
        "Post copying a bank's notice with a link to a fake login", Severity.HIGH,
        triage_by="supervisor",
    )  # fmt: skip
    (removal,) = demo.decide(
        phishing, "supervisor", "The linked page imitates the bank's login and collects passwords.",
        (SanctionKind.REMOVE, None, ""),
    )  # fmt: skip
    mark_sent(order=_order(removal), by=SYSTEM)

    loans = demo.case(
        "east", "scam_fraud", "domain", "fast-loan-approval.example",
        "Loan site asking for an 'unlock fee' before paying out", Severity.MEDIUM,
        triage_by="analyst-east",
    )  # fmt: skip
    demo.decide(
        loans, "analyst-east", "Victims paid unlock fees and never received a loan.",
        (SanctionKind.REMOVE, None, ""),
    )  # fmt: skip


def _account_sanctions(demo: DemoCasework) -> None:
    """A warning, a timed suspension in effect, and a suspension reversed on appeal by a
    supervisor who took no part in the decision."""
    helper = demo.case(
        "north", "scam_fraud", "account", "weibo:bank_verify_help",
        "Account offering to 'verify' bank cards in private messages", Severity.MEDIUM,
        triage_by="supervisor",
    )  # fmt: skip
    demo.decide(helper, "supervisor", "The account asked two users for card codes.",
                (SanctionKind.WARN, None, ""))  # fmt: skip

    seller = demo.case(
        "south", "illegal_drugs", "account", "weibo:ice_seller_99",
        "Account selling crystal meth with delivery", Severity.HIGH, triage_by="analyst",
    )  # fmt: skip
    (suspension,) = demo.decide(
        seller, "analyst", "Price lists and delivery offers posted daily for two weeks.",
        (SanctionKind.SUSPEND, 30, "Sales to students; a week would not stop the trade."),
    )  # fmt: skip
    order = _order(suspension)
    acknowledge_order(order=order, by=_answering(order))

    parties = demo.case(
        "east", "illegal_drugs", "account", "weibo:party_supplies_sh",
        "Account said to sell 'party supplies' (drugs)", Severity.HIGH, triage_by="analyst-east",
    )  # fmt: skip
    (suspension,) = demo.decide(
        parties, "analyst-east", "Posts offering 'party supplies' with coded prices.",
        (SanctionKind.SUSPEND, 7, ""),
    )  # fmt: skip
    mark_sent(order=_order(suspension), by=SYSTEM)
    appeal = file_appeal(
        statement=suspension.statement,
        text="I sell balloons and decorations for parties; the prices are for helium tanks.",
        by=PUBLIC,
    )
    decide_appeal(
        appeal=appeal,
        upheld=False,
        reason="The shop is real and the prices match its balloon catalogue; no drug offer.",
        by=demo.staff["supervisor"],
    )


def _four_eyes(demo: DemoCasework) -> None:
    """A permanent suspension (with a prosecution referral) awaiting a second supervisor, on a
    threats case whose Art. 18 alert is still open, and one a second supervisor approved."""
    threat = demo.case(
        "south", "threats", "account", "weibo:revenge_2026",
        "Account threatening to attack a named teacher", Severity.CRITICAL, triage_by="analyst",
    )  # fmt: skip
    demo.decide(
        threat, "analyst", "Three posts name the teacher, the school and a date for the attack.",
        (SanctionKind.SUSPEND_PERMANENTLY, None, ""), (SanctionKind.PROSECUTE, None, ""),
    )  # fmt: skip

    arms = demo.case(
        "south", "illegal_weapons", "account", "weibo:replica_arms_dealer",
        "Account selling converted replica pistols", Severity.CRITICAL,
        triage_by="supervisor-south",
    )  # fmt: skip
    (permanent,) = demo.decide(
        arms, "supervisor-south", "Photos and prices of converted pistols; buyers in 3 cities.",
        (SanctionKind.SUSPEND_PERMANENTLY, None, ""),
    )  # fmt: skip
    approve_sanction(sanction=permanent, by=demo.staff["supervisor"],
                     note="Evidence checked; the conversions make them firearms.")  # fmt: skip


def _triage(demo: DemoCasework) -> None:
    """A pending referral between units, an escalation to the national unit, and two cases
    about the same scam merged into one."""
    caller = demo.case(
        "south", "scam_fraud", "phone", "+86 137 0013 7000",
        "Caller posing as customs, asking for a 'clearance fee'", Severity.MEDIUM,
        triage_by="analyst",
    )  # fmt: skip
    refer_case(case=caller, to_unit=demo.units["east"], by=demo.staff["analyst"],
               reason="The victims' transfers went to accounts opened in Hangzhou.")  # fmt: skip

    network = demo.case(
        "east", "scam_fraud", "domain", "crypto-double.example",
        "Site promising to double crypto deposits", Severity.HIGH, triage_by="analyst-east",
    )  # fmt: skip
    why = "Same site reported in three regions; one national case is needed."
    escalate_case(case=network, reason=why, by=demo.staff["analyst-east"])

    page = demo.case(
        "south", "scam_fraud", "url", "http://parcel-refund-center.example/claim",
        "Parcel refund page asking for card details", Severity.HIGH, triage_by="intake",
    )  # fmt: skip
    phone = demo.case(
        "south", "scam_fraud", "phone", "+86 136 0013 6000",
        "Text message with a parcel refund number", Severity.MEDIUM,
    )  # fmt: skip
    merge_cases(case=phone, into=page, by=demo.staff["intake"],
                reason="The refund page lists this phone number; one scam.")  # fmt: skip
