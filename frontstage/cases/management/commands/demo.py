"""`frontstage demo`: a national unit, regional and local units, a persona per role, cases in
every state and the casework on top of them (decisions, approvals, orders, statements, appeals,
referrals: `demo_casework`), all written through the actions (so the audit log is real). Safe
to re-run."""

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from frontstage.accounts.actions import create_staff, grant_role
from frontstage.accounts.models import RoleKind, Staff
from frontstage.cases.actions import assign_case, decide_case, move_case
from frontstage.cases.management.demo_casework import load_casework
from frontstage.cases.models import CaseOutcome, CaseStatus, Category, Severity
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.publish.management.demo_history import load_history
from frontstage.units.actions import create_unit
from frontstage.units.models import Unit, UnitLevel

SAMPLE_STREAM = Path(__file__).resolve().parents[3] / "patrol" / "data" / "sample-stream.jsonl"
DEMO_PASSWORD = "frontstage-demo"  # noqa: S105 - printed for the demo logins on purpose

UNITS = [
    # slug, level, parent, English name, Chinese name, region codes
    (
        "national",
        UnitLevel.NATIONAL,
        None,
        "National Online Safety Unit",
        "国家网络安全中心",
        ["CN"],
    ),
    (
        "north",
        UnitLevel.REGIONAL,
        "national",
        "North Region Online Safety",
        "北部地区网络安全处",
        ["CN-BJ", "CN-TJ", "CN-HE"],
    ),
    (
        "east",
        UnitLevel.REGIONAL,
        "national",
        "East Region Online Safety",
        "东部地区网络安全处",
        ["CN-SH", "CN-JS", "CN-ZJ"],
    ),
    (
        "south",
        UnitLevel.REGIONAL,
        "national",
        "South Region Online Safety",
        "南部地区网络安全处",
        ["CN-GD", "CN-GX", "CN-HI"],
    ),
    (
        "shenzhen",
        UnitLevel.LOCAL,
        "south",
        "Shenzhen Online Safety Office",
        "深圳网络安全办公室",
        ["CN-GD-SZ"],
    ),
]

PERSONAS = [
    # username, display name, role, unit
    ("admin", "Ada Admin", RoleKind.UNIT_ADMIN, "national"),
    ("supervisor", "Sun Supervisor", RoleKind.SUPERVISOR, "national"),
    # A second supervisor: severe sanctions and appeals need someone who did not decide.
    ("supervisor-south", "Hua Supervisor", RoleKind.SUPERVISOR, "south"),
    ("publisher", "Pat Publisher", RoleKind.PUBLISHER, "national"),
    ("auditor", "Aud Auditor", RoleKind.AUDITOR, "national"),
    ("analyst", "Li Analyst", RoleKind.ANALYST, "south"),
    ("intake", "Ivy Intake", RoleKind.INTAKE_AGENT, "south"),
    ("analyst-east", "Wang Analyst", RoleKind.ANALYST, "east"),
]

CASES = [
    # unit, category, subject kind, key, severity, status, summary
    (
        "south",
        "scam_fraud",
        "url",
        "http://parcel-fee-refund.example/pay",
        Severity.HIGH,
        CaseStatus.NEW,
        "Fake parcel-fee payment page",
    ),
    (
        "south",
        "scam_fraud",
        "phone",
        "+86 138 0013 8000",
        Severity.MEDIUM,
        CaseStatus.TRIAGED,
        "Task-scam recruiter on messaging apps",
    ),
    (
        "south",
        "illegal_drugs",
        "account",
        "weibo:ice_seller_88",
        Severity.HIGH,
        CaseStatus.IN_REVIEW,
        "Account offering crystal meth",
    ),
    (
        "shenzhen",
        "illegal_gambling",
        "domain",
        "lucky-bet-888.example",
        Severity.MEDIUM,
        CaseStatus.DECIDED,
        "Unlicensed betting site advertised in groups",
    ),
    (
        "shenzhen",
        "scam_fraud",
        "wallet",
        "TQ4xAmpleWa11etAddre55ForDemo0001",
        Severity.MEDIUM,
        CaseStatus.CLOSED,
        "Wallet collecting investment-scam deposits",
    ),
    (
        "east",
        "illegal_weapons",
        "url",
        "http://replica-guns.example/shop",
        Severity.CRITICAL,
        CaseStatus.NEW,
        "Shop selling replica firearms and parts",
    ),
    (
        "east",
        "threats",
        "account",
        "x:angry_user_2026",
        Severity.CRITICAL,
        CaseStatus.TRIAGED,
        "Threat to attack a school",
    ),
    (
        "north",
        "sexual_services",
        "phone",
        "+86 139 0013 9000",
        Severity.MEDIUM,
        CaseStatus.NEW,
        "Escort adverts with contact number",
    ),
    (
        "north",
        "scam_fraud",
        "url",
        "http://bank-login-verify.example/",
        Severity.HIGH,
        CaseStatus.IN_REVIEW,
        "Phishing page copying a bank login",
    ),
    (
        "national",
        "scam_fraud",
        "domain",
        "investment-guru.example",
        Severity.HIGH,
        CaseStatus.TRIAGED,
        "Cross-region investment scam network",
    ),
]

