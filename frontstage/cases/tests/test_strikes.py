"""Strikes: they count into the ladder while active, and expire."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from frontstage.cases.actions import move_case
from frontstage.cases.actions.decisions import active_strikes, approve_sanction
from frontstage.cases.actions.sanction_rules import proposal_for
from frontstage.cases.models import Case, CaseStatus, Strike
from frontstage.cases.tests.test_decisions import DecisionSetup
from frontstage.test import make_case


class Strikes(DecisionSetup):
    def next_case(self) -> Case:
        """Another case about the same account, triaged, medium severity."""
        case = make_case(self.south, f"http://other.example/{Case.objects.count()}")
        Case.objects.filter(pk=case.pk).update(severity="medium")
        case.subjects.add(self.account)
        return move_case(case=case, to=CaseStatus.TRIAGED, by=self.analyst)

    def test_it_counts_a_warning_into_the_next_proposal(self) -> None:
        self.act(self.warning())
        self.assertEqual(active_strikes(self.account), 1)
        proposal = proposal_for(self.next_case(), self.account)
        self.assertEqual((proposal.kind, proposal.days), ("suspend", 7))

    def test_it_climbs_the_ladder_with_each_sanction(self) -> None:
        self.act(self.warning())
        self.case = self.next_case()
        self.act(self.warning(kind="suspend", days=7))
        self.case = self.next_case()
        self.act(self.warning(kind="suspend", days=30))
        self.assertEqual(active_strikes(self.account), 3)
        proposal = proposal_for(self.next_case(), self.account)
        self.assertEqual(proposal.kind, "suspend_permanently")

    def test_it_lets_a_warning_expire_after_180_days(self) -> None:
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start):
            self.act(self.warning())
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=179)):
            self.assertEqual(active_strikes(self.account), 1)
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=181)):
            self.assertEqual(active_strikes(self.account), 0)
            self.assertEqual(proposal_for(self.next_case(), self.account).kind, "warn")

    def test_it_stops_counting_a_removed_strike(self) -> None:
        self.act(self.warning())
        Strike.objects.update(removed_at=timezone.now(), removed_reason="Reversed on appeal")
        self.assertEqual(active_strikes(self.account), 0)

    def test_it_keeps_a_permanently_suspended_account_at_the_top_after_its_strike_expires(
        self,
    ) -> None:
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start):
            request = self.warning(kind="suspend_permanently", deviation_reason="Ringleader")
            sanction = self.act(request).sanctions.get()
            approve_sanction(sanction=sanction, by=self.south_supervisor)
        strike = Strike.objects.get()
        self.assertLess(strike.expires_at, start + timedelta(days=400))  # never dated far ahead
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=400)):
            self.assertEqual(
                proposal_for(self.next_case(), self.account).kind, "suspend_permanently"
            )

    def test_it_gives_no_strike_for_content_measures(self) -> None:
        self.act(self.removal())
        self.assertFalse(Strike.objects.exists())
