from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import add_case_event, assign_case, decide_case, move_case
from frontstage.cases.actions.queue import rescore_case
from frontstage.cases.models import (
    Case,
    CaseEventKind,
    Category,
    Decision,
    Sanction,
    SanctionStatus,
    Strike,
)
from frontstage.intake.actions import Submission, submit_report
from frontstage.lib.actors import PATROL, PUBLIC, SYSTEM
from frontstage.test import Personas, make_case

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def report(unit, url: str, source: str = "public", category: str | None = "scam_fraud") -> Case:
    """A report about `url` reaching `unit`; returns its case."""
    submission = Submission(
        source=source,
        locations=[("url", url)],
        explanation=f"A {source} report about {url}",
        category=Category.objects.get(code=category) if category else None,
        unit=unit,
    )
    return submit_report(
        submission=submission, by=PATROL if source == "patrol" else PUBLIC
    ).report.case


class Rescoring(Personas):
    def test_it_rescores_when_a_second_report_joins(self) -> None:
        case = report(self.south, "http://shop.example/a")
        self.assertEqual((case.severity, case.priority), ("medium", 40))
        joined = report(self.south, "http://shop.example/a", source="trusted_flagger")
        self.assertEqual(joined.pk, case.pk)
        joined.refresh_from_db()
        self.assertEqual(joined.priority, 40 + 2 + 5 + 30)
        factors = {f["factor"]: f["points"] for f in joined.priority_factors}
        self.assertEqual(factors["trusted_source"], 30)
        self.assertEqual(factors["reports"], 2)

    def test_it_writes_history_only_when_the_severity_changes(self) -> None:
        case = report(self.south, "http://shop.example/b")
        report(self.south, "http://shop.example/b")
        self.assertEqual(case.events.filter(kind=CaseEventKind.REPORT_ADDED).count(), 2)
        self.assertFalse(case.events.filter(kind=CaseEventKind.TRIAGED).exists())
        self.assertFalse(AuditEvent.objects.filter(action="case.rescored").exists())

    def test_it_records_a_changed_severity_in_the_history_and_the_audit_log(self) -> None:
        # The personas' cases were opened "high"; the facts make a lone scam medium.
        case = rescore_case(case=self.south_case, by=SYSTEM)
        self.assertEqual(case.severity, "medium")
        event = case.events.latest("id")
        self.assertEqual(event.kind, CaseEventKind.TRIAGED)
        self.assertEqual(event.payload["rescored"], {"from": "high", "to": "medium"})
        self.assertTrue(AuditEvent.objects.filter(action="case.rescored").exists())
        rescore_case(case=case, by=SYSTEM)
        self.assertEqual(case.events.filter(payload__has_key="rescored").count(), 1)

    def test_it_keeps_the_severity_a_person_chose_at_triage(self) -> None:
        add_case_event(
            self.south_case,
            CaseEventKind.TRIAGED,
            by=self.analyst,
            payload={"severity": "critical"},
        )
        case = report(self.south, "http://south.example/scam")
        case.refresh_from_db()
        self.assertEqual(case.severity, "critical")
        self.assertIn("severity_set", [f["factor"] for f in case.priority_factors])

    def test_it_counts_the_active_strikes_of_the_subjects(self) -> None:
        subject = self.south_case.subjects.get()
        decision = Decision.objects.create(
            case=self.east_case,
            outcome="action",
            facts="Scam",
            decided_by=self.supervisor,
            decided_at=T0,
        )
        for expires in (datetime(2999, 1, 1, tzinfo=UTC), datetime(2000, 1, 1, tzinfo=UTC)):
            sanction = Sanction.objects.create(
                decision=decision,
                case=self.east_case,
                subject=subject,
                kind="warn",
                proposed_kind="warn",
                status=SanctionStatus.values[0],
                proposed_by=self.analyst,
                proposed_at=T0,
            )
            Strike.objects.create(
                subject=subject,
                sanction=sanction,
                category=Category.objects.get(code="scam_fraud"),
                issued_at=T0,
                expires_at=expires,
            )
        case = rescore_case(case=self.south_case, by=SYSTEM)
        self.assertIn(
            {"factor": "repeat_offending", "points": 5, "detail": "1"}, case.priority_factors
        )

    def test_it_explains_the_score_on_the_case_page(self) -> None:
        case = report(self.south, "http://shop.example/c", source="trusted_flagger")
        page = self.client_for(self.analyst).get(reverse("console:case", args=[case.pk]))
        self.assertContains(page, "Why this priority")
        self.assertContains(page, "Priority 70 of 100")
        self.assertContains(page, "Trusted flagger")
        self.assertContains(page, "+30")


