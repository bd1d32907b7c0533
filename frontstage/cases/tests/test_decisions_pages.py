"""The console pages of decisions: the decision form, approvals and orders, for each persona."""

from datetime import timedelta

from django.utils import timezone

from frontstage.cases.models import Decision, PlatformOrder, Sanction, SanctionStatus
from frontstage.cases.tests.test_decisions import FACTS
from frontstage.cases.tests.test_platform_orders import OrderSetup


class DecisionForm(OrderSetup):
    def form(self, **changes: str) -> dict[str, str]:
        url, account = self.url.pk, self.account.pk
        data = {
            "outcome": "action",
            "legal_ground": str(self.ground.pk),
            "facts": FACTS,
            f"kind-{url}": "remove",
            f"kind-{account}": "warn",
            f"language-{url}": "en",
            f"language-{account}": "en",
        }
        data.update(changes)
        return data

    def test_it_offers_the_decide_link_to_the_analyst_only(self) -> None:
        page = f"/console/cases/{self.case.pk}/"
        self.assertContains(
            self.client_for(self.analyst).get(page), f"/cases/{self.case.pk}/decide/"
        )
        self.assertNotContains(
            self.client_for(self.intake_agent).get(page), f"/cases/{self.case.pk}/decide/"
        )

    def test_it_shows_the_legal_grounds_and_the_ladders_proposal(self) -> None:
        response = self.client_for(self.analyst).get(f"/console/cases/{self.case.pk}/decide/")
        self.assertContains(response, self.ground.reference)
        self.assertContains(response, "The ladder proposes")
        self.assertContains(response, "Warn the account")

    def test_it_records_the_decision_and_goes_back_to_the_case(self) -> None:
        response = self.client_for(self.analyst).post(
            f"/console/cases/{self.case.pk}/decide/", self.form()
        )
        self.assertRedirects(response, f"/console/cases/{self.case.pk}/")
        decision = Decision.objects.get()
        self.assertEqual(
            sorted(decision.sanctions.values_list("kind", flat=True)), ["remove", "warn"]
        )
        page = self.client_for(self.analyst).get(f"/console/cases/{self.case.pk}/")
        self.assertContains(page, "Statement of reasons")
        self.assertContains(page, PlatformOrder.objects.get().reference)

    def test_it_shows_the_error_beside_the_form_and_keeps_the_input(self) -> None:
        data = self.form(**{f"kind-{self.url.pk}": "label", "facts": "Typed facts stay here"})
        response = self.client_for(self.analyst).post(
            f"/console/cases/{self.case.pk}/decide/", data
        )
        self.assertContains(response, "say why you choose otherwise", status_code=422)
        self.assertContains(response, "Typed facts stay here", status_code=422)
        self.assertFalse(Decision.objects.exists())

    def test_it_explains_a_suspension_without_whole_days(self) -> None:
        data = self.form(
            **{f"kind-{self.account.pk}": "suspend", f"days-{self.account.pk}": "a week"}
        )
        response = self.client_for(self.analyst).post(
            f"/console/cases/{self.case.pk}/decide/", data
        )
        self.assertContains(response, "in whole days", status_code=422)

    def test_it_refuses_people_who_do_not_decide(self) -> None:
        url = f"/console/cases/{self.case.pk}/decide/"
        for person in (self.outsider, self.intake_agent, self.publisher, self.auditor):
            self.assertEqual(self.client_for(person).get(url).status_code, 403, person)
        self.assertEqual(self.client_for(self.east_analyst).get(url).status_code, 404)
        self.assertEqual(self.client_for(None).get(url).status_code, 302)


class Approvals(OrderSetup):
    def setUp(self) -> None:
        super().setUp()
        request = self.warning(kind="suspend_permanently", deviation_reason="Runs the ring")
        self.sanction = self.act(request).sanctions.get()

    def test_it_lists_sanctions_awaiting_approval_for_supervisors_in_scope(self) -> None:
        response = self.client_for(self.south_supervisor).get("/console/approvals/")
        self.assertContains(response, "weibo:parcelscam")
        self.assertContains(response, "Approve")
        east = self.client_for(self.supervisor).get("/console/approvals/")
        self.assertContains(east, "weibo:parcelscam")  # national covers south

    def test_it_shows_an_empty_list_plainly(self) -> None:
        Sanction.objects.filter(pk=self.sanction.pk).update(status=SanctionStatus.REJECTED)
        response = self.client_for(self.south_supervisor).get("/console/approvals/")
        self.assertContains(response, "Nothing awaits your approval")

    def test_it_lets_another_supervisor_approve_from_the_list(self) -> None:
        response = self.client_for(self.south_supervisor).post(
            f"/console/sanctions/{self.sanction.pk}/approve/", {"next": "/console/approvals/"}
        )
        self.assertRedirects(response, "/console/approvals/")
        self.sanction.refresh_from_db()
        self.assertEqual(self.sanction.status, SanctionStatus.IN_EFFECT)

    def test_it_tells_the_proposing_supervisor_to_find_another(self) -> None:
        Sanction.objects.filter(pk=self.sanction.pk).update(proposed_by=self.south_supervisor)
        client = self.client_for(self.south_supervisor)
        response = client.post(f"/console/sanctions/{self.sanction.pk}/approve/", follow=True)
        self.assertContains(
            response, "You proposed this sanction; another supervisor must approve it."
        )
        self.sanction.refresh_from_db()
        self.assertEqual(self.sanction.status, SanctionStatus.AWAITING_APPROVAL)

    def test_it_rejects_with_a_note_from_the_case_page(self) -> None:
        client = self.client_for(self.south_supervisor)
        page = client.get(f"/console/cases/{self.case.pk}/")
        self.assertContains(page, f"/console/sanctions/{self.sanction.pk}/reject/")
        client.post(f"/console/sanctions/{self.sanction.pk}/reject/", {"note": "Disproportionate"})
        self.sanction.refresh_from_db()
        self.assertEqual(self.sanction.status, SanctionStatus.REJECTED)

    def test_it_refuses_analysts_and_people_out_of_scope(self) -> None:
        approve = f"/console/sanctions/{self.sanction.pk}/approve/"
        self.assertEqual(self.client_for(self.analyst).post(approve).status_code, 403)
        self.assertEqual(self.client_for(self.analyst).get("/console/approvals/").status_code, 403)
        self.assertEqual(self.client_for(self.outsider).post(approve).status_code, 403)
        self.sanction.refresh_from_db()
        self.assertEqual(self.sanction.status, SanctionStatus.AWAITING_APPROVAL)


class OrdersPage(OrderSetup):
    def test_it_lists_orders_and_marks_overdue_ones(self) -> None:
        order = self.removed()
        PlatformOrder.objects.filter(pk=order.pk).update(
            deadline=timezone.now() - timedelta(hours=1)
        )
        response = self.client_for(self.analyst).get("/console/orders/")
        self.assertContains(response, order.reference)
        self.assertContains(response, "Overdue")

    def test_it_filters_by_status(self) -> None:
        order = self.removed()
        response = self.client_for(self.analyst).get("/console/orders/?status=complied")
        self.assertNotContains(response, order.reference)
        self.assertContains(response, "No orders match")

    def test_it_shows_no_orders_of_other_units(self) -> None:
        order = self.removed()
        response = self.client_for(self.east_analyst).get("/console/orders/")
        self.assertNotContains(response, order.reference)
        self.assertEqual(self.client_for(self.outsider).get("/console/orders/").status_code, 403)
