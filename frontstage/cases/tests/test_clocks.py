from datetime import UTC, datetime, timedelta
from unittest import TestCase as PureTestCase
from unittest.mock import patch

from django.urls import reverse

from frontstage.cases.actions import assign_case, move_case
from frontstage.cases.actions.queue import rescore_case
from frontstage.cases.clocks import Arrival, ClockState, clock_state, due
from frontstage.intake.actions import Submission, submit_report
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.test import Personas, make_case

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


class ClockTable(PureTestCase):
    def test_it_gives_a_public_report_a_day_to_acknowledge_and_a_week_to_decide(self) -> None:
        found = due(T0, "scam_fraud", [Arrival("public", T0)])
        self.assertEqual((found.acknowledge_by, found.decide_by), (T0 + 24 * H, T0 + 7 * 24 * H))

    def test_it_runs_threats_on_the_fastest_clock(self) -> None:
        found = due(T0, "threats", [Arrival("patrol", T0)])
        self.assertEqual((found.acknowledge_by, found.decide_by), (T0 + H, T0 + 24 * H))
        self.assertEqual(found.decide_basis, "category:threats")

    def test_it_gives_the_patrol_more_time_than_the_public(self) -> None:
        found = due(T0, "scam_fraud", [Arrival("patrol", T0)])
        self.assertEqual(found.decide_by, T0 + 14 * 24 * H)

    def test_it_starts_a_later_trusted_notice_clock_when_the_notice_arrives(self) -> None:
        later = T0 + 5 * 24 * H
        found = due(T0, "scam_fraud", [Arrival("public", T0), Arrival("trusted_flagger", later)])
        self.assertEqual(found.decide_by, T0 + 7 * 24 * H)  # the public clock is still earlier
        found = due(T0, "scam_fraud", [Arrival("patrol", T0), Arrival("trusted_flagger", later)])
        self.assertEqual(found.decide_by, later + 3 * 24 * H)

    def test_it_lets_an_earlier_authority_deadline_win(self) -> None:
        deadline = T0 + 10 * H
        found = due(T0, "scam_fraud", [Arrival("authority_order", T0, deadline)])
        self.assertEqual((found.decide_by, found.decide_basis), (deadline, "deadline"))
        self.assertLessEqual(found.acknowledge_by, deadline)

    def test_it_ignores_a_later_authority_deadline(self) -> None:
        found = due(T0, "scam_fraud", [Arrival("authority_order", T0, T0 + 30 * 24 * H)])
        self.assertEqual(found.decide_by, T0 + 2 * 24 * H)

    def test_it_tells_running_due_soon_overdue_and_met(self) -> None:
        end = T0 + 10 * H
        self.assertEqual(clock_state(T0 + H, end, None, started=T0), ClockState.RUNNING)
        self.assertEqual(clock_state(T0 + 8 * H, end, None, started=T0), ClockState.DUE_SOON)
        self.assertEqual(clock_state(end, end, None, started=T0), ClockState.OVERDUE)
        self.assertEqual(clock_state(end + H, end, T0 + H), ClockState.MET)
        self.assertEqual(clock_state(T0 + 9 * H, end, None), ClockState.RUNNING)


class CaseClocks(Personas):
    def at(self, when: datetime):
        return patch("django.utils.timezone.now", return_value=when)

    def test_it_sets_the_clocks_when_a_case_opens(self) -> None:
        with self.at(T0):
            case = make_case(self.south, "http://clock.example/a", category="threats")
        self.assertEqual((case.acknowledge_by, case.decide_by), (T0 + H, T0 + 24 * H))

    def test_it_meets_the_acknowledge_clock_when_someone_takes_the_case(self) -> None:
        with self.at(T0):
            case = make_case(self.south, "http://clock.example/b")
        with self.at(T0 + 2 * H):
            case = assign_case(case=case, assignee=self.analyst, by=self.analyst)
        self.assertEqual(case.acknowledged_at, T0 + 2 * H)
        with self.at(T0 + 3 * H):
            case = assign_case(case=case, assignee=None, by=self.analyst)
            case = move_case(case=case, to="triaged", by=self.analyst)
        self.assertEqual(case.acknowledged_at, T0 + 2 * H)  # the first time counts

    def test_it_meets_the_acknowledge_clock_when_the_case_is_triaged(self) -> None:
        with self.at(T0):
            case = make_case(self.south, "http://clock.example/c")
        with self.at(T0 + H):
            case = move_case(case=case, to="triaged", by=self.analyst)
        self.assertEqual(case.acknowledged_at, T0 + H)

    def test_it_moves_the_decide_clock_up_when_an_authority_order_joins(self) -> None:
        with self.at(T0):
            receipt = submit_report(
                submission=Submission(
                    source="public",
                    locations=[("url", "http://clock.example/d")],
                    explanation="A fake shop",
                    unit=self.south,
                ),
                by=PUBLIC,
            )
        case = receipt.report.case
        self.assertEqual(case.decide_by, T0 + 7 * 24 * H)
        with self.at(T0 + H):
            submit_report(
                submission=Submission(
                    source="authority_order",
                    locations=[("url", "http://clock.example/d")],
                    explanation="Court order",
                    legal_basis="Art. 1",
                    deadline=T0 + 12 * H,
                    unit=self.south,
                ),
                by=SYSTEM,
            )
        case.refresh_from_db()
        self.assertEqual(case.decide_by, T0 + 12 * H)

    def test_it_shows_an_overdue_case_on_the_case_page_and_in_the_queue(self) -> None:
        with self.at(T0):
            case = make_case(self.south, "http://clock.example/e", category="threats")
        with self.at(T0 + 2 * H):
            rescore_case(case=case, by=SYSTEM)
            queue = self.client_for(self.analyst).get(reverse("console:cases")).content.decode()
        self.assertIn('class="queue-row overdue"', queue)
        with self.at(T0 + 2 * H):
            queue = (
                self.client_for(self.analyst)
                .get(reverse("console:cases") + "?clock=overdue")
                .content.decode()
            )
        self.assertIn(case.reference, queue)
        self.assertNotIn(self.south_case.reference, queue)
