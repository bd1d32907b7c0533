from datetime import timedelta
from unittest import mock

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frontstage.accounts.models import RoleKind, Staff
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import decide_case, move_case
from frontstage.cases.models import (
    Appeal,
    AppealStatus,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    Decision,
    DecisionOutcome,
    LegalGround,
    OrderAction,
    OrderStatus,
    PlatformOrder,
    Sanction,
    SanctionKind,
    SanctionStatus,
    StatementOfReasons,
    Strike,
    Subject,
    SubjectKind,
)
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import ApiClient, ClientKind, ReportSource
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.test import Personas, make_staff

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
GOOD_APPEAL = "The account belongs to a real shop; the deposit page was a genuine order form."


class Sanctioned(Personas):
    """south_case decided by hua (south supervisor) with a permanent suspension of the account
    weibo:someone that sun (national supervisor) approved; an order went to Weibo, a strike
    and a statement of reasons exist. mei, another national supervisor, may review appeals.
    A member of the public reported the case with an e-mail address."""

    reviewer: Staff
    sanction: Sanction
    statement: StatementOfReasons
    receipt_code: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reviewer = make_staff("mei", RoleKind.SUPERVISOR, cls.national)
        receipt = submit_report(
            submission=Submission(
                source=ReportSource.PUBLIC,
                locations=[("url", "http://south.example/scam")],
                explanation="The page asks for a deposit to release a prize.",
                region_code="CN-GD",
                reporter_name="Mei Reporter",
                reporter_email="reporter@example.org",
            ),
            by=PUBLIC,
        )
        assert receipt.code is not None and receipt.report.case_id == cls.south_case.pk
        cls.receipt_code = receipt.code
        account = Subject.objects.create(kind=SubjectKind.ACCOUNT, key="weibo:someone")
        case = cls.south_case
        category = case.category
        assert category is not None
        case.subjects.add(account)
        for status in (CaseStatus.TRIAGED, CaseStatus.IN_REVIEW):
            move_case(case=case, to=status, by=SYSTEM)
        decide_case(case=case, outcome=CaseOutcome.ACTION_TAKEN, by=cls.south_supervisor)
        ground = LegalGround.objects.create(
            category=category,
            jurisdiction="CN",
            reference="Criminal Law Art. 266",
            title_en="Fraud",
            title_zh="诈骗罪",
            elements_en="Deceit that makes the victim hand over property.",
            elements_zh="以欺骗手段使被害人交付财物。",
            url="https://law.example/266",
        )
        now = timezone.now()
        decision = Decision.objects.create(
            case=case,
            outcome=DecisionOutcome.ACTION,
            legal_ground=ground,
            facts="The account sent links to a fake prize page asking for deposits.",
            explanation="Asking for deposits for a prize that does not exist is deceit.",
            decided_by=cls.south_supervisor,
            decided_at=now,
        )
        cls.sanction = Sanction.objects.create(
            decision=decision,
            case=case,
            subject=account,
            kind=SanctionKind.SUSPEND_PERMANENTLY,
            proposed_kind=SanctionKind.SUSPEND_PERMANENTLY,
            status=SanctionStatus.IN_EFFECT,
            proposed_by=cls.south_supervisor,
            proposed_at=now,
            approved_by=cls.supervisor,
            approved_at=now,
            starts_at=now,
            affected_email="someone@example.org",
        )
        Strike.objects.create(
            subject=account,
            sanction=cls.sanction,
            category=category,
            issued_at=now,
            expires_at=now + timedelta(days=365),
        )
        weibo = ApiClient.objects.create(
            name="Weibo",
            kind=ClientKind.PLATFORM,
            unit=cls.national,
            token_digest="0" * 64,
            token_hint="fs_weib",
            platform="weibo",
        )
        PlatformOrder.objects.create(
            sanction=cls.sanction,
            case=case,
            platform="weibo",
            client=weibo,
            item=account.key,
            action=OrderAction.SUSPEND,
            legal_basis="Criminal Law Art. 266 — Fraud",
            deadline=now + timedelta(hours=24),
            status=OrderStatus.COMPLIED,
            created_at=now,
        )
        cls.statement = StatementOfReasons.objects.create(
            sanction=cls.sanction,
            puid="south-S000001",
            token=TOKEN,
            content=statement_content(case.reference, ground),
            language="en",
            issued_at=now,
            appeal_until=now + timedelta(days=183),
        )

    def page_url(self) -> str:
        return reverse("statement", args=[TOKEN])

    def appeal(self, text: str = GOOD_APPEAL, email: str = "", client: Client | None = None):
        return (client or self.reporter()).post(self.page_url(), {"text": text, "email": email})