class TakingTheNextCase(Personas):
    def take(self, person):
        return self.client_for(person).post(reverse("console:take_next"), follow=True)

    def test_it_gives_the_highest_priority_unassigned_case_first(self) -> None:
        threat = make_case(self.south, "http://threat.example/", category="threats")
        response = self.take(self.analyst)
        self.assertRedirects(response, reverse("console:case", args=[threat.pk]))
        self.assertContains(response, f"{threat.reference} is yours now.")
        threat.refresh_from_db()
        self.assertEqual(threat.assignee, self.analyst)
        self.assertIsNotNone(threat.acknowledged_at)

    def test_it_gives_overdue_cases_before_higher_priority_ones(self) -> None:
        with patch("django.utils.timezone.now", return_value=T0):
            late = report(self.south, "http://late.example/", source="patrol")
        make_case(self.south, "http://threat.example/", category="threats")
        with patch("django.utils.timezone.now", return_value=T0 + timedelta(days=30)):
            response = self.take(self.analyst)
        self.assertRedirects(response, reverse("console:case", args=[late.pk]))

    def test_it_never_takes_a_case_someone_already_has(self) -> None:
        assign_case(case=self.south_case, assignee=self.intake_agent, by=self.supervisor)
        self.take(self.analyst)
        self.south_case.refresh_from_db()
        self.assertEqual(self.south_case.assignee, self.intake_agent)
        self.shenzhen_case.refresh_from_db()
        self.assertEqual(self.shenzhen_case.assignee, self.analyst)

    def test_it_says_so_when_nothing_is_left(self) -> None:
        self.take(self.analyst)
        self.take(self.analyst)
        response = self.take(self.analyst)
        self.assertRedirects(response, reverse("console:cases"))
        self.assertContains(response, "Nothing to take")

    def test_it_takes_only_from_the_persons_own_units(self) -> None:
        self.take(self.east_analyst)
        self.take(self.east_analyst)
        self.assertEqual(Case.objects.filter(assignee=self.east_analyst).get(), self.east_case)

    def test_it_refuses_people_who_do_not_handle_cases(self) -> None:
        for person in (self.outsider, self.publisher, self.auditor):
            with self.subTest(person=person.username):
                self.assertEqual(self.take(person).status_code, 403)
        self.assertFalse(Case.objects.exclude(assignee=None).exists())

    def test_it_only_takes_with_a_post(self) -> None:
        response = self.client_for(self.analyst).get(reverse("console:take_next"))
        self.assertEqual(response.status_code, 405)