# The path each demo case walks from "new" to its demo status.
PATH = [CaseStatus.TRIAGED, CaseStatus.IN_REVIEW, CaseStatus.DECIDED, CaseStatus.CLOSED]


class Command(BaseCommand):
    help = "Load the demo units, staff personas and cases (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument(
            "--url", default="", help="Where the site will be served, to print its addresses."
        )
        parser.add_argument(
            "--no-patrol", action="store_true", help="Do not patrol the bundled sample stream."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            units = self._units()
            staff = self._staff(units)
            opened = self._cases(units, staff)
        # After the cases above, in its own transaction: it adds to a demo loaded before it.
        casework = load_casework(units=units, staff=staff)
        history = load_history(units=units, staff=staff, today=timezone.now().date())
        if not options["no_patrol"]:
            call_command(
                "patrol", "run", "--source", str(SAMPLE_STREAM), "--unit", "national",
                stdout=self.stdout if not options["quiet"] else StringIO(),
            )  # fmt: skip
        if options["quiet"]:
            return
        state = f"{opened} demo cases opened" if opened else "demo data already present"
        self.stdout.write(f"Demo ready ({state}).")
        if casework.created:
            self.stdout.write(
                f"Casework added: {casework.cases} cases decided, approved, ordered, appealed, "
                "referred, escalated or merged."
            )
        if history:
            self.stdout.write(
                f"Published history added: {history} cases over the last full quarter, case "
                "reports and advisories on every regional channel, transparency reports."
            )
        if casework.token:
            self.stdout.write(f"Platform “weibo” API token (shown once): {casework.token}")
        if options["url"]:
            url = options["url"].rstrip("/")
            self.stdout.write(f"  Public site:  {url}/")
            self.stdout.write(f"  Console:      {url}/console/")
            self.stdout.write(f"  Admin:        {url}/admin/")
            self.stdout.write(
                f"  API (OpenAPI): {url}/api/v1/openapi.json  docs: {url}/api/v1/docs"
            )
        self.stdout.write(f"Logins, all with password “{DEMO_PASSWORD}”:")
        for username, name, role, unit in PERSONAS:
            self.stdout.write(f"  {username:<17} {role.label} at {unit} ({name})")

    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {u.slug: u for u in Unit.objects.all()}
        for slug, level, parent, name_en, name_zh, codes in UNITS:
            if slug not in units:
                units[slug] = create_unit(
                    slug=slug,
                    level=level,
                    parent=units.get(parent or ""),
                    name_en=name_en,
                    name_zh=name_zh,
                    region_codes=codes,
                    channel_display_name=name_en,
                    channel_about_en=f"{name_en} takes reports of illegal content online, "
                    "patrols public content and publishes what it did.",
                    channel_about_zh=f"{name_zh}受理网络违法内容举报，巡查公开内容，并公开工作情况。",
                    by=SYSTEM,
                )
        return units

    def _staff(self, units: dict[str, Unit]) -> dict[str, Staff]:
        people: dict[str, Staff] = {}
        for username, name, role, unit in PERSONAS:
            person = Staff.objects.filter(username=username).first()
            if person is None:
                person = create_staff(
                    username=username, password=DEMO_PASSWORD, display_name=name, by=SYSTEM
                )
            grant_role(staff=person, unit=units[unit], kind=role, by=SYSTEM)
            people[username] = person
        return people

    def _cases(self, units: dict[str, Unit], staff: dict[str, Staff]) -> int:
        if units["national"].cases.exists() or units["south"].cases.exists():
            return 0
        categories = {c.code: c for c in Category.objects.all()}
        supervisor = staff["supervisor"]
        for unit, category, kind, key, severity, status, summary in CASES:
            submission = Submission(
                source=ReportSource.PUBLIC,
                locations=[(kind, key)],
                explanation=summary,
                category=categories[category],
                region_code=units[unit].region_codes[0],
                severity=severity,
                priority=_priority(severity),
                good_faith=True,
            )
            case = submit_report(submission=submission, by=PUBLIC).report.case
            if status != CaseStatus.NEW:
                assign_case(case=case, assignee=supervisor, by=supervisor)
            for step in PATH[: PATH.index(status) + 1] if status in PATH else []:
                if step == CaseStatus.DECIDED:
                    case = decide_case(case=case, outcome=CaseOutcome.ACTION_TAKEN, by=supervisor)
                else:
                    case = move_case(case=case, to=step, by=supervisor, reason="Demo history")
        return len(CASES)


def _priority(severity: str) -> int:
    return {Severity.LOW: 20, Severity.MEDIUM: 50, Severity.HIGH: 75, Severity.CRITICAL: 95}[
        Severity(severity)
    ]
