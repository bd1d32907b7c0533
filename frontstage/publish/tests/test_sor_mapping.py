"""Mapping a frozen statement of reasons to the DSA Transparency Database's schema: each
sanction kind, the ground, the content type, the source, the territory; every mapped statement
passes the validator."""

import subprocess
import sys
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from django.test import SimpleTestCase

from frontstage.cases.statement import statement_content
from frontstage.publish.sor import NotExportable, tdb_statement
from frontstage.publish.sor_validate import validate

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
GROUND = SimpleNamespace(
    reference="Criminal Law art. 266",
    title_en="Fraud",
    title_zh="诈骗罪",
    elements_en="Obtaining property by deception.",
    elements_zh="以欺骗手段取得财物。",
    url="https://law.example/criminal-law#266",
)
SCAM = SimpleNamespace(
    code="scam_fraud",
    name_en="Scams and fraud",
    name_zh="诈骗",
    dsa_category="STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
)


def content(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "puid": "south-S000001",
        "unit": SimpleNamespace(
            slug="south", name_en="South", name_zh="南方", region_codes=["CN-GD", "CN-GX"]
        ),
        "case_reference": "C-000001",
        "sanction_kind": "remove",
        "days": None,
        "starts_at": AT,
        "ends_at": None,
        "subject_kind": "url",
        "subject_key": "https://parcel-fee.example/pay",
        "category": SCAM,
        "facts": "The page asks for a parcel fee.",
        "explanation": "Taking fees for parcels that do not exist is fraud.",
        "legal_ground": GROUND,
        "report_sources": ["public"],
        "automated_detection": False,
        "decided_at": AT,
    }
    values.update(changes)
    return statement_content(**values)


def mapped(clean: Any = str, **changes: Any) -> dict[str, Any]:
    keywords = changes.pop("keywords", ["KEYWORD_PHISHING"])
    extra = {k: changes.pop(k) for k in ("content_date", "organisations") if k in changes}
    return tdb_statement(content(**changes), clean=clean, keywords=keywords, **extra)


class SanctionKinds(SimpleTestCase):
    def test_it_maps_each_content_measure_to_its_visibility_decision(self) -> None:
        for kind, decision in [
            ("remove", "DECISION_VISIBILITY_CONTENT_REMOVED"),
            ("disable", "DECISION_VISIBILITY_CONTENT_DISABLED"),
            ("restrict", "DECISION_VISIBILITY_CONTENT_DEMOTED"),
            ("label", "DECISION_VISIBILITY_CONTENT_LABELLED"),
        ]:
            with self.subTest(kind):
                statement = mapped(sanction_kind=kind)
                self.assertEqual(statement["decision_visibility"], [decision])
                self.assertNotIn("decision_account", statement)
                self.assertEqual(validate(statement), [])

    def test_it_sends_a_warning_as_another_restriction_said_in_words(self) -> None:
        statement = mapped(sanction_kind="warn", subject_kind="account", subject_key="weibo:x")
        self.assertEqual(statement["decision_visibility"], ["DECISION_VISIBILITY_OTHER"])
        self.assertIn("Warning", statement["decision_visibility_other"])
        self.assertEqual(validate(statement), [])

    def test_it_sends_a_suspension_with_its_end_date(self) -> None:
        statement = mapped(
            sanction_kind="suspend",
            days=30,
            ends_at=datetime(2026, 3, 31, 9, 30, tzinfo=UTC),
            subject_kind="account",
            subject_key="weibo:x",
        )
        self.assertEqual(statement["decision_account"], "DECISION_ACCOUNT_SUSPENDED")
        self.assertEqual(statement["end_date_account_restriction"], "2026-03-31")
        self.assertNotIn("decision_visibility", statement)
        self.assertEqual(validate(statement), [])

    def test_it_sends_a_permanent_suspension_as_a_termination_without_end(self) -> None:
        statement = mapped(sanction_kind="suspend_permanently", subject_kind="account")
        self.assertEqual(statement["decision_account"], "DECISION_ACCOUNT_TERMINATED")
        self.assertNotIn("end_date_account_restriction", statement)
        self.assertEqual(validate(statement), [])

    def test_it_gives_a_timed_content_measure_its_end_date(self) -> None:
        statement = mapped(sanction_kind="restrict", ends_at=datetime(2026, 4, 1, tzinfo=UTC))
        self.assertEqual(statement["end_date_visibility_restriction"], "2026-04-01")

    def test_it_refuses_a_prosecution_referral_with_a_reason(self) -> None:
        with self.assertRaisesMessage(NotExportable, "prosecute"):
            mapped(sanction_kind="prosecute")