class QueueFilters(Personas):
    def page(self, query: str = "", person=None) -> str:
        client = self.client_for(person or self.supervisor)
        return client.get(reverse("console:cases") + query).content.decode()

    def test_it_counts_the_cases_per_status_in_the_filter_bar(self) -> None:
        move_case(case=self.east_case, to="triaged", by=self.supervisor)
        page = self.page()
        self.assertIn('status-new">New <b>2</b>', page)
        self.assertIn('status-triaged">Triaged <b>1</b>', page)

    def test_it_hides_closed_cases_unless_asked(self) -> None:
        case = move_case(case=self.east_case, to="triaged", by=self.supervisor)
        case = move_case(case=case, to="in_review", by=self.supervisor)
        case = decide_case(case=case, outcome="no_violation", by=self.supervisor)
        move_case(case=case, to="closed", by=self.supervisor)
        self.assertNotIn(self.east_case.reference, self.page())
        self.assertIn(self.east_case.reference, self.page("?status=all"))
        self.assertIn(self.east_case.reference, self.page("?status=closed"))

    def test_it_filters_by_source(self) -> None:
        patrolled = report(self.south, "http://patrolled.example/", source="patrol")
        page = self.page("?source=patrol")
        self.assertIn(patrolled.reference, page)
        self.assertNotIn(self.south_case.reference, page)
        self.assertIn("source-patrol", page)

    def test_it_finds_a_case_by_a_source_that_joined_it_later(self) -> None:
        joined = report(self.south, "http://joined.example/")
        self.assertNotIn(joined.reference, self.page("?source=trusted_flagger"))
        report(self.south, "http://joined.example/", source="trusted_flagger")
        self.assertIn(joined.reference, self.page("?source=trusted_flagger"))
        self.assertIn(joined.reference, self.page("?source=public"))

    def test_it_filters_by_assignee(self) -> None:
        assign_case(case=self.south_case, assignee=self.analyst, by=self.analyst)
        mine = self.page("?assignee=me", person=self.analyst)
        nobodys = self.page("?assignee=nobody", person=self.analyst)
        self.assertIn(self.south_case.reference, mine)
        self.assertNotIn(self.shenzhen_case.reference, mine)
        self.assertIn(self.shenzhen_case.reference, nobodys)
        self.assertNotIn(self.south_case.reference, nobodys)

    def test_it_filters_by_severity_and_category(self) -> None:
        threat = make_case(self.south, "http://threat.example/", category="threats")
        self.assertIn(threat.reference, self.page("?severity=critical"))
        self.assertNotIn(self.south_case.reference, self.page("?severity=critical"))
        self.assertIn(threat.reference, self.page("?category=threats"))
        self.assertNotIn(threat.reference, self.page("?category=scam_fraud"))

    def test_it_filters_cases_due_soon(self) -> None:
        with patch("django.utils.timezone.now", return_value=T0):
            case = report(self.south, "http://soon.example/")  # acknowledge within 24 h
        with patch("django.utils.timezone.now", return_value=T0 + timedelta(hours=20)):
            soon = self.page("?clock=due_soon")
            overdue = self.page("?clock=overdue")
        self.assertIn(case.reference, soon)
        self.assertIn('class="queue-row due-soon"', soon)
        self.assertNotIn(case.reference, overdue)
        with patch("django.utils.timezone.now", return_value=T0 + timedelta(hours=10)):
            self.assertNotIn(case.reference, self.page("?clock=due_soon"))

    def test_it_ignores_filter_values_it_does_not_know(self) -> None:
        page = self.page("?severity=huge&source=rumour&clock=late&assignee=someone&status=gone")
        self.assertIn(self.east_case.reference, page)

    def test_it_sorts_by_priority(self) -> None:
        threat = make_case(self.east, "http://threat.example/", category="threats")
        page = self.page()
        self.assertLess(page.index(threat.reference), page.index(self.south_case.reference))

    def test_it_paginates_and_keeps_the_query_count_flat(self) -> None:
        client = self.client_for(self.supervisor)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("console:cases"))
        for n in range(12):
            make_case(self.south, f"http://many.example/{n}")
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("console:cases"))
        self.assertEqual(len(few), len(many))

    def test_it_offers_take_next_and_shortcuts_only_to_handlers(self) -> None:
        self.assertIn('id="take-next"', self.page(person=self.analyst))
        self.assertNotIn('id="take-next"', self.page(person=self.publisher))
        self.assertIn("cases/queue.js", self.page(person=self.analyst))
