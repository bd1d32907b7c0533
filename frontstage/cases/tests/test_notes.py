from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError
from frontstage.cases.actions.triage import add_note
from frontstage.cases.models import CaseEventKind
from frontstage.intake.actions import Submission, submit_report
from frontstage.lib.actors import PUBLIC
from frontstage.test import Personas


class AddingNotes(Personas):
    def test_it_keeps_a_note_in_the_case_history_with_an_audit_event(self) -> None:
        add_note(case=self.south_case, text="  Called the bank.  ", by=self.intake_agent)
        event = self.south_case.events.get(kind=CaseEventKind.NOTE)
        self.assertEqual(
            (event.payload, event.actor), ({"text": "Called the bank."}, self.intake_agent)
        )
        audit = AuditEvent.objects.get(action="case.note_added")
        self.assertEqual(audit.payload, {"event": event.pk})
        self.assertNotIn("Called the bank", str(audit.payload))

    def test_it_refuses_an_empty_note(self) -> None:
        with self.assertRaisesMessage(CaseError, "Write the note"):
            add_note(case=self.south_case, text="   ", by=self.analyst)

    def test_it_refuses_a_note_that_is_too_long(self) -> None:
        with self.assertRaisesMessage(CaseError, "at most 5000 characters"):
            add_note(case=self.south_case, text="x" * 5001, by=self.analyst)

    def test_it_refuses_a_note_by_staff_of_another_region(self) -> None:
        with self.assertRaisesMessage(CaseError, "do not handle cases at"):
            add_note(case=self.south_case, text="Hello", by=self.east_analyst)

    def test_it_shows_notes_to_staff_on_the_case_page(self) -> None:
        add_note(case=self.south_case, text="Seller reuses the phone.", by=self.analyst)
        page = self.client_for(self.analyst).get(reverse("console:case", args=[self.south_case.pk]))
        self.assertContains(page, "Seller reuses the phone.")

    def test_it_adds_a_note_from_the_page_and_keeps_the_text_when_refused(self) -> None:
        client = self.client_for(self.analyst)
        url = reverse("console:add_note", args=[self.south_case.pk])
        page = client.post(url, {"text": "x" * 5001}, follow=True)
        self.assertContains(page, "at most 5000 characters")
        self.assertContains(page, "x" * 5001)
        page = client.post(url, {"text": "Checked the domain."}, follow=True)
        self.assertContains(page, "Note added.")
        self.assertTrue(self.south_case.events.filter(kind=CaseEventKind.NOTE).exists())

    def test_it_never_shows_a_note_to_the_reporter(self) -> None:
        submission = Submission(
            source="public",
            locations=[("url", "http://south.example/scam")],
            explanation="They took my deposit",
            unit=self.south,
        )
        receipt = submit_report(submission=submission, by=PUBLIC)
        add_note(case=receipt.report.case, text="Internal only 7731", by=self.analyst)
        reporter = self.reporter()
        reporter.post(reverse("intake:track"), {"code": receipt.code})
        page = reporter.get(reverse("intake:status"))
        self.assertContains(page, "Your report")
        self.assertNotContains(page, "Internal only 7731")