class Fields(SimpleTestCase):
    def test_it_writes_keys_never_labels(self) -> None:
        statement = mapped()
        self.assertEqual(statement["category"], "STATEMENT_CATEGORY_SCAMS_AND_FRAUD")
        self.assertEqual(statement["source_type"], "SOURCE_ARTICLE_16")
        self.assertEqual(statement["automated_detection"], "No")
        self.assertEqual(statement["automated_decision"], "AUTOMATED_DECISION_NOT_AUTOMATED")
        self.assertEqual(statement["puid"], "south-S000001")

    def test_it_rests_on_the_legal_ground_with_the_explanation(self) -> None:
        statement = mapped()
        self.assertEqual(statement["decision_ground"], "DECISION_GROUND_ILLEGAL_CONTENT")
        self.assertEqual(statement["illegal_content_legal_ground"], "Criminal Law art. 266 — Fraud")
        self.assertIn("parcels that do not exist", statement["illegal_content_explanation"])
        self.assertEqual(statement["decision_ground_reference_url"], GROUND.url)
        self.assertNotIn("incompatible_content_ground", statement)

    def test_it_explains_with_the_grounds_elements_when_the_decision_gave_none(self) -> None:
        statement = mapped(explanation="")
        self.assertEqual(statement["illegal_content_explanation"], GROUND.elements_en)

    def test_it_takes_the_content_type_from_the_subject(self) -> None:
        self.assertEqual(mapped()["content_type"], ["CONTENT_TYPE_TEXT"])
        for kind, words in [
            ("account", "account"),
            ("phone", "phone number"),
            ("wallet", "payment wallet"),
        ]:
            with self.subTest(kind):
                statement = mapped(subject_kind=kind)
                self.assertEqual(statement["content_type"], ["CONTENT_TYPE_OTHER"])
                self.assertEqual(statement["content_type_other"], words)
                self.assertEqual(validate(statement), [])

    def test_it_names_a_category_the_schema_has_no_keyword_for(self) -> None:
        gambling = SimpleNamespace(
            code="illegal_gambling",
            name_en="Illegal gambling",
            name_zh="非法赌博",
            dsa_category="STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        )
        statement = mapped(category=gambling, keywords=["KEYWORD_OTHER"])
        self.assertEqual(statement["category_specification"], ["KEYWORD_OTHER"])
        self.assertEqual(statement["category_specification_other"], "Illegal gambling")
        self.assertEqual(validate(statement), [])
        self.assertNotIn("category_specification", mapped(keywords=[]))

    def test_it_picks_the_strongest_notice_as_the_source(self) -> None:
        organisations = {"trusted_flagger": "Anti-Fraud Alliance", "authority_order": "Bureau"}
        for sources, expected, identity in [
            (["public", "trusted_flagger"], "SOURCE_TRUSTED_FLAGGER", "Anti-Fraud Alliance"),
            (["public", "authority_order"], "SOURCE_ARTICLE_16", None),
            (["authority_order", "patrol"], "SOURCE_TYPE_OTHER_NOTIFICATION", "Bureau"),
            (["patrol"], "SOURCE_VOLUNTARY", None),
            ([], "SOURCE_VOLUNTARY", None),
        ]:
            with self.subTest(sources):
                statement = mapped(report_sources=sources, organisations=organisations)
                self.assertEqual(statement["source_type"], expected)
                self.assertEqual(statement.get("source_identity"), identity)
                self.assertEqual(validate(statement), [])

    def test_it_marks_automated_detection_when_patrol_found_the_content(self) -> None:
        self.assertEqual(mapped(report_sources=["patrol"])["automated_detection"], "Yes")

    def test_it_leaves_out_a_territory_outside_the_eea(self) -> None:
        # Our units' regions are Chinese: nothing is left of them in the EEA list.
        self.assertNotIn("territorial_scope", mapped())

    def test_it_dates_the_content_by_its_first_report_and_the_decision_by_its_start(self) -> None:
        statement = mapped(
            content_date=date(2026, 2, 20), starts_at=datetime(2026, 3, 2, tzinfo=UTC)
        )
        self.assertEqual(statement["content_date"], "2026-02-20")
        self.assertEqual(statement["application_date"], "2026-03-02")
        self.assertEqual(mapped()["content_date"], "2026-03-01")  # no report: the decision's day

    def test_it_passes_facts_and_explanation_through_the_cleaner(self) -> None:
        seen: list[str] = []

        def clean(text: str) -> str:
            seen.append(text)
            return "[cleaned]"

        statement = mapped(clean=clean)
        self.assertEqual(statement["decision_facts"], "[cleaned]")
        self.assertEqual(statement["illegal_content_explanation"], "[cleaned]")
        self.assertIn("The page asks for a parcel fee.", seen)

    def test_it_shortens_facts_to_what_the_schema_accepts(self) -> None:
        statement = mapped(facts="x" * 6000)
        self.assertEqual(len(statement["decision_facts"]), 5000)
        self.assertEqual(validate(statement), [])


class Purity(SimpleTestCase):
    def test_the_mapping_and_the_validator_import_nothing_from_django(self) -> None:
        code = (
            "import sys, frontstage.publish.sor, frontstage.publish.sor_validate;"
            "sys.exit('django' in sys.modules)"
        )
        # Our own interpreter and a fixed script: nothing untrusted runs.
        run = subprocess.run([sys.executable, "-c", code], check=False)  # noqa: S603
        self.assertEqual(run.returncode, 0)
