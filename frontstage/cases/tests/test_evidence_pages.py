from django.test import Client
from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.cases.models import CustodyAction, EvidenceItem, EvidenceKind
from frontstage.cases.package import check_package
from frontstage.cases.tests.test_evidence_capture import report
from frontstage.test import Personas


class EvidenceOnTheCasePage(Personas):
    def setUp(self) -> None:
        self.receipt = report("http://south.example/scam")
        items = EvidenceItem.objects.filter(case=self.south_case)
        self.text = items.get(kind=EvidenceKind.REPORT_TEXT)
        self.shot = items.get(kind=EvidenceKind.ATTACHMENT)
        self.case_url = reverse("console:case", args=[self.south_case.pk])

    def test_it_lists_the_items_with_short_hashes_and_custody_counts(self) -> None:
        page = self.client_for(self.analyst).get(self.case_url)
        self.assertContains(page, f'title="{self.shot.sha256}">{self.shot.sha256[:12]}…')
        self.assertContains(page, "1 entry", count=2)
        self.assertContains(page, "Show screenshot (recorded)")
        self.assertContains(page, reverse("console:evidence_export", args=[self.south_case.pk]))
        # Nothing is shown, and so nothing recorded, until someone asks to see it.
        self.assertNotContains(page, 'release a prize. 押金"')
        self.assertFalse(self.text.custody.filter(action=CustodyAction.VIEWED).exists())

    def test_it_shows_an_empty_state_when_a_case_has_no_evidence(self) -> None:
        page = self.client_for(self.east_analyst).get(
            reverse("console:case", args=[self.east_case.pk])
        )
        self.assertContains(page, "No evidence yet.")

    def test_it_lets_a_publisher_see_but_not_export_evidence(self) -> None:
        page = self.client_for(self.publisher).get(self.case_url)
        self.assertContains(page, self.shot.sha256[:12])
        self.assertNotContains(page, "Export evidence package")
        export = reverse("console:evidence_export", args=[self.south_case.pk])
        self.assertEqual(self.client_for(self.publisher).post(export).status_code, 403)

    def test_it_records_each_view_of_an_item_in_its_trail_and_the_audit_log(self) -> None:
        url = reverse("console:evidence_item", args=[self.text.pk])
        fragment = self.client_for(self.analyst).get(url, headers={"HX-Request": "true"})
        self.assertContains(fragment, '<pre class="evidence-text">')
        self.assertContains(fragment, "押金")
        raw = self.client_for(self.analyst).get(
            reverse("console:evidence_item", args=[self.shot.pk])
        )
        self.assertEqual(raw.content, bytes(self.shot.content))
        self.assertEqual(raw["Cache-Control"], "private, no-store")
        viewed = self.text.custody.get(action=CustodyAction.VIEWED)
        self.assertEqual(viewed.actor, self.analyst)
        self.assertEqual(self.shot.custody.filter(action=CustodyAction.VIEWED).count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action="evidence.viewed").count(), 2)

    def test_it_records_a_screenshot_viewed_from_its_report_in_the_trail(self) -> None:
        attachment = self.receipt.report.attachments.get()
        self.client_for(self.analyst).get(reverse("console:attachment", args=[attachment.pk]))
        self.assertEqual(self.shot.custody.filter(action=CustodyAction.VIEWED).count(), 1)
        self.assertTrue(AuditEvent.objects.filter(action="attachment.viewed").exists())

    def test_it_never_shows_an_item_kept_as_a_hash_only(self) -> None:
        report("http://csam.example/x", category="child_sexual_abuse")
        item = EvidenceItem.objects.get(content_type__contains="hash-only")
        url = reverse("console:evidence_item", args=[item.pk])
        self.assertEqual(self.client_for(self.supervisor).get(url).status_code, 404)
        page = self.client_for(self.supervisor).get(reverse("console:case", args=[item.case_id]))
        self.assertContains(page, "Kept as a hash only")

    def test_it_downloads_the_package_from_the_case_page(self) -> None:
        url = reverse("console:evidence_export", args=[self.south_case.pk])
        response = self.client_for(self.intake_agent).post(url)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn(f"{self.south_case.reference}-evidence.zip", response["Content-Disposition"])
        self.assertEqual(check_package(response.content), [])
        exported = AuditEvent.objects.get(action="evidence.exported")
        self.assertEqual(exported.actor, self.intake_agent)

    def test_it_says_so_when_there_is_nothing_to_export(self) -> None:
        url = reverse("console:evidence_export", args=[self.east_case.pk])
        response = self.client_for(self.east_analyst).post(url, follow=True)
        self.assertContains(response, "has no evidence to export yet")

    def test_it_verifies_the_hashes_from_the_case_page(self) -> None:
        url = reverse("console:evidence_verify", args=[self.south_case.pk])
        response = self.client_for(self.analyst).post(url, follow=True)
        self.assertContains(response, "Every evidence item still matches its recorded hash.")
        self.assertContains(response, "2 entries", count=2)


class EvidencePermissions(Personas):
    """Who gets what on every evidence URL: 200 (or a download / redirect) for staff of the
    case's unit, 404 for staff elsewhere, 403 for people without the role, login for the
    public."""

    def setUp(self) -> None:
        report("http://south.example/scam")
        self.item = EvidenceItem.objects.filter(case=self.south_case).first()

    def _status(self, person: object, method: str, url: str) -> int:
        client = self.client_for(person) if person is not None else Client()  # type: ignore[arg-type]
        return getattr(client, method)(url).status_code

    def test_it_answers_each_persona_as_the_matrix_says(self) -> None:
        assert self.item is not None
        view = ("get", reverse("console:evidence_item", args=[self.item.pk]))
        export = ("post", reverse("console:evidence_export", args=[self.south_case.pk]))
        verify = ("post", reverse("console:evidence_verify", args=[self.south_case.pk]))
        matrix = {
            "intake_agent": (200, 200, 302),
            "analyst": (200, 200, 302),
            "south_supervisor": (200, 200, 302),
            "supervisor": (200, 200, 302),
            "publisher": (200, 403, 403),
            "auditor": (403, 403, 403),
            "unit_admin": (403, 403, 403),
            "east_analyst": (404, 404, 404),
            "outsider": (403, 403, 403),
        }
        for name, expected in matrix.items():
            person = getattr(self, name)
            found = tuple(self._status(person, m, u) for m, u in (view, export, verify))
            self.assertEqual(found, expected, name)
        self.assertEqual(
            tuple(self._status(None, m, u) for m, u in (view, export, verify)), (302,) * 3
        )

    def test_it_refuses_to_export_on_a_get(self) -> None:
        url = reverse("console:evidence_export", args=[self.south_case.pk])
        self.assertEqual(self.client_for(self.analyst).get(url).status_code, 405)
