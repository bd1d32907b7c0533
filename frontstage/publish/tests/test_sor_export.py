"""`frontstage sor export`: one valid statement per line, in the DSA database's schema, with no
personal data; the invalid ones listed with their reasons, not written."""

import json
import tempfile
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from frontstage.cases.actions.decisions import issue_statement
from frontstage.cases.models import (
    Category,
    Sanction,
    SanctionStatus,
    StatementOfReasons,
    Subject,
)
from frontstage.cases.tests.test_decisions import FACTS, DecisionSetup
from frontstage.intake.models import ApiClient, ClientKind, Report, ReportSource
from frontstage.publish.sor_validate import validate

PHONE = "138 0013 8000"
EMAIL = "zhang.wei@example.cn"


class SorSetup(DecisionSetup):
    """The south scam case decided with a removal (one statement), and `more(...)` sanctions on
    further accounts of the same decision, each with its statement, issued the way casework
    issues them."""

    def setUp(self) -> None:
        super().setUp()
        self.decision = self.act(self.removal())
        self.first = StatementOfReasons.objects.get()

    def more(self, *kinds: str) -> list[StatementOfReasons]:
        issued = []
        for kind in kinds:
            number = Subject.objects.count()
            subject = Subject.objects.create(kind="account", key=f"weibo:parcelscam{number}")
            self.case.subjects.add(subject)
            now = timezone.now()
            days = 30 if kind == "suspend" else None
            with transaction.atomic():
                sanction = Sanction.objects.create(
                    decision=self.decision,
                    case=self.case,
                    subject=subject,
                    kind=kind,
                    days=days,
                    proposed_kind=kind,
                    status=SanctionStatus.IN_EFFECT,
                    proposed_by=self.analyst,
                    proposed_at=now,
                    starts_at=now,
                    ends_at=now + timedelta(days=days) if days else None,
                )
                issued.append(issue_statement(sanction=sanction, by=self.analyst))
        return issued

    def report(self, **fields: Any) -> Report:
        values: dict[str, Any] = {
            "source": ReportSource.PUBLIC,
            "case": self.case,
            "explanation": "A parcel-fee message.",
            "received_at": self.case.opened_at,
        }
        values.update(fields)
        return Report.objects.create(**values)

    def export(self, *args: str) -> tuple[list[dict[str, Any]], str, str, bool]:
        """Run the export; returns (lines, stdout, stderr, whether it failed)."""
        out, err = StringIO(), StringIO()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "statements.jsonl"
            failed = False
            try:
                call_command("sor", "export", "--output", str(path), *args, stdout=out, stderr=err)
            except CommandError:
                failed = True
            text = path.read_text(encoding="utf-8")
        lines = [json.loads(line) for line in text.splitlines()]
        return lines, out.getvalue(), err.getvalue(), failed


