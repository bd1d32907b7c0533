from django.core import mail
from django.test import override_settings
from django.urls import reverse

from frontstage.accounts.models import RoleKind
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError
from frontstage.cases.actions.queue import acknowledge_alert, raise_alert
from frontstage.cases.actions.triage import set_category_and_severity
from frontstage.cases.models import Alert, AlertKind, CaseEventKind, Category
from frontstage.cases.tests.test_queue import report
from frontstage.lib.actors import SYSTEM
from frontstage.test import Personas, make_case, make_staff


class ThreatAlerts(Personas):
    def threat(self):
        return make_case(self.south, "http://threat.example/", category="threats")

    def test_it_raises_an_alert_when_a_threats_case_opens(self) -> None:
        case = self.threat()
        alert = case.alerts.get()
        self.assertEqual((alert.kind, alert.unit), (AlertKind.THREAT_TO_LIFE, self.south))
        self.assertTrue(case.events.filter(kind=CaseEventKind.ALERT).exists())
        self.assertTrue(AuditEvent.objects.filter(action="alert.raised").exists())

    def test_it_raises_one_alert_however_many_reports_join(self) -> None:
        case = report(self.south, "http://threat.example/x", category="threats")
        report(self.south, "http://threat.example/x", category="threats")
        self.assertEqual(case.alerts.count(), 1)

    def test_it_raises_an_alert_when_a_case_becomes_a_threats_case(self) -> None:
        case = report(self.south, "http://unsure.example/", category=None)
        self.assertFalse(case.alerts.exists())
        threats = Category.objects.get(code="threats")
        set_category_and_severity(case=case, category=threats, severity="high", by=self.analyst)
        self.assertEqual(case.alerts.count(), 1)

    def test_it_emails_the_supervisors_of_the_unit(self) -> None:
        self.south_supervisor.email = "hua@south.example"
        self.south_supervisor.save()
        self.east_analyst.email = "wang@east.example"
        self.east_analyst.save()
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            case = self.threat()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["hua@south.example"])
        self.assertIn(case.reference, mail.outbox[0].subject)

    def test_it_shows_a_red_banner_to_supervisors_until_acknowledged(self) -> None:
        case = self.threat()
        banner = "1 open threat-to-life alert"
        page = self.client_for(self.south_supervisor).get(reverse("console:cases"))
        self.assertContains(page, banner)
        self.assertContains(self.client_for(self.supervisor).get(reverse("console:cases")), banner)
        self.assertNotContains(self.client_for(self.analyst).get(reverse("console:cases")), banner)
        acknowledge_alert(alert=case.alerts.get(), by=self.south_supervisor, note="Police called")
        page = self.client_for(self.south_supervisor).get(reverse("console:cases"))
        self.assertNotContains(page, banner)

    def test_it_keeps_the_banner_away_from_supervisors_of_other_units(self) -> None:
        east_supervisor = make_staff("east-boss", RoleKind.SUPERVISOR, self.east)
        raise_alert(case=self.south_case, reason="Threat in a comment", by=SYSTEM)
        page = self.client_for(east_supervisor).get(reverse("console:cases"))
        self.assertNotContains(page, "open threat-to-life alert")

    def test_it_lets_a_supervisor_acknowledge_with_a_note(self) -> None:
        alert = self.threat().alerts.get()
        response = self.client_for(self.south_supervisor).post(
            reverse("console:acknowledge_alert", args=[alert.pk]),
            {"note": "Police called"},
            follow=True,
        )
        self.assertRedirects(response, reverse("console:alerts"))
        alert.refresh_from_db()
        self.assertEqual(
            (alert.acknowledged_by, alert.note), (self.south_supervisor, "Police called")
        )
        self.assertContains(response, "Acknowledged by hua")
        self.assertTrue(alert.case.events.filter(kind=CaseEventKind.ALERT_ACKNOWLEDGED).exists())
        self.assertTrue(AuditEvent.objects.filter(action="alert.acknowledged").exists())

    def test_it_refuses_an_analyst_with_a_message_beside_the_form(self) -> None:
        alert = self.threat().alerts.get()
        response = self.client_for(self.analyst).post(
            reverse("console:acknowledge_alert", args=[alert.pk]), {"note": "I saw it"}
        )
        self.assertContains(response, "Only a supervisor of", status_code=400)
        self.assertContains(response, 'value="I saw it"', status_code=400)
        alert.refresh_from_db()
        self.assertIsNone(alert.acknowledged_at)

    def test_it_answers_htmx_with_the_alert_only(self) -> None:
        alert = self.threat().alerts.get()
        response = self.client_for(self.south_supervisor).post(
            reverse("console:acknowledge_alert", args=[alert.pk]),
            {"note": ""},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, f'id="alert-{alert.pk}"')
        self.assertNotContains(response, "<html")

    def test_it_refuses_a_second_acknowledgement(self) -> None:
        alert = self.threat().alerts.get()
        acknowledge_alert(alert=alert, by=self.south_supervisor)
        with self.assertRaisesMessage(CaseError, "already acknowledged by hua"):
            acknowledge_alert(alert=alert, by=self.supervisor)

    def test_it_hides_alerts_of_other_units(self) -> None:
        alert = self.threat().alerts.get()
        client = self.client_for(self.east_analyst)
        self.assertNotContains(client.get(reverse("console:alerts")), alert.case.reference)
        response = client.post(reverse("console:acknowledge_alert", args=[alert.pk]))
        self.assertEqual(response.status_code, 404)

    def test_it_refuses_people_without_a_casework_role(self) -> None:
        alert = self.threat().alerts.get()
        for person in (self.outsider, self.auditor, self.unit_admin):
            with self.subTest(person=person.username):
                client = self.client_for(person)
                self.assertEqual(client.get(reverse("console:alerts")).status_code, 403)
                url = reverse("console:acknowledge_alert", args=[alert.pk])
                self.assertEqual(client.post(url).status_code, 403)
        self.assertEqual(Alert.objects.filter(acknowledged_at__isnull=False).count(), 0)

    def test_it_lists_open_alerts_first(self) -> None:
        done = raise_alert(case=self.south_case, reason="Old threat", by=SYSTEM)
        acknowledge_alert(alert=done, by=self.south_supervisor)
        self.threat()
        page = (
            self.client_for(self.south_supervisor).get(reverse("console:alerts")).content.decode()
        )
        self.assertLess(page.index("threat.example"), page.index("Old threat"))

    def test_it_says_when_there_is_no_alert(self) -> None:
        page = self.client_for(self.analyst).get(reverse("console:alerts"))
        self.assertContains(page, "No alerts.")
