"""The project's own validator of statements of reasons, rule by rule of
../shared/design/dsa-statement-of-reasons.md §3.2–3.5: each row changes a valid statement and
names the field that must (or must not) be reported."""

from typing import Any

from django.test import SimpleTestCase

from frontstage.publish.sor_validate import enums, normalise, validate

GOOD: dict[str, Any] = {
    "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
    "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
    "illegal_content_legal_ground": "Criminal Law art. 266 — Fraud",
    "illegal_content_explanation": "The page takes parcel fees for parcels that do not exist.",
    "content_type": ["CONTENT_TYPE_TEXT"],
    "category": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "content_date": "2026-03-01",
    "application_date": "2026-03-02",
    "decision_facts": "The page asks for a parcel fee.",
    "source_type": "SOURCE_ARTICLE_16",
    "automated_detection": "No",
    "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
    "puid": "south-S000001",
}
DELETE = object()
ILLEGAL_TEXTS = {"illegal_content_legal_ground", "illegal_content_explanation"}
INCOMPATIBLE = {
    "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    "illegal_content_legal_ground": DELETE,
    "illegal_content_explanation": DELETE,
    "incompatible_content_ground": "Terms §3",
    "incompatible_content_explanation": "Spam.",
}

# (what the row checks, changes to GOOD, the fields that must be reported: empty = valid)
ROWS: list[tuple[str, dict[str, Any], set[str]]] = [
    ("the good statement", {}, set()),
    ("an unknown field", {"decision_mandatory": "x"}, {"decision_mandatory"}),
    # 1. at least one decision family
    ("no decision at all", {"decision_visibility": DELETE}, {"decision_visibility"}),
    ("an empty visibility list", {"decision_visibility": []}, {"decision_visibility"}),
    (
        "only an account decision",
        {"decision_visibility": None, "decision_account": "DECISION_ACCOUNT_SUSPENDED"},
        set(),
    ),
    (
        "only a monetary decision",
        {"decision_visibility": DELETE, "decision_monetary": "DECISION_MONETARY_SUSPENSION"},
        set(),
    ),
    (
        "only a provision decision",
        {
            "decision_visibility": DELETE,
            "decision_provision": "DECISION_PROVISION_TOTAL_SUSPENSION",
        },
        set(),
    ),
    (
        "an unknown visibility",
        {"decision_visibility": ["DECISION_VISIBILITY_HIDDEN"]},
        {"decision_visibility"},
    ),
    (
        "visibility as a string",
        {"decision_visibility": "DECISION_VISIBILITY_CONTENT_REMOVED"},
        {"decision_visibility"},
    ),
    (
        "an unknown account decision",
        {"decision_account": "DECISION_ACCOUNT_BANNED"},
        {"decision_account"},
    ),
    (
        "an unknown provision decision",
        {"decision_provision": "DECISION_PROVISION_SOME"},
        {"decision_provision"},
    ),
    (
        "an unknown monetary decision",
        {"decision_monetary": "DECISION_MONETARY_FINE"},
        {"decision_monetary"},
    ),
    ("an account type", {"account_type": "ACCOUNT_TYPE_PRIVATE"}, set()),
    ("an unknown account type", {"account_type": "ACCOUNT_TYPE_PERSON"}, {"account_type"}),
    # 2. each *_other only with its OTHER value, and then required
    (
        "visibility other with its text",
        {
            "decision_visibility": ["DECISION_VISIBILITY_OTHER"],
            "decision_visibility_other": "warning",
        },
        set(),
    ),
    (
        "visibility other without text",
        {"decision_visibility": ["DECISION_VISIBILITY_OTHER"]},
        {"decision_visibility_other"},
    ),
    (
        "visibility other text too long",
        {
            "decision_visibility": ["DECISION_VISIBILITY_OTHER"],
            "decision_visibility_other": "x" * 501,
        },
        {"decision_visibility_other"},
    ),
    (
        "visibility other text without OTHER",
        {"decision_visibility_other": "warning"},
        {"decision_visibility_other"},
    ),
    (
        "monetary other with its text",
        {"decision_monetary": "DECISION_MONETARY_OTHER", "decision_monetary_other": "fee"},
        set(),
    ),
    (
        "monetary other without text",
        {"decision_monetary": "DECISION_MONETARY_OTHER"},
        {"decision_monetary_other"},
    ),
    (
        "monetary other text without OTHER",
        {"decision_monetary_other": "fee"},
        {"decision_monetary_other"},
    ),
    (
        "content type other with its text",
        {"content_type": ["CONTENT_TYPE_OTHER"], "content_type_other": "account"},
        set(),
    ),
    (
        "content type other without text",
        {"content_type": ["CONTENT_TYPE_OTHER"]},
        {"content_type_other"},
    ),
    (
        "content type other text without OTHER",
        {"content_type_other": "account"},
        {"content_type_other"},
    ),
    (
        "keyword other with its text",
        {
            "category_specification": ["KEYWORD_OTHER"],
            "category_specification_other": "illegal gambling",
        },
        set(),
    ),
    (
        "keyword other text without OTHER",
        {"category_specification_other": "illegal gambling"},
        {"category_specification_other"},
    ),
    (
        "keyword other text too long",
        {"category_specification": ["KEYWORD_OTHER"], "category_specification_other": "x" * 501},
        {"category_specification_other"},
    ),
    # 3. exactly one ground branch
    # Without the illegal ground, its two texts are sent where they do not belong.
    ("no ground", {"decision_ground": DELETE}, {"decision_ground", *ILLEGAL_TEXTS}),
    (
        "an unknown ground",
        {"decision_ground": "DECISION_GROUND_BAD"},
        {"decision_ground", *ILLEGAL_TEXTS},
    ),
    (
        "illegal without its legal ground",
        {"illegal_content_legal_ground": DELETE},
        {"illegal_content_legal_ground"},
    ),
    (
        "illegal without its explanation",
        {"illegal_content_explanation": ""},
        {"illegal_content_explanation"},
    ),
    (
        "a legal ground of 501 characters",
        {"illegal_content_legal_ground": "x" * 501},
        {"illegal_content_legal_ground"},
    ),
    ("a legal ground of 500 characters", {"illegal_content_legal_ground": "x" * 500}, set()),
    (
        "an explanation of 2001 characters",
        {"illegal_content_explanation": "x" * 2001},
        {"illegal_content_explanation"},
    ),
    (
        "illegal with incompatible fields too",
        {"incompatible_content_ground": "Terms §3"},
        {"incompatible_content_ground"},
    ),
    (
        "illegal with incompatible_content_illegal",
        {"incompatible_content_illegal": "Yes"},
        {"incompatible_content_illegal"},
    ),
    ("the incompatible branch", INCOMPATIBLE, set()),
    (
        "incompatible and also illegal",
        {**INCOMPATIBLE, "incompatible_content_illegal": "Yes"},
        set(),
    ),
    (
        "incompatible_content_illegal not Yes/No",
        {**INCOMPATIBLE, "incompatible_content_illegal": "yes"},
        {"incompatible_content_illegal"},
    ),
    (
        "incompatible without its ground",
        {**INCOMPATIBLE, "incompatible_content_ground": DELETE},
        {"incompatible_content_ground"},
    ),
    (
        "incompatible explanation too long",
        {**INCOMPATIBLE, "incompatible_content_explanation": "x" * 2001},
        {"incompatible_content_explanation"},
    ),
    (
        "incompatible with the legal ground too",
        {**INCOMPATIBLE, "illegal_content_legal_ground": "x"},
        {"illegal_content_legal_ground"},
    ),
    ("a reference URL", {"decision_ground_reference_url": "https://law.example/266"}, set()),
    (
        "a reference that is no URL",
        {"decision_ground_reference_url": "art. 266"},
        {"decision_ground_reference_url"},
    ),
    (
        "a reference URL too long",
        {"decision_ground_reference_url": "https://law.example/" + "x" * 490},
        {"decision_ground_reference_url"},
    ),
    # content and category
    ("no content type", {"content_type": DELETE}, {"content_type"}),
    ("an empty content type", {"content_type": []}, {"content_type"}),
    ("an unknown content type", {"content_type": ["CONTENT_TYPE_WEBSITE"]}, {"content_type"}),
    ("no category", {"category": DELETE}, {"category"}),
    (
        "a category of 2023",
        {"category": "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT"},
        {"category"},
    ),
    ("a category label instead of its key", {"category": "Scams and/or fraud"}, {"category"}),
    (
        "additional categories",
        {"category_addition": ["STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"]},
        set(),
    ),
    (
        "an unknown additional category",
        {"category_addition": ["STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"]},
        {"category_addition"},
    ),
    (
        "keywords",
        {"category_specification": ["KEYWORD_PHISHING", "KEYWORD_PYRAMID_SCHEMES"]},
        set(),
    ),
    (
        "the keyword that is defined but not accepted",
        {"category_specification": ["KEYWORD_DANGEROUS_TOYS"]},
        {"category_specification"},
    ),
    ("null keywords", {"category_specification": None}, set()),
    # territory and language
    ("an EEA territory", {"territorial_scope": ["DE", "FR"]}, set()),
    ("no territory (optional in the validator)", {"territorial_scope": None}, set()),
    ("a territory outside the EEA", {"territorial_scope": ["CN"]}, {"territorial_scope"}),
    ("a language", {"content_language": "ZH"}, set()),
    ("a lowercase language", {"content_language": "zh"}, {"content_language"}),
    ("a language tag", {"content_language": "ZH-HANS"}, {"content_language"}),
    # dates
    ("no content date", {"content_date": DELETE}, {"content_date"}),
    ("a content date in 1999", {"content_date": "1999-12-31"}, {"content_date"}),
    ("a content date on the first day", {"content_date": "2000-01-01"}, set()),
    ("a content date after 2038", {"content_date": "2038-01-02"}, {"content_date"}),
    ("a content date with a time", {"content_date": "2026-03-01 10:00"}, {"content_date"}),
    ("a content date unpadded", {"content_date": "2026-3-1"}, {"content_date"}),
    ("a content date that does not exist", {"content_date": "2026-02-30"}, {"content_date"}),
    ("no application date", {"application_date": DELETE}, {"application_date"}),
    ("an application date in 2019", {"application_date": "2019-12-31"}, {"application_date"}),
    ("an application date on its last day", {"application_date": "2038-01-01"}, set()),
    ("an end date", {"end_date_visibility_restriction": "2026-04-01"}, set()),
    (
        "an end date before the application date (not checked)",
        {"end_date_account_restriction": "2025-01-01"},
        set(),
    ),
    (
        "an end date after 2038",
        {"end_date_account_restriction": "2038-01-02"},
        {"end_date_account_restriction"},
    ),
    (
        "an end date badly written",
        {"end_date_service_restriction": "01/04/2026"},
        {"end_date_service_restriction"},
    ),
    ("a blank end date (indefinite)", {"end_date_monetary_restriction": None}, set()),
    # facts, source, automation
    ("no facts", {"decision_facts": ""}, {"decision_facts"}),
    ("facts of 5001 characters", {"decision_facts": "x" * 5001}, {"decision_facts"}),
    ("facts of 5000 characters", {"decision_facts": "x" * 5000}, set()),
    ("no source type", {"source_type": DELETE}, {"source_type"}),
    ("an unknown source type", {"source_type": "SOURCE_TRUSTED"}, {"source_type"}),
    (
        "a trusted flagger named",
        {"source_type": "SOURCE_TRUSTED_FLAGGER", "source_identity": "Anti-Fraud Alliance"},
        set(),
    ),
    ("a source identity too long", {"source_identity": "x" * 501}, {"source_identity"}),
    (
        "own initiative with a source identity",
        {"source_type": "SOURCE_VOLUNTARY", "source_identity": "patrol"},
        {"source_identity"},
    ),
    ("own initiative without one", {"source_type": "SOURCE_VOLUNTARY"}, set()),
    ("no automated detection", {"automated_detection": DELETE}, {"automated_detection"}),
    ("automated detection as a boolean", {"automated_detection": True}, {"automated_detection"}),
    ("automated detection lowercase", {"automated_detection": "no"}, {"automated_detection"}),
    ("automated decision as Yes/No", {"automated_decision": "No"}, {"automated_decision"}),
    (
        "a partially automated decision",
        {"automated_decision": "AUTOMATED_DECISION_PARTIALLY"},
        set(),
    ),
    # puid
    ("no puid", {"puid": DELETE}, {"puid"}),
    ("a puid with a dot", {"puid": "south.S1"}, {"puid"}),
    ("a puid with a space", {"puid": "south S1"}, {"puid"}),
    ("a puid with a newline at its end", {"puid": "south-S1\n"}, {"puid"}),
    ("a puid of 501 characters", {"puid": "x" * 501}, {"puid"}),
    ("a puid of underscores and dashes", {"puid": "a_b-C9"}, set()),
    # content_id
    ("an EAN-13", {"content_id": {"EAN-13": "4006381333931"}}, set()),
    ("an EAN-12", {"content_id": {"EAN-13": "400638133393"}}, {"content_id.EAN-13"}),
    ("another identifier", {"content_id": {"ISBN": "4006381333931"}}, {"content_id"}),
    ("content_id not an object", {"content_id": "4006381333931"}, {"content_id"}),
]


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    statement = dict(GOOD)
    for field, value in changes.items():
        if value is DELETE:
            statement.pop(field, None)
        else:
            statement[field] = value
    return statement


