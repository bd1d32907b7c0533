from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, assign_case
from frontstage.cases.actions.triage import answer_referral, escalate_case, refer_case
from frontstage.cases.models import CaseEventKind, ReferralKind, ReferralStatus
from frontstage.test import Personas


class ReferringCases(Personas):
    def test_it_offers_a_case_to_another_unit_without_moving_it(self) -> None:
        referral = refer_case(
            case=self.south_case, to_unit=self.east, reason="Seller is in Shanghai", by=self.analyst
        )
        self.assertEqual(
            (referral.status, referral.kind), (ReferralStatus.PENDING, ReferralKind.REFERRAL)
        )
        self.south_case.refresh_from_db()
        self.assertEqual(self.south_case.unit, self.south)
        self.assertTrue(self.south_case.events.filter(kind=CaseEventKind.REFERRED).exists())
        self.assertTrue(AuditEvent.objects.filter(action="case.referred").exists())

    def test_it_allows_one_pending_referral_per_case(self) -> None:
        refer_case(case=self.south_case, to_unit=self.east, reason="Shanghai", by=self.analyst)
        with self.assertRaisesMessage(CaseError, "already waiting for an answer"):
            refer_case(case=self.south_case, to_unit=self.shenzhen, reason="SZ", by=self.analyst)

    def test_it_refuses_a_referral_without_a_reason_or_to_the_same_unit(self) -> None:
        with self.assertRaisesMessage(CaseError, "Say why"):
            refer_case(case=self.south_case, to_unit=self.east, reason="", by=self.analyst)
        with self.assertRaisesMessage(CaseError, "already at"):
            refer_case(case=self.south_case, to_unit=self.south, reason="x", by=self.analyst)

    def test_it_refuses_a_referral_by_staff_of_another_region(self) -> None:
        with self.assertRaisesMessage(CaseError, "do not handle cases at"):
            refer_case(case=self.south_case, to_unit=self.east, reason="x", by=self.east_analyst)

    def test_it_moves_the_case_unassigned_when_the_other_unit_accepts(self) -> None:
        assign_case(case=self.south_case, assignee=self.analyst, by=self.analyst)
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        answer_referral(referral=referral, accept=True, answer="", by=self.east_analyst)
        self.south_case.refresh_from_db()
        self.assertEqual((self.south_case.unit, self.south_case.assignee), (self.east, None))
        referral.refresh_from_db()
        self.assertEqual(
            (referral.status, referral.answered_by), (ReferralStatus.ACCEPTED, self.east_analyst)
        )
        event = self.south_case.events.get(kind=CaseEventKind.REFERRAL_ANSWERED)
        self.assertEqual((event.payload["accepted"], event.payload["unassigned"]), (True, "li"))
        self.assertEqual(AuditEvent.objects.get(action="referral.accepted").unit, self.east)

    def test_it_keeps_the_case_when_declined_with_a_reason(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        answer_referral(
            referral=referral, accept=False, answer="Seller is in Guangzhou", by=self.east_analyst
        )
        self.south_case.refresh_from_db()
        self.assertEqual(self.south_case.unit, self.south)
        referral.refresh_from_db()
        self.assertEqual(
            (referral.status, referral.answer), (ReferralStatus.DECLINED, "Seller is in Guangzhou")
        )
        self.assertTrue(AuditEvent.objects.filter(action="referral.declined").exists())

    def test_it_refuses_a_decline_without_a_reason(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        with self.assertRaisesMessage(CaseError, "Say why you decline"):
            answer_referral(referral=referral, accept=False, answer=" ", by=self.east_analyst)
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.PENDING)

    def test_it_refuses_an_answer_by_someone_at_the_wrong_unit(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        for person in (self.analyst, self.south_supervisor, self.publisher):
            with self.assertRaisesMessage(CaseError, "Only staff who handle cases at"):
                answer_referral(referral=referral, accept=True, answer="", by=person)

    def test_it_refuses_to_answer_twice(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        answer_referral(referral=referral, accept=True, answer="", by=self.east_analyst)
        with self.assertRaisesMessage(CaseError, "already answered"):
            answer_referral(referral=referral, accept=False, answer="No", by=self.supervisor)


class EscalatingCases(Personas):
    def test_it_escalates_to_the_national_unit_which_accepts(self) -> None:
        referral = escalate_case(case=self.shenzhen_case, reason="Nationwide ring", by=self.analyst)
        self.assertEqual(
            (referral.kind, referral.to_unit), (ReferralKind.ESCALATION, self.national)
        )
        self.assertTrue(self.shenzhen_case.events.filter(kind=CaseEventKind.ESCALATED).exists())
        self.assertTrue(AuditEvent.objects.filter(action="case.escalated").exists())
        answer_referral(referral=referral, accept=True, answer="Ours now", by=self.supervisor)
        self.shenzhen_case.refresh_from_db()
        self.assertEqual(self.shenzhen_case.unit, self.national)

    def test_it_lets_the_national_unit_decline_an_escalation(self) -> None:
        referral = escalate_case(case=self.south_case, reason="Big", by=self.analyst)
        answer_referral(
            referral=referral, accept=False, answer="Regional matter", by=self.supervisor
        )
        self.south_case.refresh_from_db()
        self.assertEqual(self.south_case.unit, self.south)

    def test_it_refuses_to_escalate_a_case_already_at_the_national_unit(self) -> None:
        referral = escalate_case(case=self.south_case, reason="Big", by=self.analyst)
        answer_referral(referral=referral, accept=True, answer="", by=self.supervisor)
        with self.assertRaisesMessage(CaseError, "already at the national unit"):
            escalate_case(case=self.south_case, reason="Again", by=self.supervisor)

    def test_it_refuses_a_regional_analyst_answering_an_escalation(self) -> None:
        referral = escalate_case(case=self.south_case, reason="Big", by=self.analyst)
        with self.assertRaisesMessage(CaseError, "Only staff who handle cases at"):
            answer_referral(referral=referral, accept=True, answer="", by=self.south_supervisor)


class ReferralPages(Personas):
    def test_it_lists_incoming_referrals_for_the_target_unit_only(self) -> None:
        refer_case(
            case=self.south_case, to_unit=self.east, reason="Seller in SH 4412", by=self.analyst
        )
        page = self.client_for(self.east_analyst).get(reverse("console:referrals"))
        self.assertContains(page, self.south_case.reference)
        self.assertContains(page, "Seller in SH 4412")
        page = self.client_for(self.analyst).get(reverse("console:referrals"))
        self.assertNotContains(page, "Seller in SH 4412")
        self.assertContains(page, "Nothing is waiting for your units")

    def test_it_accepts_from_the_list_and_opens_the_case(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        url = reverse("console:answer_referral", args=[referral.pk])
        response = self.client_for(self.east_analyst).post(url, {"accept": "yes", "answer": ""})
        self.assertRedirects(response, reverse("console:case", args=[self.south_case.pk]))

    def test_it_keeps_the_answer_beside_the_form_when_refused(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        url = reverse("console:answer_referral", args=[referral.pk])
        client = self.client_for(self.east_analyst)
        page = client.post(url, {"accept": "no", "answer": "x" * 5001}, follow=True)
        self.assertContains(page, "at most 5000 characters")
        self.assertContains(page, "x" * 5001)

    def test_it_hides_a_referral_from_people_at_other_units(self) -> None:
        referral = refer_case(case=self.south_case, to_unit=self.east, reason="SH", by=self.analyst)
        url = reverse("console:answer_referral", args=[referral.pk])
        self.assertEqual(
            self.client_for(self.analyst).post(url, {"accept": "yes"}).status_code, 404
        )
        for person in (self.outsider, self.auditor, self.publisher):
            self.assertEqual(self.client_for(person).post(url, {"accept": "yes"}).status_code, 403)
        referral.refresh_from_db()
        self.assertEqual(referral.status, ReferralStatus.PENDING)

    def test_it_shows_the_pending_referral_on_the_case_page_with_answer_buttons_for_the_target(
        self,
    ) -> None:
        escalate_case(case=self.south_case, reason="Nationwide 9021", by=self.analyst)
        url = reverse("console:case", args=[self.south_case.pk])
        page = self.client_for(self.analyst).get(url)
        self.assertContains(page, "Nationwide 9021")
        self.assertNotContains(page, "Accept the case")
        self.assertContains(self.client_for(self.supervisor).get(url), "Accept the case")
