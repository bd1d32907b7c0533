from datetime import timedelta

from django.core import mail
from django.utils import timezone

from frontstage.cases.actions import decide_case, move_case
from frontstage.cases.models import Case
from frontstage.intake.actions import IntakeError, issue_api_client, set_client_status
from frontstage.intake.models import ClientKind, Report
from frontstage.intake.tests.helpers import report_body
from frontstage.test import Personas


class TrustedFlaggerNotices(Personas):
    """A consumer-protection NGO, a trusted flagger of the south region, sends notices."""

    def setUp(self) -> None:
        issued = issue_api_client(
            name="Safe Shopping NGO",
            kind=ClientKind.TRUSTED_FLAGGER,
            unit=self.south,
            by=self.unit_admin,
        )
        self.flagger, self.token = issued.client, issued.token

    def notice(self, token: str | None = None, **changes: object):
        body = report_body(altcha="", reference="NGO-77", **changes)
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.reporter().post(
            "/api/v1/notices", body, content_type="application/json", headers=headers
        )

    def test_it_files_a_notice_with_priority_and_reports_its_outcome(self) -> None:
        response = self.notice()
        self.assertEqual(response.status_code, 201, response.content)
        report = Report.objects.get(pk=response.json()["id"])
        self.assertEqual(
            (report.source, report.client, report.case.priority),
            ("trusted_flagger", self.flagger, 70),
        )
        case = move_case(case=report.case, to="triaged", by=self.analyst)
        case = move_case(case=case, to="in_review", by=self.analyst)
        decide_case(case=case, outcome="action_taken", by=self.supervisor)
        status = (
            self.reporter()
            .get(response.json()["status_url"], headers={"Authorization": f"Bearer {self.token}"})
            .json()
        )
        self.assertEqual(
            (status["status"], status["outcome"], status["reference"]),
            ("decided", "action_taken", "NGO-77"),
        )

    def test_it_refuses_a_missing_or_wrong_token(self) -> None:
        self.assertEqual(self.notice(token="fs_wrong").status_code, 401)
        anonymous = self.reporter().post(
            "/api/v1/notices", report_body(), content_type="application/json"
        )
        self.assertEqual(anonymous.status_code, 401)

    def test_it_hides_other_flaggers_notices(self) -> None:
        other = issue_api_client(
            name="Other", kind=ClientKind.TRUSTED_FLAGGER, unit=self.east, by=self.unit_admin
        )
        notice_id = self.notice().json()["id"]
        response = self.reporter().get(
            f"/api/v1/notices/{notice_id}", headers={"Authorization": f"Bearer {other.token}"}
        )
        self.assertEqual(response.status_code, 404)

    def test_it_suspends_a_flagger_only_after_a_warning(self) -> None:
        with self.assertRaisesMessage(IntakeError, "warned before"):
            set_client_status(
                client=self.flagger,
                status="suspended",
                reason="Unfounded notices",
                by=self.supervisor,
            )
        set_client_status(
            client=self.flagger,
            status="warned",
            reason="Three unfounded notices",
            by=self.supervisor,
        )
        set_client_status(
            client=self.flagger, status="suspended", reason="Two more unfounded", by=self.supervisor
        )
        response = self.notice()
        self.assertEqual(response.status_code, 403)
        self.assertIn("suspended", response.json()["detail"])

    def test_it_does_not_let_an_authority_token_file_notices(self) -> None:
        authority = issue_api_client(
            name="Court", kind=ClientKind.AUTHORITY, unit=self.national, by=self.unit_admin
        )
        self.assertEqual(self.notice(token=authority.token).status_code, 401)


class AuthorityOrders(Personas):
    def setUp(self) -> None:
        issued = issue_api_client(
            name="Shenzhen Court", kind=ClientKind.AUTHORITY, unit=self.shenzhen, by=self.unit_admin
        )
        self.token = issued.token

    def order(self, **changes: object):
        deadline = (timezone.now() + timedelta(days=2)).isoformat()
        values = {"legal_basis": "Criminal Procedure Law art. 54", "deadline": deadline, **changes}
        body = report_body(altcha="", **values)
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.reporter().post(
            "/api/v1/orders", body, content_type="application/json", headers=headers
        )

    def test_it_files_an_order_with_its_legal_basis_and_deadline(self) -> None:
        response = self.order()
        self.assertEqual(response.status_code, 201, response.content)
        report = Report.objects.get(pk=response.json()["id"])
        self.assertEqual(report.source, "authority_order")
        self.assertEqual(report.legal_basis, "Criminal Procedure Law art. 54")
        self.assertIsNotNone(report.deadline)
        self.assertEqual((report.case.unit, report.case.priority), (self.shenzhen, 80))

    def test_it_refuses_a_deadline_in_the_past(self) -> None:
        response = self.order(deadline=(timezone.now() - timedelta(hours=1)).isoformat())
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "deadline")

    def test_it_refuses_an_order_without_legal_basis(self) -> None:
        response = self.order(legal_basis="")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Report.objects.count(), 0)


class OutcomeToReporters(Personas):
    def test_it_emails_the_outcome_to_reporters_who_gave_an_address(self) -> None:
        from django.test import override_settings

        with override_settings(
            ALTCHA_MAX_NUMBER=2000, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.reporter().post(
                    "/api/v1/reports",
                    report_body(email="mei@example.org"),
                    content_type="application/json",
                )
            self.assertEqual(response.status_code, 201)
            self.assertEqual(len(mail.outbox), 1)
            self.assertIn(response.json()["receipt"], mail.outbox[0].body)
            case = Case.objects.get(reports__isnull=False)
            case = move_case(case=case, to="triaged", by=self.analyst)
            case = move_case(case=case, to="in_review", by=self.analyst)
            with self.captureOnCommitCallbacks(execute=True):
                decide_case(case=case, outcome="no_violation", by=self.supervisor)
            self.assertEqual(len(mail.outbox), 2)
            self.assertIn("No violation found", mail.outbox[1].body)
            status = self.reporter().get(f"/api/v1/reports/{response.json()['receipt']}").json()
            self.assertEqual(status["timeline"][-1]["label"], "No violation found")
