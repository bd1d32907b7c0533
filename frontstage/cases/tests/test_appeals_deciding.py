from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from frontstage.accounts.models import RoleKind
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions.appeals import appeal_figures, decide_appeal, file_appeal
from frontstage.cases.actions.core import CaseError
from frontstage.cases.models import (
    Appeal,
    AppealStatus,
    CaseEventKind,
    CaseOutcome,
    OrderAction,
    PlatformOrder,
    SanctionStatus,
    Strike,
)
from frontstage.cases.tests.test_appeals import GOOD_APPEAL, Sanctioned
from frontstage.intake.tracking import outcome_label
from frontstage.lib.actors import PUBLIC
from frontstage.test import make_staff

REASON = "The shop showed its business licence; the prize page was a real promotion."


class DecidingAnAppeal(Sanctioned):
    def setUp(self) -> None:
        self.filed = file_appeal(
            statement=self.statement, text=GOOD_APPEAL, email="someone@example.org", by=PUBLIC
        )
        self.url = reverse("console:appeal", args=[self.filed.pk])

    def decide(self, person, outcome: str = "reversed", reason: str = REASON):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client_for(person).post(self.url, {"outcome": outcome, "reason": reason})

    def test_it_lists_open_appeals_oldest_first_to_supervisors(self) -> None:
        page = self.client_for(self.reviewer).get(reverse("console:appeals"))
        self.assertContains(page, "1 open appeal")
        self.assertContains(page, str(self.filed))
        self.assertContains(page, "No decided appeal matches.")
        self.assertContains(page, 'href="/console/appeals/"')  # the nav link

    def test_it_shows_the_appeal_the_statement_and_the_decision(self) -> None:
        page = self.client_for(self.reviewer).get(self.url)
        self.assertContains(page, GOOD_APPEAL)
        self.assertContains(page, "Suspend the account permanently")
        self.assertContains(page, "Criminal Law Art. 266")
        self.assertContains(page, reverse("console:case", args=[self.south_case.pk]))
        self.assertContains(page, "Decide the appeal")

    def test_it_hides_the_appeals_from_people_without_a_supervisors_role_there(self) -> None:
        east_supervisor = make_staff("zhao", RoleKind.SUPERVISOR, self.east)
        self.assertEqual(self.client_for(east_supervisor).get(self.url).status_code, 404)
        listing = self.client_for(east_supervisor).get(reverse("console:appeals"))
        self.assertContains(listing, "No appeal is waiting.")
        for person in (self.analyst, self.outsider, self.east_analyst, self.auditor):
            self.assertEqual(self.client_for(person).get(self.url).status_code, 403)
            self.assertEqual(
                self.client_for(person).get(reverse("console:appeals")).status_code, 403
            )
        self.assertEqual(self.reporter().get(self.url).status_code, 302)

    def test_it_does_not_let_the_person_who_decided_decide_the_appeal(self) -> None:
        page = self.client_for(self.south_supervisor).get(self.url)
        self.assertContains(page, "You took part in this decision")
        self.assertNotContains(page, "Decide the appeal")  # no form that could only fail
        response = self.decide(self.south_supervisor)  # a crafted request is refused all the same
        self.assertContains(response, "You decided this case", status_code=400)
        self.filed.refresh_from_db()
        self.assertEqual(self.filed.status, AppealStatus.OPEN)

    def test_it_does_not_let_the_approver_decide_the_appeal(self) -> None:
        response = self.decide(self.supervisor)
        self.assertContains(response, "You approved this sanction", status_code=400)
        self.sanction.refresh_from_db()
        self.assertEqual(self.sanction.status, SanctionStatus.IN_EFFECT)

    def test_it_does_not_let_an_analyst_decide_the_appeal(self) -> None:
        self.assertEqual(self.decide(self.analyst).status_code, 403)
        with self.assertRaisesMessage(CaseError, "Only a supervisor"):
            decide_appeal(appeal=self.filed, upheld=False, reason=REASON, by=self.analyst)
        self.filed.refresh_from_db()
        self.assertEqual(self.filed.status, AppealStatus.OPEN)

    def test_it_needs_a_reason_and_a_choice(self) -> None:
        response = self.decide(self.reviewer, reason="  ")
        self.assertContains(response, "Give the reason for your decision", status_code=400)
        response = self.decide(self.reviewer, outcome="maybe")
        self.assertEqual(response.status_code, 400)
        self.filed.refresh_from_db()
        self.assertEqual(self.filed.status, AppealStatus.OPEN)

    def test_it_reverses_lifting_the_sanction_and_removing_the_strike(self) -> None:
        response = self.decide(self.reviewer)
        self.assertRedirects(response, self.url)
        self.filed.refresh_from_db()
        self.assertEqual(
            (self.filed.status, self.filed.decided_by, self.filed.reason),
            (AppealStatus.REVERSED, self.reviewer, REASON),
        )
        self.sanction.refresh_from_db()
        self.assertEqual(self.sanction.status, SanctionStatus.LIFTED)
        self.assertEqual(self.sanction.lifted_reason, REASON)
        strike = Strike.objects.get(sanction=self.sanction)
        self.assertIsNotNone(strike.removed_at)
        self.south_case.refresh_from_db()
        self.assertEqual(self.south_case.outcome, CaseOutcome.REVERSED)

    def test_it_orders_the_platform_to_restore_the_account(self) -> None:
        self.decide(self.reviewer)
        restore = PlatformOrder.objects.get(action=OrderAction.RESTORE)
        self.assertEqual((restore.platform, restore.item), ("weibo", "weibo:someone"))
        self.assertEqual(restore.sanction, self.sanction)

    def test_it_records_case_and_audit_events_for_the_reversal(self) -> None:
        self.decide(self.reviewer)
        kinds = set(self.south_case.events.values_list("kind", flat=True))
        self.assertTrue({CaseEventKind.APPEAL_DECIDED, CaseEventKind.SANCTION_LIFTED} <= kinds)
        actions = set(
            AuditEvent.objects.filter(actor=self.reviewer).values_list("action", flat=True)
        )
        self.assertTrue({"appeal.decided", "sanction.lifted", "order.issued"} <= actions)

    def test_it_tells_the_appellant_and_the_reporter_the_outcome(self) -> None:
        self.decide(self.reviewer)
        to_appellant = [m for m in mail.outbox if m.to == ["someone@example.org"]]
        to_reporter = [m for m in mail.outbox if m.to == ["reporter@example.org"]]
        self.assertEqual(len(to_appellant), 1)
        self.assertIn("the decision was reversed", to_appellant[0].body)
        self.assertIn(REASON, to_appellant[0].body)
        self.assertIn(f"/statement/{self.statement.token}/", to_appellant[0].body)
        self.assertEqual(len(to_reporter), 1)
        self.assertIn("Action reversed on appeal", to_reporter[0].body)

    def test_it_shows_the_reversal_on_the_reporters_receipt_page(self) -> None:
        self.decide(self.reviewer)
        for language in ("en", "zh-hans"):
            reporter = self.reporter()
            reporter.post(reverse("intake:track"), {"code": self.receipt_code})
            page = reporter.get(reverse("intake:status"), HTTP_ACCEPT_LANGUAGE=language)
            with translation.override(language):
                label = outcome_label(CaseOutcome.REVERSED)
            self.assertContains(page, label)
            self.assertContains(page, f'<html lang="{language}">')

    def test_it_upholds_leaving_the_sanction_in_effect(self) -> None:
        self.decide(self.reviewer, outcome="upheld")
        self.filed.refresh_from_db()
        self.sanction.refresh_from_db()
        self.south_case.refresh_from_db()
        self.assertEqual(self.filed.status, AppealStatus.UPHELD)
        self.assertEqual(self.sanction.status, SanctionStatus.IN_EFFECT)
        self.assertEqual(self.south_case.outcome, CaseOutcome.ACTION_TAKEN)
        self.assertFalse(PlatformOrder.objects.filter(action=OrderAction.RESTORE).exists())
        self.assertIn("the decision was upheld", mail.outbox[-1].body)
        self.assertEqual(mail.outbox[-1].to, ["someone@example.org"])

    def test_it_decides_an_appeal_only_once(self) -> None:
        self.decide(self.reviewer, outcome="upheld")
        response = self.decide(self.reviewer)
        self.assertContains(response, "This appeal was already decided", status_code=400)
        self.assertNotContains(response, "Decide the appeal", status_code=400)
        with self.assertRaisesMessage(CaseError, "already decided"):
            decide_appeal(appeal=self.filed, upheld=False, reason=REASON, by=self.reviewer)

    def test_it_refuses_a_new_appeal_once_one_was_decided(self) -> None:
        self.decide(self.reviewer, outcome="upheld")
        with self.assertRaisesMessage(CaseError, "already decided"):
            file_appeal(statement=self.statement, text=GOOD_APPEAL, by=PUBLIC)

    def test_it_lists_decided_appeals_with_a_filter(self) -> None:
        self.decide(self.reviewer)
        listing = reverse("console:appeals")
        page = self.client_for(self.reviewer).get(listing, {"outcome": "reversed"})
        self.assertContains(page, "0 open appeals")
        self.assertContains(page, "1 decided appeal")
        page = self.client_for(self.reviewer).get(
            listing, {"outcome": "upheld"}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(page, "0 decided appeals")
        self.assertNotContains(page, "<html")

    def test_it_counts_reversals_for_the_transparency_report(self) -> None:
        self.decide(self.reviewer)
        now = timezone.now()
        figures = appeal_figures([self.south.pk], now - timedelta(days=1), now + timedelta(days=1))
        self.assertEqual(figures, {"filed": 1, "upheld": 0, "reversed": 1, "open": 0})
        self.assertEqual(
            appeal_figures([self.east.pk], now - timedelta(days=1), now + timedelta(days=1)),
            {"filed": 0, "upheld": 0, "reversed": 0, "open": 0},
        )
        self.assertEqual(Appeal.objects.filter(status=AppealStatus.REVERSED).count(), 1)