class Exporting(SorSetup):
    def test_it_writes_one_valid_statement_per_line(self) -> None:
        self.more("warn", "suspend", "suspend_permanently")
        lines, out, err, failed = self.export()
        self.assertFalse(failed, err)
        self.assertEqual(len(lines), 4)
        for line in lines:
            self.assertEqual(validate(line), [])
        self.assertEqual(
            {line["puid"] for line in lines},
            set(StatementOfReasons.objects.values_list("puid", flat=True)),
        )
        self.assertIn("4 statements written", out)
        self.assertIn("0 left out", out)

    def test_it_fills_in_what_the_case_knows(self) -> None:
        self.report(seen_on=date(2026, 2, 20))
        scam = Category.objects.get(code="scam_fraud")
        lines, *_ = self.export()
        line = lines[0]
        starts_at = self.first.sanction.starts_at
        assert starts_at is not None
        self.assertEqual(line["decision_visibility"], ["DECISION_VISIBILITY_CONTENT_REMOVED"])
        self.assertEqual(line["category"], "STATEMENT_CATEGORY_SCAMS_AND_FRAUD")
        self.assertEqual(line["category_specification"], sorted(scam.dsa_keywords))
        self.assertEqual(
            line["illegal_content_legal_ground"].split(" — ")[0], self.ground.reference
        )
        self.assertEqual(line["content_date"], "2026-02-20")
        self.assertEqual(line["application_date"], starts_at.date().isoformat())

    def test_it_names_the_trusted_flagger_organisation_but_never_a_public_reporter(self) -> None:
        flagger = ApiClient.objects.create(
            name="Anti-Fraud Alliance",
            kind=ClientKind.TRUSTED_FLAGGER,
            unit=self.south,
            token_digest="x" * 64,
            token_hint="x",
        )
        Report.objects.create(
            source=ReportSource.TRUSTED_FLAGGER,
            case=self.case,
            client=flagger,
            explanation="notice",
            received_at=self.case.opened_at,
        )
        self.more("warn")
        lines, *_ = self.export()
        self.assertEqual(lines[-1]["source_type"], "SOURCE_TRUSTED_FLAGGER")
        self.assertEqual(lines[-1]["source_identity"], "Anti-Fraud Alliance")
        self.assertNotIn("source_identity", lines[0])  # issued before the flagger's notice

    def test_it_removes_personal_data_from_facts_and_explanation(self) -> None:
        self.report(reporter_name="Zhang Wei", reporter_email=EMAIL)
        content = dict(self.first.content)
        content["facts"] = (
            f"{FACTS} Reported by Zhang Wei ({EMAIL}, {PHONE}); pays to weibo:parcelscam."
        )
        content["explanation"] = f"Call {PHONE} to collect; see @parcelscam."
        StatementOfReasons.objects.filter(pk=self.first.pk).update(content=content)
        lines, *_ = self.export()
        text = json.dumps(lines, ensure_ascii=False)
        for personal in ("Zhang Wei", EMAIL, PHONE, "parcelscam", "south.example/scam"):
            self.assertNotIn(personal, text)
        self.assertIn("parcel fee", lines[0]["decision_facts"])

    def test_it_leaves_no_fake_personal_data_in_any_line(self) -> None:
        fake = Faker("zh_CN")
        Faker.seed(6)
        planted: list[str] = []
        for statement in [self.first, *self.more("warn", "suspend", "restrict", "label")]:
            name, email = fake.name(), fake.email()
            phone, card, ric = fake.phone_number(), fake.credit_card_number(), fake.ssn()
            self.report(reporter_name=name, reporter_email=email)
            planted += [name, email, phone, card, ric]
            content = dict(statement.content)
            content["facts"] = f"{FACTS} 举报人{name}，电话{phone}，邮箱{email}。"
            content["explanation"] = f"收款银行卡 {card}，身份证号 {ric}。"
            StatementOfReasons.objects.filter(pk=statement.pk).update(content=content)
        lines, _out, err, failed = self.export()
        self.assertFalse(failed, err)
        text = json.dumps(lines, ensure_ascii=False)
        self.assertEqual([p for p in planted if p in text], [])

    def test_it_lists_invalid_statements_with_reasons_and_leaves_them_out(self) -> None:
        Category.objects.filter(code="scam_fraud").update(dsa_keywords=["KEYWORD_DANGEROUS_TOYS"])
        self.more("warn")
        lines, out, err, failed = self.export()
        self.assertTrue(failed)
        self.assertEqual(lines, [])
        self.assertIn(f"{self.first.puid} category_specification:", err)
        self.assertIn("KEYWORD_DANGEROUS_TOYS", err)
        self.assertIn("0 statements written", out)
        self.assertIn("2 left out", out)

    def test_it_exports_only_statements_issued_since_a_date(self) -> None:
        StatementOfReasons.objects.filter(pk=self.first.pk).update(
            issued_at=timezone.now() - timedelta(days=40)
        )
        self.more("warn")
        since = (timezone.now() - timedelta(days=1)).date().isoformat()
        lines, *_ = self.export("--since", since)
        self.assertEqual(
            [line["puid"] for line in lines], [StatementOfReasons.objects.latest("id").puid]
        )

    def test_it_refuses_a_date_it_cannot_read(self) -> None:
        with self.assertRaises(CommandError):
            call_command("sor", "export", "--output", "x.jsonl", "--since", "1 March")
