from django.urls import reverse

from frontstage.cases.actions.triage import refer_case
from frontstage.cases.models import Case, CaseEventKind, CaseStatus, Category, Severity
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import Report
from frontstage.lib.actors import PUBLIC
from frontstage.test import Personas


class TriagePages(Personas):
    def setUp(self) -> None:
        self.reports = [self.report() for _ in range(2)]

    def report(self) -> Report:
        submission = Submission(
            source="public",
            locations=[("url", "http://south.example/scam")],
            explanation="A scam",
            unit=self.south,
        )
        return submit_report(submission=submission, by=PUBLIC).report

    def posts(self) -> dict[str, dict[str, str]]:
        """Every triage form of the south case, with valid input."""
        pk = self.south_case.pk
        return {
            reverse("console:set_category", args=[pk]): {"category": "threats", "severity": "low"},
            reverse("console:assign", args=[pk]): {"assignee": "me"},
            reverse("console:add_note", args=[pk]): {"text": "A note"},
            reverse("console:merge", args=[pk]): {
                "into": self.shenzhen_case.reference,
                "reason": "x",
            },
            reverse("console:split_report", args=[pk, self.reports[1].pk]): {"reason": "x"},
            reverse("console:refer", args=[pk]): {"to_unit": str(self.east.pk), "reason": "x"},
            reverse("console:escalate", args=[pk]): {"reason": "x"},
        }

    def test_it_refuses_every_triage_form_to_people_without_the_case(self) -> None:
        before = self.south_case.events.count()
        for person, status in (
            (self.outsider, 403),
            (self.auditor, 403),
            (self.publisher, 403),
            (self.unit_admin, 403),
            (self.east_analyst, 404),
        ):
            client = self.client_for(person)
            for url, data in self.posts().items():
                with self.subTest(person=person.username, url=url):
                    self.assertEqual(client.post(url, data).status_code, status)
        self.assertEqual(self.south_case.events.count(), before)

    def test_it_sends_anonymous_visitors_to_the_login_page(self) -> None:
        for url in [*self.posts(), reverse("console:referrals")]:
            response = self.reporter().post(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("console:login"), response["Location"])

    def test_it_refuses_the_referrals_page_to_people_who_handle_no_cases(self) -> None:
        for person in (self.outsider, self.auditor, self.publisher):
            status = self.client_for(person).get(reverse("console:referrals")).status_code
            self.assertEqual(status, 403)
        self.assertEqual(
            self.client_for(self.intake_agent).get(reverse("console:referrals")).status_code, 200
        )

    def test_it_accepts_only_posts(self) -> None:
        url = reverse("console:add_note", args=[self.south_case.pk])
        self.assertEqual(self.client_for(self.analyst).get(url).status_code, 405)

    def test_it_shows_the_triage_forms_to_an_intake_agent(self) -> None:
        page = self.client_for(self.intake_agent).get(
            reverse("console:case", args=[self.south_case.pk])
        )
        for form in (
            "triage-category",
            "triage-assign",
            "triage-note",
            "triage-merge",
            "triage-refer",
            "triage-escalate",
        ):
            self.assertContains(page, f'id="{form}"')
        self.assertContains(page, f'id="triage-split-{self.reports[1].pk}"')

    def test_it_shows_no_triage_form_to_a_publisher(self) -> None:
        page = self.client_for(self.publisher).get(
            reverse("console:case", args=[self.south_case.pk])
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="triage-category"')

    def test_it_sets_the_category_from_the_page(self) -> None:
        client = self.client_for(self.analyst)
        url = reverse("console:set_category", args=[self.south_case.pk])
        page = client.post(url, {"category": "threats", "severity": "critical"}, follow=True)
        self.assertContains(page, "Category and severity saved.")
        case = Case.objects.get(pk=self.south_case.pk)
        threats = Category.objects.get(code="threats")
        self.assertEqual((case.category_id, case.severity), (threats.pk, Severity.CRITICAL))

    def test_it_keeps_the_input_beside_the_form_when_refused(self) -> None:
        client = self.client_for(self.analyst)
        url = reverse("console:merge", args=[self.south_case.pk])
        page = client.post(url, {"into": "C-999999", "reason": "Same phone 5521"}, follow=True)
        self.assertContains(page, "There is no case “C-999999” in your units")
        self.assertContains(page, 'value="C-999999"')
        self.assertContains(page, 'value="Same phone 5521"')
        # Shown once: the next visit has a clean form.
        page = client.get(reverse("console:case", args=[self.south_case.pk]))
        self.assertNotContains(page, "Same phone 5521")

    def test_it_does_not_merge_into_a_case_of_another_region(self) -> None:
        url = reverse("console:merge", args=[self.south_case.pk])
        page = self.client_for(self.analyst).post(
            url, {"into": self.east_case.reference, "reason": "x"}, follow=True
        )
        self.assertContains(page, "in your units")
        self.assertEqual(Case.objects.get(pk=self.south_case.pk).status, CaseStatus.NEW)

    def test_it_merges_from_the_page_and_shows_the_case_that_goes_on(self) -> None:
        url = reverse("console:merge", args=[self.shenzhen_case.pk])
        response = self.client_for(self.analyst).post(
            url, {"into": str(self.south_case.pk), "reason": "Same"}
        )
        self.assertRedirects(response, reverse("console:case", args=[self.south_case.pk]))

    def test_it_splits_a_report_from_the_page(self) -> None:
        url = reverse("console:split_report", args=[self.south_case.pk, self.reports[1].pk])
        response = self.client_for(self.analyst).post(url, {"reason": "Other seller"})
        new = Report.objects.get(pk=self.reports[1].pk).case
        self.assertNotEqual(new, self.south_case)
        self.assertRedirects(response, reverse("console:case", args=[new.pk]))

    def test_it_refuses_a_split_of_a_report_of_another_case(self) -> None:
        url = reverse("console:split_report", args=[self.shenzhen_case.pk, self.reports[1].pk])
        self.assertEqual(self.client_for(self.analyst).post(url, {"reason": "x"}).status_code, 404)

    def test_it_assigns_to_me_and_to_a_colleague(self) -> None:
        url = reverse("console:assign", args=[self.south_case.pk])
        client = self.client_for(self.south_supervisor)
        client.post(url, {"assignee": "me"})
        self.assertEqual(Case.objects.get(pk=self.south_case.pk).assignee, self.south_supervisor)
        client.post(url, {"assignee": str(self.analyst.pk)})
        self.assertEqual(Case.objects.get(pk=self.south_case.pk).assignee, self.analyst)
        page = client.post(url, {"assignee": str(self.east_analyst.pk)}, follow=True)
        self.assertContains(page, "does not handle cases at")

    def test_it_refers_and_escalates_from_the_page(self) -> None:
        client = self.client_for(self.analyst)
        page = client.post(
            reverse("console:refer", args=[self.south_case.pk]),
            {"to_unit": "", "reason": "x"},
            follow=True,
        )
        self.assertContains(page, "Choose the unit")
        page = client.post(
            reverse("console:escalate", args=[self.south_case.pk]),
            {"reason": "National ring"},
            follow=True,
        )
        self.assertContains(page, "Escalated to")
        self.assertTrue(self.south_case.events.filter(kind=CaseEventKind.ESCALATED).exists())
        self.assertNotContains(page, 'id="triage-refer"')

    def test_it_lets_the_target_unit_answer_on_the_case_page(self) -> None:
        referral = refer_case(
            case=self.south_case, to_unit=self.national, reason="x", by=self.analyst
        )
        url = reverse("console:answer_referral", args=[referral.pk])
        page = self.client_for(self.supervisor).post(
            url, {"accept": "no", "answer": "", "back": "case"}, follow=True
        )
        self.assertContains(page, "Say why you decline")
        self.assertContains(page, 'id="triage-referral"')
