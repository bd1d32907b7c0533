import io

from django.urls import reverse
from PIL import Image

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import decide_case, move_case
from frontstage.intake.actions import IntakeError, Submission, issue_api_client, submit_report
from frontstage.intake.attachments import clean_image
from frontstage.intake.models import ApiClient, ClientKind, ReportSource
from frontstage.intake.quality import precision_of
from frontstage.lib.actors import PUBLIC, client_actor
from frontstage.test import Personas


def screenshot() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


class ReportsOnTheCasePage(Personas):
    def setUp(self) -> None:
        submission = Submission(
            source=ReportSource.PUBLIC,
            locations=[("url", "http://south.example/scam")],
            explanation="The page asks for a deposit to release a prize.",
            region_code="CN-GD",
            reporter_email="mei@example.org",
            attachments=[clean_image(screenshot())],
        )
        self.receipt = submit_report(submission=submission, by=PUBLIC)
        self.report = self.receipt.report

    def test_it_shows_the_reports_of_a_case_with_who_sent_them(self) -> None:
        self.assertEqual(self.report.case, self.south_case)
        page = self.client_for(self.analyst).get(reverse("console:case", args=[self.south_case.pk]))
        self.assertContains(page, "The page asks for a deposit to release a prize.")
        self.assertContains(page, "mei@example.org")
        self.assertContains(page, "1 report")

    def test_it_shows_a_screenshot_only_to_staff_of_the_unit_and_records_each_view(self) -> None:
        shot = self.report.attachments.get()
        url = reverse("console:attachment", args=[shot.pk])
        self.assertEqual(self.client_for(self.east_analyst).get(url).status_code, 404)
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 403)
        self.assertEqual(self.reporter().get(url).status_code, 302)
        response = self.client_for(self.analyst).get(url)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, shot.content_type))
        self.assertTrue(response.content.startswith(b"\xff\xd8"))
        self.client_for(self.analyst).get(url)
        views = AuditEvent.objects.filter(action="attachment.viewed", actor=self.analyst)
        self.assertEqual(views.count(), 2)

    def test_it_lets_an_analyst_message_the_reporter_who_reads_it_on_the_tracking_page(
        self,
    ) -> None:
        url = reverse("console:report_action", args=[self.report.pk, "message"])
        self.client_for(self.analyst).post(url, {"text": "Can you send the SMS sender's number?"})
        status = self.reporter().get(f"/api/v1/reports/{self.receipt.code}").json()
        self.assertEqual(status["messages"][0]["body"], "Can you send the SMS sender's number?")
        self.assertEqual(status["messages"][0]["from"], "unit")

    def test_it_does_not_let_staff_of_another_region_act_on_a_report(self) -> None:
        url = reverse("console:report_action", args=[self.report.pk, "unfounded"])
        response = self.client_for(self.east_analyst).post(url, {"text": "spam"})
        self.assertEqual(response.status_code, 404)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.unfounded_at)

    def test_it_needs_a_reason_to_mark_a_report_unfounded(self) -> None:
        url = reverse("console:report_action", args=[self.report.pk, "unfounded"])
        page = self.client_for(self.analyst).post(url, {"text": " "}, follow=True)
        self.assertContains(page, "Say why the report is manifestly unfounded.")
        self.client_for(self.analyst).post(url, {"text": "The page is a bank's real login."})
        self.report.refresh_from_db()
        self.assertIsNotNone(self.report.unfounded_at)


class FlaggerPrecision(Personas):
    def test_it_computes_the_share_of_decided_notices_that_led_to_action(self) -> None:
        flagger = issue_api_client(
            name="NGO", kind=ClientKind.TRUSTED_FLAGGER, unit=self.south, by=self.unit_admin
        ).client
        outcomes = ["action_taken", "action_taken", "no_violation", None]
        for i, outcome in enumerate(outcomes):
            submission = Submission(
                source=ReportSource.TRUSTED_FLAGGER,
                locations=[("url", f"http://n{i}.example/")],
                explanation="Notice about a fake shop.",
                client=flagger,
                unit=self.south,
            )
            case = submit_report(submission=submission, by=client_actor(flagger.pk)).report.case
            if outcome:
                case = move_case(case=case, to="triaged", by=self.analyst)
                case = move_case(case=case, to="in_review", by=self.analyst)
                decide_case(case=case, outcome=outcome, by=self.supervisor)
        figures = precision_of(flagger)
        self.assertEqual((figures.sent, figures.decided, figures.actioned), (4, 3, 2))
        self.assertAlmostEqual(figures.share or 0, 2 / 3)

    def test_it_shows_a_new_token_once_when_an_admin_adds_a_flagger(self) -> None:
        client = self.client_for(self.unit_admin)
        response = client.post(
            reverse("admin:intake_apiclient_add"),
            {
                "name": "Anti-fraud NGO",
                "kind": "trusted_flagger",
                "unit": self.south.pk,
                "webhook_url": "",
            },
            follow=True,
        )
        self.assertContains(response, "is shown only now")
        issued = ApiClient.objects.get(name="Anti-fraud NGO")
        self.assertTrue(
            AuditEvent.objects.filter(action="api_client.issued", object_id=str(issued.pk)).exists()
        )

    def test_it_registers_a_platform_with_its_code_and_domains_so_orders_find_it(self) -> None:
        client = self.client_for(self.unit_admin)
        client.post(
            reverse("admin:intake_apiclient_add"),
            {
                "name": "Weibo",
                "kind": "platform",
                "unit": self.national.pk,
                "platform": "weibo",
                "domains": "Weibo.com, weibo.cn.",
                "email": "orders@weibo.example",
            },
            follow=True,
        )
        weibo = ApiClient.objects.get(name="Weibo")
        self.assertEqual((weibo.platform, weibo.domains), ("weibo", ["weibo.cn", "weibo.com"]))
        self.assertEqual(weibo.email, "orders@weibo.example")

    def test_it_refuses_an_orders_address_that_is_not_one_and_issues_nothing(self) -> None:
        response = self.client_for(self.unit_admin).post(
            reverse("admin:intake_apiclient_add"),
            {"name": "Weibo", "kind": "platform", "unit": self.national.pk, "platform": "weibo",
             "email": "orders at weibo"},
        )  # fmt: skip
        self.assertContains(response, "Enter a valid email address.")
        self.assertFalse(ApiClient.objects.filter(name="Weibo").exists())
        with self.assertRaisesMessage(IntakeError, "“orders at weibo” is not an e-mail address."):
            issue_api_client(name="Weibo", kind="platform", unit=self.national, platform="weibo",
                             email="orders at weibo", by=self.unit_admin)  # fmt: skip
        self.assertFalse(ApiClient.objects.filter(name="Weibo").exists())

    def test_it_tells_an_admin_a_platform_needs_a_code_or_a_domain(self) -> None:
        client = self.client_for(self.unit_admin)
        response = client.post(
            reverse("admin:intake_apiclient_add"),
            {"name": "Nameless", "kind": "platform", "unit": self.national.pk, "domains": ""},
        )
        self.assertContains(response, "A platform needs its platform code")
        response = client.post(
            reverse("admin:intake_apiclient_add"),
            {"name": "Bad", "kind": "platform", "unit": self.national.pk, "domains": "not a host"},
        )
        self.assertContains(response, "is not a domain name")
        self.assertFalse(ApiClient.objects.filter(name__in=["Nameless", "Bad"]).exists())
