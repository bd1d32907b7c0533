"""Case reports and advisories: drafted from a closed case, edited, approved only when no
personal data remains, withdrawn with a reason; only publishers of the unit may."""

from django.urls import reverse
from django.utils import timezone

from frontstage.accounts.models import RoleKind
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, move_case
from frontstage.cases.actions.decisions import SanctionRequest, decide
from frontstage.cases.models import Case, CaseStatus, LegalGround, Subject
from frontstage.intake.models import Report
from frontstage.publish.actions.posts import (
    approve_publication,
    draft_advisory,
    draft_case_report,
    edit_publication,
    withdraw_publication,
)
from frontstage.publish.models import Publication, PublicationStatus
from frontstage.test import Personas, make_staff

FACTS = "The page at https://south.example/scam asks victims like Mei Lin (13912345678) for a fee."


def close_with_decision(case: Case, by: object, facts: str = FACTS) -> Case:
    """Triage, decide (remove the URL) and close `case`."""
    case = move_case(case=case, to=CaseStatus.TRIAGED, by=by)  # type: ignore[arg-type]
    ground = LegalGround.objects.filter(category=case.category, unit=None)[0]
    subject = case.subjects.exclude(kind="account").first() or Subject.objects.get(pk=0)
    decide(
        case=case,
        outcome="action",
        legal_ground=ground,
        facts=facts,
        sanctions=[SanctionRequest(subject=subject, kind="remove")],
        by=by,  # type: ignore[arg-type]
    )
    return move_case(case=case, to=CaseStatus.CLOSED, by=by)  # type: ignore[arg-type]


class PublicationSetup(Personas):
    """south_case closed with a decision whose facts hold a URL, a name and a phone."""

    def setUp(self) -> None:
        super().setUp()
        Case.objects.filter(pk=self.south_case.pk).update(severity="medium")
        self.closed = close_with_decision(self.south_case, self.analyst)

    def published(self, **texts: str) -> Publication:
        post = draft_advisory(
            unit=self.south,
            by=self.publisher,
            title_en=texts.get("title_en", "Fake parcel fees"),
            body_en=texts.get("body_en", "Never pay a *parcel fee* by link."),
            title_zh=texts.get("title_zh", "假冒包裹费"),
            body_zh=texts.get("body_zh", "不要点击链接付费。"),
        )
        return approve_publication(publication=post, by=self.publisher)


class Drafting(PublicationSetup):
    def test_it_prefills_a_case_report_in_both_languages_without_personal_data(self) -> None:
        post = draft_case_report(case=self.closed, by=self.publisher)
        self.assertEqual((post.status, post.unit, post.case), ("draft", self.south, self.closed))
        self.assertIn("Scam", post.title_en)
        self.assertIn("Remove content × 1", post.body_en)
        ground = LegalGround.objects.get(decisions__case=self.closed)
        self.assertIn(f"**Legal ground:** {ground.reference}", post.body_en)
        self.assertIn("(【电话】)", post.body_zh)
        for text in [post.body_en, post.body_zh]:
            self.assertNotIn("13912345678", text)
            self.assertNotIn("south.example/scam", text)
        self.assertEqual(post.redactions, {"link": 1, "phone": 1})
        self.assertTrue(AuditEvent.objects.filter(action="publication.drafted").exists())

    def test_it_refuses_a_case_report_of_an_open_case(self) -> None:
        with self.assertRaisesMessage(CaseError, "Only a closed case with a decision"):
            draft_case_report(case=self.east_case, by=self.publisher)

    def test_it_refuses_people_who_do_not_publish_for_the_unit(self) -> None:
        east_publisher = make_staff("erin", RoleKind.PUBLISHER, self.east)
        for person in [self.analyst, self.south_supervisor, east_publisher]:
            with self.subTest(person=person), self.assertRaises(CaseError):
                draft_case_report(case=self.closed, by=person)

    def test_it_drafts_an_advisory_with_the_figures_of_a_campaign(self) -> None:
        post = draft_advisory(
            unit=self.south, by=self.publisher, campaign_of=self.closed,
            title_en="Parcel fee scam", body_en="120 reports this week.",
        )  # fmt: skip
        self.assertEqual(post.campaign["cases"], 1)
        self.assertEqual(set(post.campaign), {"cases", "reports", "since", "linked_by"})
        approve_publication(publication=post, by=self.publisher)
        page = self.reporter().get(reverse("publication", args=["south", post.pk]))
        self.assertContains(page, "1 linked case<")

    def test_it_edits_drafts_only(self) -> None:
        post = draft_case_report(case=self.closed, by=self.publisher)
        edit_publication(publication=post, by=self.publisher, title_en="A parcel fee scam")
        self.assertEqual(Publication.objects.get(pk=post.pk).title_en, "A parcel fee scam")
        approve_publication(publication=post, by=self.publisher)
        with self.assertRaisesMessage(CaseError, "Only a draft can be edited"):
            edit_publication(publication=post, by=self.publisher, title_en="Changed")


