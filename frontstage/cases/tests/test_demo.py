import re
from io import StringIO

from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.cases.models import Case, CaseStatus
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
        self.assertEqual(len(usernames), 7)
        for username in usernames:
            with self.subTest(username=username):
                client = Client()
                response = client.post(
                    reverse("console:login"),
                    {"username": username, "password": password.group(1)},
                )
                self.assertEqual(response.status_code, 302, response.content[:300])
