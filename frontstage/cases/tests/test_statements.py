"""Statements of reasons: their content (DSA Art. 17) and the link mailed to the affected user
in their language."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.core import mail
from django.test import SimpleTestCase

from frontstage.cases.actions.decisions import approve_sanction
from frontstage.cases.models import StatementOfReasons
from frontstage.cases.statement import puid_for, statement_content
from frontstage.cases.tests.test_decisions import FACTS, DecisionSetup
from frontstage.intake.models import Report, ReportSource

KEYS = {
    "puid",
    "unit",
    "case",
    "sanction",
    "days",
    "starts_at",
    "ends_at",
    "subject",
    "category",
    "facts",
    "explanation",
    "legal_ground",
    "source_types",
    "automated_detection",
    "automated_decision",
    "territory",
    "decided_at",
}
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def content(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "puid": "south-S000001",
        "unit": SimpleNamespace(
            slug="south", name_en="South", name_zh="南方", region_codes=["CN-GD"]
        ),
        "case_reference": "C-000001",
        "sanction_kind": "suspend",
        "days": 30,
        "starts_at": AT,
        "ends_at": datetime(2026, 3, 31, 9, 30, tzinfo=UTC),
        "subject_kind": "account",
        "subject_key": "weibo:x",
        "category": SimpleNamespace(
            code="scam_fraud",
            name_en="Fraud",
            name_zh="诈骗",
            dsa_category="STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        ),
        "facts": "Facts.",
        "explanation": "Why.",
        "legal_ground": None,
        "report_sources": ["public", "trusted_flagger", "public"],
        "automated_detection": False,
        "decided_at": AT,
    }
    values.update(changes)
    return statement_content(**values)  # type: ignore[arg-type]


class StatementContent(SimpleTestCase):
    def test_it_has_exactly_the_agreed_keys(self) -> None:
        self.assertEqual(set(content()), KEYS)

    def test_it_lists_each_source_once_in_order(self) -> None:
        self.assertEqual(content()["source_types"], ["public", "trusted_flagger"])
        self.assertEqual(content(report_sources=[])["source_types"], [])

    def test_it_marks_automated_detection_when_patrol_found_the_content(self) -> None:
        self.assertFalse(content()["automated_detection"])
        self.assertTrue(content(report_sources=["patrol"])["automated_detection"])
        self.assertEqual(content()["automated_decision"], "not_automated")

    def test_it_writes_times_as_iso_and_an_open_end_as_null(self) -> None:
        self.assertEqual(content()["starts_at"], "2026-03-01T09:30:00+00:00")
        self.assertIsNone(content(ends_at=None)["ends_at"])

    def test_it_keeps_puids_to_the_characters_the_database_accepts(self) -> None:
        self.assertEqual(puid_for("south", 42), "south-S000042")
        self.assertRegex(puid_for("gd.sz unit", 7), r"^[A-Za-z0-9_-]+$")


class IssuedStatements(DecisionSetup):
    def test_it_freezes_the_decision_into_the_statement(self) -> None:
        Report.objects.create(
            source=ReportSource.PATROL,
            case=self.case,
            explanation="hit",
            received_at=self.case.opened_at,
        )
        sanction = self.act(self.removal()).sanctions.get()
        statement = StatementOfReasons.objects.get(sanction=sanction)
        self.assertEqual(set(statement.content), KEYS)
        self.assertEqual(statement.content["facts"], FACTS)
        self.assertEqual(statement.content["subject"], {"kind": "url", "key": "south.example/scam"})
        self.assertEqual(statement.content["territory"], ["CN-GD", "CN-GX"])
        self.assertTrue(statement.content["automated_detection"])
        self.assertEqual(statement.content["unit"]["slug"], "south")

    def test_it_mails_the_link_in_the_affected_users_language(self) -> None:
        request = self.removal(affected_email="owner@example.cn", affected_language="zh-hans")
        with self.captureOnCommitCallbacks(execute=True):
            sanction = self.act(request).sanctions.get()
        self.assertEqual(sanction.statement.language, "zh-hans")
        self.assertIn("south网络安全", mail.outbox[-1].body)  # the unit's Chinese name
        self.assertIn(sanction.statement.token, mail.outbox[-1].body)

    def test_it_sends_no_mail_without_an_address(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.act(self.removal())
        self.assertEqual(mail.outbox, [])

    def test_it_issues_the_statement_of_an_approved_sanction_only_when_approved(self) -> None:
        request = self.warning(
            kind="suspend_permanently", deviation_reason="Ringleader", affected_email="a@b.example"
        )
        with self.captureOnCommitCallbacks(execute=True):
            sanction = self.act(request).sanctions.get()
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            approve_sanction(sanction=sanction, by=self.south_supervisor)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(
            StatementOfReasons.objects.get().content["sanction"], "suspend_permanently"
        )

    def test_it_gives_no_statement_for_a_referral_for_prosecution(self) -> None:
        sanction = self.act(self.removal(kind="prosecute")).sanctions.get()
        approve_sanction(sanction=sanction, by=self.south_supervisor)
        self.assertFalse(StatementOfReasons.objects.exists())
