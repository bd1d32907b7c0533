"""Deciding a case: the legal ground, the facts, the sanctions and the ladder's proposal."""

from typing import Any

from django.core import mail

from frontstage.accounts.models import Staff
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, move_case
from frontstage.cases.actions.decisions import SanctionRequest, decide
from frontstage.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    Decision,
    LegalGround,
    SanctionStatus,
    StatementOfReasons,
    Strike,
    Subject,
)
from frontstage.test import Personas

FACTS = "The page asks for a parcel fee and sends the money to a personal wallet."


class DecisionSetup(Personas):
    """A triaged scam case of medium severity at south about a URL and a weibo account (no test
    of its own): the ladder proposes removing the URL and warning the account."""

    case: Case
    url: Subject
    account: Subject
    ground: LegalGround

    def setUp(self) -> None:
        super().setUp()
        Case.objects.filter(pk=self.south_case.pk).update(severity="medium")
        self.case = move_case(case=self.south_case, to=CaseStatus.TRIAGED, by=self.analyst)
        self.url = self.case.subjects.get()
        self.account = Subject.objects.create(kind="account", key="weibo:parcelscam")
        self.case.subjects.add(self.account)
        self.ground = LegalGround.objects.filter(category__code="scam_fraud", unit=None)[0]

    def act(self, *sanctions: SanctionRequest, by: Staff | None = None, **changes: Any) -> Decision:
        values: dict[str, Any] = {
            "case": self.case,
            "outcome": "action",
            "legal_ground": self.ground,
            "facts": FACTS,
            "sanctions": sanctions,
            "by": by or self.analyst,
        }
        values.update(changes)
        return decide(**values)

    def removal(self, **changes: Any) -> SanctionRequest:
        values: dict[str, Any] = {"subject": self.url, "kind": "remove"}
        values.update(changes)
        return SanctionRequest(**values)

    def warning(self, **changes: Any) -> SanctionRequest:
        values: dict[str, Any] = {"subject": self.account, "kind": "warn"}
        values.update(changes)
        return SanctionRequest(**values)


