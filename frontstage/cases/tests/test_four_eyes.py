"""Four eyes: severe sanctions take effect only when a second supervisor approves them."""

from frontstage.accounts.models import RoleKind, Staff
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError
from frontstage.cases.actions.decisions import approve_sanction, reject_sanction
from frontstage.cases.models import (
    ApprovalRequirement,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    Sanction,
    SanctionStatus,
    StatementOfReasons,
    Strike,
)
from frontstage.cases.tests.test_decisions import DecisionSetup
from frontstage.test import make_staff


class FourEyes(DecisionSetup):
    def propose_permanent(self, by: Staff | None = None) -> Sanction:
        request = self.warning(kind="suspend_permanently", deviation_reason="Runs the ring")
        return self.act(request, by=by).sanctions.get()

    def test_it_holds_a_permanent_suspension_until_approved(self) -> None:
        sanction = self.propose_permanent()
        self.assertEqual(sanction.status, SanctionStatus.AWAITING_APPROVAL)
        self.assertFalse(Strike.objects.exists())
        self.assertFalse(StatementOfReasons.objects.exists())
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual((case.status, case.outcome), (CaseStatus.IN_REVIEW, ""))

    def test_it_holds_a_referral_for_prosecution_until_approved(self) -> None:
        sanction = self.act(self.removal(kind="prosecute")).sanctions.get()
        self.assertEqual(sanction.status, SanctionStatus.AWAITING_APPROVAL)

    def test_it_lets_another_supervisor_approve_and_the_sanction_take_effect(self) -> None:
        sanction = self.propose_permanent()
        with self.captureOnCommitCallbacks(execute=True):
            approve_sanction(sanction=sanction, by=self.south_supervisor, note="Agreed")
        sanction.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.IN_EFFECT)
        self.assertEqual(sanction.approved_by, self.south_supervisor)
        self.assertTrue(StatementOfReasons.objects.filter(sanction=sanction).exists())
        self.assertTrue(Strike.objects.filter(sanction=sanction).exists())
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual(
            (case.status, case.outcome), (CaseStatus.DECIDED, CaseOutcome.ACTION_TAKEN)
        )
        event = CaseEvent.objects.filter(kind=CaseEventKind.SANCTION_APPROVED).get()
        self.assertEqual(event.actor, self.south_supervisor)
        self.assertTrue(AuditEvent.objects.filter(action="sanction.approved").exists())

    def test_it_refuses_approval_by_the_proposing_supervisor(self) -> None:
        sanction = self.propose_permanent(by=self.south_supervisor)
        with self.assertRaisesMessage(
            CaseError, "You proposed this sanction; another supervisor must approve it."
        ):
            approve_sanction(sanction=sanction, by=self.south_supervisor)
        sanction.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.AWAITING_APPROVAL)

    def test_it_refuses_approval_by_an_analyst(self) -> None:
        sanction = self.propose_permanent()
        other_analyst = make_staff("lin", RoleKind.ANALYST, self.south)
        with self.assertRaisesMessage(CaseError, "Only a supervisor"):
            approve_sanction(sanction=sanction, by=other_analyst)

    def test_it_refuses_approval_by_the_analyst_who_proposed(self) -> None:
        sanction = self.propose_permanent()
        with self.assertRaisesMessage(CaseError, "Only a supervisor"):
            approve_sanction(sanction=sanction, by=self.analyst)

    def test_it_lets_a_supervisor_above_the_unit_approve(self) -> None:
        sanction = self.propose_permanent(by=self.south_supervisor)
        approve_sanction(sanction=sanction, by=self.supervisor)
        sanction.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.IN_EFFECT)

    def test_it_refuses_to_approve_twice(self) -> None:
        sanction = self.propose_permanent()
        approve_sanction(sanction=sanction, by=self.south_supervisor)
        with self.assertRaisesMessage(CaseError, "no longer awaits approval"):
            approve_sanction(sanction=sanction, by=self.supervisor)

    def test_it_keeps_the_case_in_review_when_the_only_sanction_is_rejected(self) -> None:
        sanction = self.propose_permanent()
        reject_sanction(sanction=sanction, by=self.south_supervisor, note="Too harsh; suspend")
        sanction.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.REJECTED)
        self.assertEqual(sanction.approval_note, "Too harsh; suspend")
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, CaseStatus.IN_REVIEW)
        self.assertFalse(StatementOfReasons.objects.exists())
        decision = self.act(self.warning())  # the analyst decides again
        self.assertEqual(decision.sanctions.get().status, SanctionStatus.IN_EFFECT)

    def test_it_requires_a_note_to_reject(self) -> None:
        sanction = self.propose_permanent()
        with self.assertRaisesMessage(CaseError, "Say why you reject the sanction"):
            reject_sanction(sanction=sanction, by=self.south_supervisor, note=" ")

    def test_it_adds_the_kinds_a_unit_above_requires_to_approve(self) -> None:
        ApprovalRequirement.objects.create(unit=self.national, kind="remove")
        sanction = self.act(self.removal()).sanctions.get()
        self.assertEqual(sanction.status, SanctionStatus.AWAITING_APPROVAL)

    def test_it_ignores_the_requirements_of_another_branch(self) -> None:
        ApprovalRequirement.objects.create(unit=self.east, kind="remove")
        sanction = self.act(self.removal()).sanctions.get()
        self.assertEqual(sanction.status, SanctionStatus.IN_EFFECT)

    def test_it_decides_the_case_when_the_awaited_sanction_is_answered_and_another_holds(
        self,
    ) -> None:
        request = self.warning(kind="suspend_permanently", deviation_reason="Runs the ring")
        decision = self.act(self.removal(), request)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, CaseStatus.IN_REVIEW)
        held = decision.sanctions.get(kind="suspend_permanently")
        reject_sanction(sanction=held, by=self.south_supervisor, note="A suspension suffices")
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual(
            (case.status, case.outcome), (CaseStatus.DECIDED, CaseOutcome.ACTION_TAKEN)
        )
