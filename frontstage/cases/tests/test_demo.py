import re
from io import StringIO

from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from frontstage.accounts.models import Staff
from frontstage.audit.models import AuditEvent
from frontstage.cases.models import (
    Alert,
    Appeal,
    AppealStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    OrderStatus,
    PlatformOrder,
    Referral,
    ReferralKind,
    ReferralStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
    StatementOfReasons,
)
from frontstage.intake.models import ApiClient, ClientKind
from frontstage.publish.management.demo_history import last_full_quarter
from frontstage.publish.models import (
    Publication,
    PublicationKind,
    PublicationStatus,
    TransparencyReport,
)
from frontstage.units.models import Unit


class DemoData(TestCase):
    def run_demo(self) -> str:
        out = StringIO()
        call_command("demo", "--url", "http://127.0.0.1:8000", stdout=out)
        return out.getvalue()

    def test_it_sets_up_units_personas_and_cases_in_every_state(self) -> None:
        printed = self.run_demo()
        self.assertEqual(Unit.objects.filter(level="regional").count(), 3)
        self.assertEqual(Unit.objects.filter(level="national").count(), 1)
        statuses = set(Case.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(CaseStatus.values))
        self.assertIn("http://127.0.0.1:8000/console/", printed)
        self.assertIn("3000 posts patrolled", printed)
        patrol_cases = Case.objects.filter(reports__source="patrol").distinct()
        self.assertGreater(patrol_cases.count(), 10)
        call_command("audit", "verify", stdout=StringIO())

    def test_it_can_be_run_again_without_duplicating_anything(self) -> None:
        self.run_demo()
        counts = (Unit.objects.count(), Case.objects.count(), AuditEvent.objects.count())
        printed = self.run_demo()
        self.assertEqual(
            (Unit.objects.count(), Case.objects.count(), AuditEvent.objects.count()), counts
        )
        self.assertIn("already present", printed)

    def test_it_prints_logins_that_work(self) -> None:
        printed = self.run_demo()
        password = re.search(r"password “([^”]+)”", printed)
        assert password is not None
        usernames = re.findall(r"^  ([a-z-]+) {2,}", printed, flags=re.MULTILINE)
        self.assertEqual(len(usernames), 8)
        for username in usernames:
            with self.subTest(username=username):
                client = Client()
                response = client.post(
                    reverse("console:login"),
                    {"username": username, "password": password.group(1)},
                )
                self.assertEqual(response.status_code, 302, response.content[:300])