class Approving(PublicationSetup):
    def test_it_publishes_an_approved_draft(self) -> None:
        post = self.published()
        self.assertEqual((post.status, post.approved_by), ("published", self.publisher))
        self.assertIsNotNone(post.published_at)

    def test_it_refuses_approval_while_personal_data_remains_and_names_the_kinds(self) -> None:
        post = draft_case_report(case=self.closed, by=self.publisher)
        edit_publication(
            publication=post, by=self.publisher, body_en=post.body_en + "\n\nCall li@mail.example."
        )
        with self.assertRaisesMessage(CaseError, "Personal data remains in the text: [e-mail] (1)"):
            approve_publication(publication=post, by=self.publisher)
        self.assertEqual(Publication.objects.get(pk=post.pk).status, "draft")

    def test_it_refuses_approval_of_a_name_the_case_knows(self) -> None:
        Report.objects.create(
            source="public", case=self.closed, explanation="Scam", reporter_name="Mei Lin",
            received_at=timezone.now(),
        )  # fmt: skip
        post = draft_case_report(case=self.closed, by=self.publisher)
        self.assertNotIn("Mei Lin", post.body_en)
        edit_publication(publication=post, by=self.publisher, body_en="Thanks to Mei Lin.")
        with self.assertRaisesMessage(CaseError, "[name] (1)"):
            approve_publication(publication=post, by=self.publisher)


class Withdrawing(PublicationSetup):
    def test_it_withdraws_a_post_with_a_reason(self) -> None:
        post = withdraw_publication(
            publication=self.published(), by=self.publisher, reason="Wrong date"
        )
        self.assertEqual((post.status, post.withdrawal_reason), ("withdrawn", "Wrong date"))
        self.assertTrue(AuditEvent.objects.filter(action="publication.withdrawn").exists())

    def test_it_needs_a_reason(self) -> None:
        with self.assertRaisesMessage(CaseError, "Say why"):
            withdraw_publication(publication=self.published(), by=self.publisher, reason=" ")