class Deciding(DecisionSetup):
    def test_it_takes_action_and_decides_the_case(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            decision = self.act(self.removal())
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual(
            (case.status, case.outcome), (CaseStatus.DECIDED, CaseOutcome.ACTION_TAKEN)
        )
        self.assertEqual(decision.legal_ground, self.ground)
        sanction = decision.sanctions.get()
        self.assertEqual(sanction.status, SanctionStatus.IN_EFFECT)
        self.assertIsNotNone(sanction.starts_at)
        self.assertEqual((sanction.proposed_kind, sanction.deviation_reason), ("remove", ""))

    def test_it_records_the_decision_in_the_case_history_and_the_audit_log(self) -> None:
        self.act(self.removal())
        kinds = list(CaseEvent.objects.filter(case=self.case).values_list("kind", flat=True))
        self.assertIn(CaseEventKind.SANCTION_PROPOSED, kinds)
        self.assertIn(CaseEventKind.DECIDED, kinds)
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertTrue({"decision.recorded", "sanction.proposed", "statement.issued"} <= actions)

    def test_it_issues_a_statement_of_reasons_that_is_open_to_appeal_for_six_months(self) -> None:
        sanction = self.act(self.removal()).sanctions.get()
        statement = StatementOfReasons.objects.get(sanction=sanction)
        self.assertGreaterEqual((statement.appeal_until - statement.issued_at).days, 183)
        self.assertEqual(statement.content["legal_ground"]["reference"], self.ground.reference)
        self.assertRegex(statement.puid, r"^[A-Za-z0-9_-]+$")

    def test_it_gives_a_warned_account_a_strike(self) -> None:
        sanction = self.act(self.warning()).sanctions.get()
        strike = Strike.objects.get(sanction=sanction)
        self.assertEqual(strike.subject, self.account)
        self.assertEqual((strike.expires_at - strike.issued_at).days, 180)

    def test_it_decides_that_there_is_no_violation(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            decision = self.act(outcome="no_violation", legal_ground=None)
        self.assertEqual(Case.objects.get(pk=self.case.pk).outcome, CaseOutcome.NO_VIOLATION)
        self.assertFalse(decision.sanctions.exists())

    def test_it_accepts_a_deviation_from_the_ladder_with_a_reason(self) -> None:
        sanction = self.act(
            self.removal(kind="label", deviation_reason="Satire site")
        ).sanctions.get()
        self.assertEqual((sanction.kind, sanction.proposed_kind), ("label", "remove"))
        self.assertEqual(sanction.deviation_reason, "Satire site")

    def test_it_mails_the_affected_user_the_link_to_the_statement(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            sanction = self.act(self.removal(affected_email="owner@example.com")).sanctions.get()
        self.assertEqual(mail.outbox[-1].to, ["owner@example.com"])
        self.assertIn(f"/statement/{sanction.statement.token}/", mail.outbox[-1].body)
        self.assertIsNotNone(StatementOfReasons.objects.get(sanction=sanction).emailed_at)


class Refusals(DecisionSetup):
    def assertRefused(self, message: str, *sanctions: SanctionRequest, **changes: Any) -> None:
        with self.assertRaisesMessage(CaseError, message):
            self.act(*sanctions, **changes)
        self.assertFalse(Decision.objects.exists())
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, CaseStatus.TRIAGED)

    def test_it_refuses_an_intake_agent(self) -> None:
        self.assertRefused("Only an analyst or a supervisor", self.removal(), by=self.intake_agent)

    def test_it_refuses_an_analyst_of_another_region(self) -> None:
        self.assertRefused("Only an analyst or a supervisor", self.removal(), by=self.east_analyst)

    def test_it_refuses_a_case_not_yet_triaged(self) -> None:
        self.case = self.shenzhen_case
        with self.assertRaisesMessage(CaseError, "triage it or reopen it first"):
            self.act(outcome="no_violation", legal_ground=None)

    def test_it_refuses_action_without_a_legal_ground(self) -> None:
        self.assertRefused("Choose the legal ground", self.removal(), legal_ground=None)

    def test_it_refuses_a_legal_ground_of_another_category(self) -> None:
        other = LegalGround.objects.exclude(category__code="scam_fraud").first()
        self.assertRefused(
            "legal ground of the case's category", self.removal(), legal_ground=other
        )

    def test_it_refuses_a_legal_ground_of_another_units_library(self) -> None:
        east_ground = LegalGround.objects.create(
            category=self.ground.category,
            unit=self.east,
            jurisdiction="CN-SH",
            reference="Shanghai rule 1",
            title_en="Local rule",
            elements_en="1. Something.",
        )
        self.assertRefused("belongs to another unit", self.removal(), legal_ground=east_ground)

    def test_it_refuses_a_decision_without_facts(self) -> None:
        self.assertRefused("Write the facts", self.removal(), facts="   ")

    def test_it_refuses_action_without_a_sanction(self) -> None:
        self.assertRefused("Choose at least one sanction")

    def test_it_refuses_sanctions_with_no_violation(self) -> None:
        self.assertRefused("takes no sanction", self.removal(), outcome="no_violation")

    def test_it_refuses_a_deviation_from_the_ladder_without_a_reason(self) -> None:
        self.assertRefused("The ladder proposes “Remove content”", self.removal(kind="label"))

    def test_it_refuses_a_suspension_of_a_url(self) -> None:
        self.assertRefused("cannot apply to", self.removal(kind="suspend", days=7))

    def test_it_refuses_a_suspension_without_days(self) -> None:
        request = self.warning(kind="suspend", days=None, deviation_reason="Repeat scams")
        self.assertRefused("Give the suspension's length in days", request)

    def test_it_refuses_a_subject_of_another_case(self) -> None:
        stranger = self.east_case.subjects.get()
        self.assertRefused("is not a subject of this case", self.removal(subject=stranger))

    def test_it_refuses_a_malformed_email_for_the_affected_user(self) -> None:
        self.assertRefused("is not an e-mail address", self.removal(affected_email="not-mail"))

    def test_it_refuses_to_decide_while_a_sanction_awaits_approval(self) -> None:
        self.act(self.warning(kind="suspend_permanently", deviation_reason="Ringleader"))
        with self.assertRaisesMessage(CaseError, "awaits a supervisor's approval"):
            self.act(self.removal())