class Validating(SimpleTestCase):
    def test_it_reports_exactly_the_fields_that_break_a_rule(self) -> None:
        for label, changes, fields in ROWS:
            with self.subTest(label):
                problems = validate(changed(changes))
                self.assertEqual({field for field, _ in problems}, fields, problems)

    def test_it_says_why_in_words(self) -> None:
        problems = dict(validate(changed({"puid": "a.b", "decision_facts": "x" * 5001})))
        self.assertIn("letters", problems["puid"])
        self.assertIn("5001", problems["decision_facts"])
        self.assertIn("at most 5000", problems["decision_facts"])

    def test_it_knows_every_enum_of_the_schema(self) -> None:
        known = enums()
        self.assertEqual(len(known["STATEMENT_CATEGORIES"]), 16)
        self.assertEqual(len(known["KEYWORDS"]), 69)
        self.assertEqual(len(known["CONTENT_LANGUAGES"]), 184)
        self.assertEqual(len(known["EEA_COUNTRIES"]), 30)
        self.assertNotIn("KEYWORD_DANGEROUS_TOYS", known["KEYWORDS"])


class Normalising(SimpleTestCase):
    def test_it_dedupes_and_sorts_content_types_and_keywords(self) -> None:
        statement = normalise(
            changed(
                {
                    "content_type": [
                        "CONTENT_TYPE_TEXT",
                        "CONTENT_TYPE_IMAGE",
                        "CONTENT_TYPE_TEXT",
                    ],
                    "category_specification": [
                        "KEYWORD_PHISHING",
                        "KEYWORD_DEFAMATION",
                        "KEYWORD_PHISHING",
                    ],
                }
            )
        )
        self.assertEqual(statement["content_type"], ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"])
        self.assertEqual(
            statement["category_specification"], ["KEYWORD_DEFAMATION", "KEYWORD_PHISHING"]
        )

    def test_it_strips_the_main_category_from_the_additional_ones(self) -> None:
        statement = normalise(
            changed(
                {
                    "category_addition": [
                        "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
                        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
                    ]
                }
            )
        )
        self.assertEqual(
            statement["category_addition"], ["STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"]
        )

    def test_it_keeps_only_eea_countries_in_the_territory_and_null_when_none_is_left(self) -> None:
        self.assertEqual(
            normalise(changed({"territorial_scope": ["FR", "CN", "DE", "FR"]}))[
                "territorial_scope"
            ],
            ["DE", "FR"],
        )
        self.assertIsNone(normalise(changed({"territorial_scope": ["CN"]}))["territorial_scope"])

    def test_a_normalised_statement_passes_where_the_raw_one_fails(self) -> None:
        raw = changed({"territorial_scope": ["CN", "DE"]})
        self.assertEqual([f for f, _ in validate(raw)], ["territorial_scope"])
        self.assertEqual(validate(normalise(raw)), [])