class ConsolePages(PublicationSetup):
    def test_it_drafts_a_case_report_from_the_case_page(self) -> None:
        client = self.client_for(self.publisher)
        page = client.get(reverse("console:case", args=[self.closed.pk]))
        self.assertContains(page, "Draft a case report")
        response = client.post(reverse("console:draft_case_report", args=[self.closed.pk]))
        post = Publication.objects.get()
        self.assertRedirects(response, reverse("console:publication", args=[post.pk]))

    def test_it_shows_no_draft_button_to_an_analyst(self) -> None:
        page = self.client_for(self.analyst).get(reverse("console:case", args=[self.closed.pk]))
        self.assertNotContains(page, "Draft a case report")
        response = self.client_for(self.analyst).post(
            reverse("console:draft_case_report", args=[self.closed.pk])
        )
        self.assertEqual(response.status_code, 403)

    def test_it_lists_drafts_of_the_persons_units_and_filters_them(self) -> None:
        draft_case_report(case=self.closed, by=self.publisher)
        self.published()
        client = self.client_for(self.analyst)
        self.assertContains(client.get(reverse("console:publications")), "2 posts")
        self.assertContains(client.get(reverse("console:publications") + "?status=draft"), "1 post")
        east = self.client_for(self.east_analyst).get(reverse("console:publications"))
        self.assertContains(east, "No drafts or posts yet")

    def test_it_shows_the_error_beside_the_form_and_keeps_the_input(self) -> None:
        post = draft_case_report(case=self.closed, by=self.publisher)
        client = self.client_for(self.publisher)
        url = reverse("console:publication", args=[post.pk])
        response = client.post(
            url, {"title_en": "", "body_en": "My draft text", "title_zh": "", "body_zh": ""}
        )
        self.assertContains(response, "needs an English title", status_code=422)
        self.assertContains(response, "My draft text", status_code=422)

    def test_it_tells_the_publisher_in_words_what_was_removed_from_the_draft(self) -> None:
        post = draft_case_report(case=self.closed, by=self.publisher)
        self.assertIn("phone", post.redactions)
        page = self.client_for(self.publisher).get(reverse("console:publication", args=[post.pk]))
        self.assertContains(page, "Removed when drafted: ")
        self.assertContains(page, "[phone] (")
        self.assertNotContains(page, "id_number")

    def test_it_previews_markdown_sanitised(self) -> None:
        post = draft_case_report(case=self.closed, by=self.publisher)
        response = self.client_for(self.publisher).post(
            reverse("console:preview_publication", args=[post.pk]),
            {"body_en": "**bold** <script>x</script>", "title_en": "T"},
        )
        self.assertContains(response, "<strong>bold</strong>")
        self.assertNotContains(response, "<script>")

    def test_it_approves_and_withdraws_from_the_console(self) -> None:
        post = draft_advisory(
            unit=self.south, by=self.publisher, title_en="Warning", body_en="Text"
        )
        client = self.client_for(self.publisher)
        client.post(reverse("console:approve_publication", args=[post.pk]))
        self.assertEqual(Publication.objects.get(pk=post.pk).status, PublicationStatus.PUBLISHED)
        refused = client.post(
            reverse("console:withdraw_publication", args=[post.pk]), {"reason": ""}
        )
        self.assertContains(refused, "Say why", status_code=422)
        client.post(reverse("console:withdraw_publication", args=[post.pk]), {"reason": "Outdated"})
        self.assertEqual(Publication.objects.get(pk=post.pk).status, PublicationStatus.WITHDRAWN)

    def test_it_hides_other_units_posts_and_refuses_outsiders(self) -> None:
        post = draft_advisory(
            unit=self.south, by=self.publisher, title_en="Warning", body_en="Text"
        )
        east_publisher = make_staff("erin", RoleKind.PUBLISHER, self.east)
        url = reverse("console:publication", args=[post.pk])
        self.assertEqual(self.client_for(east_publisher).get(url).status_code, 404)
        approve = reverse("console:approve_publication", args=[post.pk])
        self.assertEqual(self.client_for(east_publisher).post(approve).status_code, 404)
        self.assertEqual(self.client_for(self.analyst).post(approve).status_code, 403)
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 403)

    def test_it_writes_a_new_advisory(self) -> None:
        client = self.client_for(self.publisher)
        response = client.post(reverse("console:new_advisory"), {
            "unit": self.south.pk, "title_en": "Fake refunds", "body_en": "Do not pay.",
            "title_zh": "", "body_zh": "",
        })  # fmt: skip
        post = Publication.objects.get()
        self.assertRedirects(response, reverse("console:publication", args=[post.pk]))
        refused = client.post(
            reverse("console:new_advisory"), {"unit": "", "title_en": "X", "body_en": "Kept"}
        )
        self.assertContains(refused, "Choose the unit", status_code=422)
        self.assertContains(refused, "Kept", status_code=422)
