"""The hand-off from the decisions part: a sanction decided, approved and put in effect by its
actions gets a statement whose page and appeal work as the affected user needs."""

from django.core import mail
from django.urls import reverse
from django.utils import translation

from frontstage.accounts.models import RoleKind
from frontstage.cases.actions import move_case
from frontstage.cases.actions.appeals import decide_appeal, file_appeal
from frontstage.cases.actions.core import CaseError
from frontstage.cases.actions.decisions import approve_sanction, decide
from frontstage.cases.actions.sanction_rules import SanctionRequest
from frontstage.cases.models import (
    CaseOutcome,
    CaseStatus,
    DecisionOutcome,
    LegalGround,
    OrderAction,
    PlatformOrder,
    SanctionKind,
    SanctionStatus,
    StatementOfReasons,
    Subject,
    SubjectKind,
)
from frontstage.cases.tests.test_appeals import GOOD_APPEAL
from frontstage.intake.models import ApiClient, ClientKind
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.test import Personas, make_staff


class AppealAgainstADecidedSanction(Personas):
    def test_it_takes_a_sanction_from_decision_to_reversal(self) -> None:
        case = self.south_case
        category = case.category
        assert category is not None
        account = Subject.objects.create(kind=SubjectKind.ACCOUNT, key="weibo:someone")
        case.subjects.add(account)
        ApiClient.objects.create(
            name="Weibo",
            kind=ClientKind.PLATFORM,
            unit=self.national,
            token_digest="1" * 64,
            token_hint="fs_weib",
            platform="weibo",
        )
        ground = LegalGround.objects.create(
            category=category,
            jurisdiction="CN",
            reference="Criminal Law Art. 266",
            title_en="Fraud",
            title_zh="诈骗罪",
            elements_en="Deceit that makes the victim hand over property.",
        )
        move_case(case=case, to=CaseStatus.TRIAGED, by=SYSTEM)
        with self.captureOnCommitCallbacks(execute=True):
            decision = decide(
                case=case,
                outcome=DecisionOutcome.ACTION,
                legal_ground=ground,
                facts="The account sent links to a fake prize page asking for deposits.",
                sanctions=[
                    SanctionRequest(
                        subject=account,
                        kind=SanctionKind.SUSPEND_PERMANENTLY,
                        deviation_reason="Organised fraud against many victims.",
                        affected_email="someone@example.org",
                        affected_language="zh-hans",
                    )
                ],
                by=self.analyst,
            )
            sanction = decision.sanctions.get()
            approve_sanction(sanction=sanction, by=self.south_supervisor)
        statement = StatementOfReasons.objects.get(sanction=sanction)
        page = self.reporter().get(reverse("statement", args=[statement.token]))
        self.assertContains(page, '<html lang="zh-hans">')
        self.assertContains(page, "诈骗罪")
        appeal = file_appeal(statement=statement, text=GOOD_APPEAL, by=PUBLIC)
        # The Chinese page above left Chinese active in this thread; the refusal is read in English.
        with translation.override("en"), self.assertRaisesMessage(CaseError, "You approved"):
            decide_appeal(appeal=appeal, upheld=False, reason="No.", by=self.south_supervisor)
        reviewer = make_staff("mei", RoleKind.SUPERVISOR, self.national)
        with self.captureOnCommitCallbacks(execute=True):
            decide_appeal(appeal=appeal, upheld=False, reason="A real shop.", by=reviewer)
        sanction.refresh_from_db()
        case.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.LIFTED)
        self.assertIsNotNone(sanction.strike.removed_at)
        self.assertEqual(case.outcome, CaseOutcome.REVERSED)
        self.assertTrue(PlatformOrder.objects.filter(action=OrderAction.RESTORE).exists())
        sent = [m for m in mail.outbox if m.to == ["someone@example.org"]]
        self.assertIn(f"/statement/{statement.token}/", sent[0].body)
