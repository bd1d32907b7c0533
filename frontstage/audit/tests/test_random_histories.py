from io import StringIO

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, assign_case, move_case
from frontstage.cases.models import Case, CaseEvent, CaseStatus
from frontstage.test import Personas

steps = st.lists(
    st.one_of(
        st.tuples(st.just("move"), st.integers(0, 2), st.sampled_from(list(CaseStatus))),
        st.tuples(
            st.just("assign"), st.integers(0, 2), st.sampled_from(["li", "sun", "wang", None])
        ),
    ),
    max_size=25,
)


class RandomHistories(Personas, TestCase):
    """Whatever people do, in whatever order, the chain verifies and every change that
    happened is in it exactly once; refused changes leave no trace."""

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps)
    def test_it_keeps_the_chain_intact_over_any_sequence_of_actions(self, history) -> None:
        people = {p.username: p for p in [self.analyst, self.supervisor, self.east_analyst]}
        cases = [self.south_case, self.shenzhen_case, self.east_case]
        events_before = AuditEvent.objects.count()
        case_events_before = CaseEvent.objects.count()
        applied = 0
        for verb, index, arg in history:
            case = Case.objects.get(pk=cases[index].pk)
            try:
                if verb == "move":
                    move_case(case=case, to=arg, by=self.supervisor)
                    applied += 1
                else:
                    assignee = people.get(arg) if arg else None
                    if case.assignee != assignee:
                        assign_case(case=case, assignee=assignee, by=self.supervisor)
                        applied += 1
            except CaseError:
                pass
        self.assertEqual(AuditEvent.objects.count() - events_before, applied)
        self.assertEqual(CaseEvent.objects.count() - case_events_before, applied)
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        self.assertIn(f"{AuditEvent.objects.count()} events verified", out.getvalue())
