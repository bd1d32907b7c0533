from django.db import transaction

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, move_case
from frontstage.cases.models import Case, CaseEvent, CaseStatus
from frontstage.test import Personas, make_case

S = CaseStatus
# Every transition the table on Case allows, as (from, to).
ALLOWED = {
    (S.NEW, S.TRIAGED),
    (S.TRIAGED, S.IN_REVIEW),
    (S.IN_REVIEW, S.TRIAGED),
    (S.IN_REVIEW, S.DECIDED),
    (S.DECIDED, S.CLOSED),
    (S.DECIDED, S.IN_REVIEW),
    (S.CLOSED, S.IN_REVIEW),
}
# How to bring a new case to each status.
ROUTE = {
    S.NEW: [],
    S.TRIAGED: [S.TRIAGED],
    S.IN_REVIEW: [S.TRIAGED, S.IN_REVIEW],
    S.DECIDED: [S.TRIAGED, S.IN_REVIEW, S.DECIDED],
    S.CLOSED: [S.TRIAGED, S.IN_REVIEW, S.DECIDED, S.CLOSED],
}


class CaseTransitions(Personas):
    def case_in(self, status: str) -> Case:
        case = make_case(self.south, f"http://example.com/{status}/{Case.objects.count()}")
        for step in ROUTE[S(status)]:
            case = move_case(case=case, to=step, by=self.analyst)
        return case

    def test_it_declares_exactly_the_transitions_of_the_table(self) -> None:
        declared = {
            (S(str(t.source)), S(str(t.target)))
            for t in Case._meta.get_field("status").get_all_transitions(Case)
        }
        self.assertEqual(declared, ALLOWED)

    def test_it_makes_every_allowed_move_and_records_it_twice(self) -> None:
        for source, target in sorted(ALLOWED):
            with self.subTest(source=source, target=target):
                case = self.case_in(source)
                events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()
                moved = move_case(case=case, to=target, by=self.analyst, reason="checked")
                self.assertEqual(moved.status, target)
                self.assertEqual(Case.objects.get(pk=case.pk).status, target)
                event = CaseEvent.objects.latest("id")
                self.assertEqual((event.from_status, event.to_status), (source, target))
                self.assertEqual(event.actor, self.analyst)
                self.assertEqual(CaseEvent.objects.count(), events + 1)
                audit = AuditEvent.objects.latest("seq")
                self.assertEqual(AuditEvent.objects.count(), audits + 1)
                self.assertEqual(audit.action, "case.moved")
                self.assertEqual(audit.payload, {"from": source, "to": target, "reason": "checked"})

    def test_it_refuses_every_other_move_and_writes_nothing(self) -> None:
        for source in S:
            for target in S:
                if (source, target) in ALLOWED:
                    continue
                with self.subTest(source=source, target=target):
                    case = self.case_in(source)
                    events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()
                    with self.assertRaises(CaseError) as refused, transaction.atomic():
                        move_case(case=case, to=target, by=self.analyst)
                    self.assertIn(f"cannot move to “{target.label}”", str(refused.exception))
                    self.assertEqual(Case.objects.get(pk=case.pk).status, source)
                    self.assertEqual(CaseEvent.objects.count(), events)
                    self.assertEqual(AuditEvent.objects.count(), audits)

    def test_it_stamps_the_closing_time_and_clears_it_on_reopening(self) -> None:
        case = self.case_in(S.CLOSED)
        self.assertIsNotNone(case.closed_at)
        case = move_case(case=case, to=S.IN_REVIEW, by=self.supervisor, reason="appeal")
        self.assertIsNone(case.closed_at)

    def test_it_refuses_an_unknown_status_clearly(self) -> None:
        with self.assertRaises(ValueError):
            move_case(case=self.south_case, to="archived", by=self.analyst)