class DemoCasework(TestCase):
    """The casework the demo adds on top of its cases (without the patrol, to stay quick)."""

    def run_demo(self) -> str:
        out = StringIO()
        call_command("demo", "--no-patrol", stdout=out)
        return out.getvalue()

    def page(self, username: str, name: str) -> str:
        client = Client()
        client.force_login(Staff.objects.get(username=username))
        response = client.get(reverse(name))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_registers_weibo_as_a_platform_and_prints_its_token_once(self) -> None:
        printed = self.run_demo()
        platform = ApiClient.objects.get(kind=ClientKind.PLATFORM)
        self.assertEqual((platform.platform, platform.domains), ("weibo", ["weibo.com"]))
        self.assertIn("API token (shown once): fs_", printed)
        self.assertNotIn("API token", self.run_demo())

    def test_it_leaves_a_permanent_suspension_waiting_for_a_second_supervisor(self) -> None:
        self.run_demo()
        waiting = Sanction.objects.get(
            kind=SanctionKind.SUSPEND_PERMANENTLY, status=SanctionStatus.AWAITING_APPROVAL
        )
        self.assertEqual(waiting.case.status, CaseStatus.IN_REVIEW)
        self.assertIn(waiting.case.reference, self.page("supervisor-south", "console:approvals"))
        approved = Sanction.objects.get(
            kind=SanctionKind.SUSPEND_PERMANENTLY, status=SanctionStatus.IN_EFFECT
        )
        self.assertNotEqual(approved.approved_by, approved.proposed_by)

    def test_it_sanctions_across_the_regions_with_statements_and_orders(self) -> None:
        self.run_demo()
        in_effect = Sanction.objects.filter(status=SanctionStatus.IN_EFFECT)
        kinds = set(in_effect.values_list("kind", flat=True))
        self.assertLessEqual({SanctionKind.REMOVE, SanctionKind.WARN, SanctionKind.SUSPEND}, kinds)
        regions = set(in_effect.values_list("case__unit__slug", flat=True))
        self.assertLessEqual({"north", "east", "south", "shenzhen"}, regions)
        # Every sanction that took effect has its statement, except prosecution referrals.
        took_effect = Sanction.objects.filter(
            status__in=[SanctionStatus.IN_EFFECT, SanctionStatus.LIFTED]
        ).exclude(kind=SanctionKind.PROSECUTE)
        self.assertEqual(StatementOfReasons.objects.count(), took_effect.count())
        statuses = set(PlatformOrder.objects.values_list("status", flat=True))
        self.assertLessEqual(
            {OrderStatus.SENT, OrderStatus.ACKNOWLEDGED, OrderStatus.COMPLIED, OrderStatus.REFUSED},
            statuses,
        )
        self.assertIn("weibo.com/", self.page("supervisor", "console:orders"))

    def test_it_has_an_open_appeal_and_one_reversed_by_someone_who_took_no_part(self) -> None:
        self.run_demo()
        self.assertTrue(Appeal.objects.filter(status=AppealStatus.OPEN).exists())
        for reversed_ in Appeal.objects.filter(status=AppealStatus.REVERSED):
            sanction = reversed_.statement.sanction
            self.assertEqual(sanction.status, SanctionStatus.LIFTED)
            self.assertNotIn(reversed_.decided_by, (sanction.proposed_by, sanction.approved_by))
        self.assertTrue(Appeal.objects.filter(status=AppealStatus.REVERSED).exists())
        open_appeal = Appeal.objects.filter(status=AppealStatus.OPEN).first()
        assert open_appeal is not None
        self.assertIn(open_appeal.case.reference, self.page("supervisor", "console:appeals"))

    def test_it_publishes_a_quarter_of_history_on_every_regional_channel(self) -> None:
        self.run_demo()
        self.assertGreaterEqual(StatementOfReasons.objects.count(), 30)
        quarter = last_full_quarter(timezone.now().date())
        period = f"{quarter[0]}-Q{quarter[1]}"
        for slug in ("north", "east", "south", "shenzhen"):
            published = Publication.objects.filter(
                unit__slug=slug, status=PublicationStatus.PUBLISHED
            )
            kinds = set(published.values_list("kind", flat=True))
            self.assertEqual(kinds, {PublicationKind.CASE_REPORT, PublicationKind.ADVISORY})
            report = TransparencyReport.objects.get(unit__slug=slug, period=period)
            self.assertIsNotNone(report.published_at)
            page = Client().get(reverse("channel", args=[slug])).content.decode()
            self.assertIn(published.first().title_en, page)  # type: ignore[union-attr]
            self.assertIn(period, page)
        national = TransparencyReport.objects.get(unit__slug="national", period=period)
        self.assertIsNotNone(national.published_at)

    def test_it_leaves_triage_work_a_threat_alert_and_a_merged_case(self) -> None:
        self.run_demo()
        pending = Referral.objects.filter(status=ReferralStatus.PENDING)
        self.assertEqual(
            set(pending.values_list("kind", flat=True)),
            {ReferralKind.REFERRAL, ReferralKind.ESCALATION},
        )
        self.assertTrue(
            Alert.objects.filter(acknowledged_at=None, case__category__code="threats").exists()
        )
        self.assertTrue(Case.objects.exclude(merged_into=None).exists())
        self.assertTrue(CaseEvent.objects.filter(kind=CaseEventKind.NOTE).exists())
        call_command("audit", "verify", stdout=StringIO())