def statement_content(case_reference: str, ground: LegalGround) -> dict:
    """The content as the decisions part writes it (the agreed keys, nothing more)."""
    return {
        "puid": "south-S000001",
        "unit": {"slug": "south", "name_en": "South Online Safety", "name_zh": "南方网络安全"},
        "case": case_reference,
        "sanction": SanctionKind.SUSPEND_PERMANENTLY.value,
        "days": None,
        "starts_at": "2025-03-01T10:00:00+00:00",
        "ends_at": None,
        "subject": {"kind": "account", "key": "weibo:someone"},
        "category": {
            "code": "scam_fraud",
            "name_en": "Scams and fraud",
            "name_zh": "诈骗",
            "dsa_category": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        },
        "facts": "The account sent links to a fake prize page asking for deposits.",
        "explanation": "Asking for deposits for a prize that does not exist is deceit.",
        "legal_ground": {
            "reference": ground.reference,
            "title_en": ground.title_en,
            "title_zh": ground.title_zh,
            "elements_en": ground.elements_en,
            "elements_zh": ground.elements_zh,
            "url": ground.url,
        },
        "source_types": ["patrol", "public"],
        "automated_detection": True,
        "automated_decision": "not_automated",
        "territory": ["CN-GD", "CN-GX"],
        "decided_at": "2025-03-01T10:00:00+00:00",
    }


class FilingAnAppeal(Sanctioned):
    def test_it_files_an_appeal_and_shows_that_it_is_being_reviewed(self) -> None:
        visitor = self.reporter()
        response = self.appeal(email="someone@example.org", client=visitor)
        self.assertEqual(response["Location"], self.page_url())
        appeal = Appeal.objects.get()
        self.assertEqual((appeal.status, appeal.case), (AppealStatus.OPEN, self.south_case))
        self.assertEqual(appeal.email, "someone@example.org")
        page = visitor.get(self.page_url())
        self.assertContains(page, "Your appeal was received.")
        self.assertContains(page, "A reviewer who did not take the decision is looking")
        self.assertNotContains(page, "Send my appeal")

    def test_it_writes_a_case_event_and_an_audit_event_without_the_text(self) -> None:
        self.appeal()
        event = self.south_case.events.get(kind=CaseEventKind.APPEAL_FILED)
        self.assertEqual(event.actor_label, PUBLIC)
        audit = AuditEvent.objects.get(action="appeal.filed")
        self.assertEqual(audit.unit, self.south)
        self.assertNotIn(GOOD_APPEAL, str(audit.payload) + str(event.payload))

    def test_it_refuses_a_too_short_explanation_and_keeps_what_was_typed(self) -> None:
        response = self.appeal(text="It is wrong.", email="someone@example.org")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Explain in at least 20 characters", status_code=400)
        self.assertContains(response, "It is wrong.", status_code=400)
        self.assertContains(response, "someone@example.org", status_code=400)
        self.assertFalse(Appeal.objects.exists())

    def test_it_refuses_a_too_long_explanation(self) -> None:
        response = self.appeal(text="x" * 5001)
        self.assertContains(response, "please shorten it to 5000", status_code=400)
        self.assertFalse(Appeal.objects.exists())

    def test_it_refuses_an_appeal_after_the_deadline(self) -> None:
        late = self.statement.appeal_until + timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=late):
            page = self.reporter().get(self.page_url())
            response = self.appeal()
        self.assertNotContains(page, "Send my appeal")
        self.assertContains(page, "The time to appeal here ended on")
        self.assertContains(response, "The time to appeal ended on", status_code=400)
        self.assertFalse(Appeal.objects.exists())

    def test_it_accepts_an_appeal_on_the_last_day(self) -> None:
        last = self.statement.appeal_until - timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=last):
            self.assertEqual(self.appeal().status_code, 302)
        self.assertEqual(Appeal.objects.count(), 1)

    def test_it_refuses_a_second_appeal_while_one_is_open(self) -> None:
        self.appeal()
        response = self.appeal(text="And another thing: the shop is registered in Guangzhou.")
        self.assertContains(response, "already being reviewed", status_code=400)
        self.assertEqual(Appeal.objects.count(), 1)

    def test_it_limits_how_often_one_connection_may_send_the_form(self) -> None:
        with mock.patch("frontstage.cases.views.appeals.APPEALS_PER_HOUR", 1):
            self.appeal(text="short")
            response = self.appeal()
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertFalse(Appeal.objects.exists())

    def test_it_keeps_the_form_protected_against_cross_site_posts(self) -> None:
        forged = Client(enforce_csrf_checks=True)
        response = self.appeal(client=forged)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Appeal.objects.exists())

    def test_it_shows_errors_in_the_language_of_the_statement(self) -> None:
        self.statement.language = "zh-hans"
        self.statement.save(update_fields=["language"])
        response = self.appeal(text="short")
        self.assertContains(response, '<html lang="zh-hans">', status_code=400)
