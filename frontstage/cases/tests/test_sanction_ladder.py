"""The sanction ladder, row by row: what an analyst sees proposed for each subject."""

import itertools

from django.test import SimpleTestCase

from frontstage.cases.ladder import Proposal, fits, propose, strike_lifetime
from frontstage.cases.models import SanctionKind, Severity, SubjectKind

CATEGORIES = [
    "scam_fraud",
    "illegal_drugs",
    "illegal_weapons",
    "illegal_gambling",
    "sexual_services",
    "child_sexual_abuse",
    "defamation",
    "threats",
]


def account(category: str, severity: str, strikes: int) -> Proposal:
    return propose(
        category=category, severity=severity, active_strikes=strikes, subject_kind="account"
    )


def content(category: str, severity: str) -> Proposal:
    return propose(category=category, severity=severity, active_strikes=0, subject_kind="url")


class ContentRungs(SimpleTestCase):
    def test_it_restricts_low_content_and_removes_medium_and_high(self) -> None:
        self.assertEqual(content("scam_fraud", "low").kind, "restrict")
        self.assertEqual(content("scam_fraud", "medium").kind, "remove")
        self.assertEqual(content("scam_fraud", "high").kind, "remove")

    def test_it_disables_critical_content(self) -> None:
        self.assertEqual(content("illegal_drugs", "critical").kind, "disable")

    def test_it_labels_low_defamation_instead_of_restricting(self) -> None:
        self.assertEqual(content("defamation", "low").kind, "label")
        self.assertEqual(content("defamation", "medium").kind, "remove")

    def test_it_never_leaves_abuse_material_online(self) -> None:
        for severity in Severity.values:
            self.assertIn(content("child_sexual_abuse", severity).kind, {"remove", "disable"})

    def test_it_treats_a_domain_as_content_and_ignores_strikes(self) -> None:
        domain = propose(
            category="scam_fraud", severity="medium", active_strikes=5, subject_kind="domain"
        )
        self.assertEqual(domain, Proposal("remove", None, False))

    def test_it_proposes_no_measure_for_phones_and_wallets(self) -> None:
        for kind in ("phone", "wallet", "other"):
            proposal = propose(
                category="scam_fraud", severity="high", active_strikes=0, subject_kind=kind
            )
            self.assertIsNone(proposal.kind)


class AccountRungs(SimpleTestCase):
    def test_it_warns_a_first_offender_at_low_or_medium_severity(self) -> None:
        self.assertEqual(account("scam_fraud", "low", 0), Proposal("warn", None, False))
        self.assertEqual(account("scam_fraud", "medium", 0), Proposal("warn", None, False))

    def test_it_suspends_longer_as_strikes_grow(self) -> None:
        days = [account("scam_fraud", "medium", n).days for n in (1, 2)]
        self.assertEqual(days, [7, 30])
        self.assertEqual(account("scam_fraud", "high", 2), Proposal("suspend", 90, False))

    def test_it_suspends_permanently_at_three_strikes(self) -> None:
        for severity in Severity.values:
            self.assertEqual(account("defamation", severity, 3).kind, "suspend_permanently")
            self.assertIsNone(account("defamation", severity, 7).days)

    def test_it_suspends_permanently_at_critical_severity_for_the_worst_categories(self) -> None:
        for category in ("child_sexual_abuse", "threats", "illegal_weapons"):
            self.assertEqual(account(category, "critical", 0).kind, "suspend_permanently")
        self.assertEqual(account("scam_fraud", "critical", 0), Proposal("suspend", 30, False))


class ProsecutionAndStrikes(SimpleTestCase):
    def test_it_also_refers_abuse_and_threats_at_high_severity_for_prosecution(self) -> None:
        for category, severity in itertools.product(("child_sexual_abuse", "threats"), Severity):
            expected = severity in (Severity.HIGH, Severity.CRITICAL)
            self.assertEqual(content(category, severity).prosecute, expected)
            self.assertEqual(account(category, severity, 0).prosecute, expected)

    def test_it_refers_no_other_category_for_prosecution(self) -> None:
        for category in set(CATEGORIES) - {"child_sexual_abuse", "threats"}:
            self.assertFalse(content(category, "critical").prosecute)

    def test_it_proposes_a_fitting_sanction_for_every_combination(self) -> None:
        for category, severity, strikes, kind in itertools.product(
            CATEGORIES, Severity.values, range(5), ("url", "domain", "account")
        ):
            proposal = propose(
                category=category, severity=severity, active_strikes=strikes, subject_kind=kind
            )
            assert proposal.kind is not None
            self.assertTrue(fits(proposal.kind, kind), (category, severity, strikes, kind))
            self.assertEqual(proposal.days is not None, proposal.kind == "suspend")

    def test_it_lets_strikes_expire_but_gives_none_for_content_measures(self) -> None:
        self.assertEqual(strike_lifetime(SanctionKind.WARN).days, 180)  # type: ignore[union-attr]
        self.assertEqual(strike_lifetime(SanctionKind.SUSPEND).days, 365)  # type: ignore[union-attr]
        self.assertIsNotNone(strike_lifetime(SanctionKind.SUSPEND_PERMANENTLY))
        self.assertIsNone(strike_lifetime(SanctionKind.REMOVE))

    def test_it_fits_measures_to_their_subjects(self) -> None:
        self.assertFalse(fits("suspend", SubjectKind.URL))
        self.assertFalse(fits("remove", SubjectKind.ACCOUNT))
        self.assertTrue(fits("prosecute", SubjectKind.PHONE))
