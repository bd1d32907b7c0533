"""The score is pure: these tests need no database."""

from unittest import TestCase

from frontstage.cases.priority import Factor, Inputs, band, score


def factor_codes(inputs: Inputs) -> list[str]:
    return [code for code, _, _ in score(inputs).factors]


class Scoring(TestCase):
    def test_it_scores_a_single_public_scam_report_as_medium(self) -> None:
        result = score(Inputs(category="scam_fraud", reports=1, sources=frozenset({"public"})))
        self.assertEqual((result.severity, result.priority), ("medium", 40))
        self.assertEqual(result.factors, ((Factor.CATEGORY, 40, "scam_fraud"),))

    def test_it_makes_threats_and_child_abuse_critical_for_their_vulnerable_victims(self) -> None:
        for code in ("threats", "child_sexual_abuse"):
            with self.subTest(code=code):
                result = score(Inputs(category=code, reports=1, sources=frozenset({"public"})))
                self.assertEqual(result.severity, "critical")
                self.assertIn(Factor.VULNERABLE, factor_codes(Inputs(category=code)))

    def test_it_raises_priority_but_not_severity_for_trusted_sources(self) -> None:
        flagged = score(
            Inputs(category="scam_fraud", reports=1, sources=frozenset({"trusted_flagger"}))
        )
        ordered = score(
            Inputs(category="scam_fraud", reports=1, sources=frozenset({"authority_order"}))
        )
        self.assertEqual((flagged.severity, flagged.priority), ("medium", 70))
        self.assertEqual((ordered.severity, ordered.priority), ("medium", 80))

    def test_it_counts_only_the_strongest_trusted_source(self) -> None:
        both = frozenset({"trusted_flagger", "authority_order"})
        codes = factor_codes(Inputs(category="scam_fraud", reports=2, sources=both))
        self.assertIn(Factor.AUTHORITY, codes)
        self.assertNotIn(Factor.TRUSTED, codes)

    def test_it_weighs_more_reports_and_sources_up_to_a_cap(self) -> None:
        few = score(Inputs(category="scam_fraud", reports=3, sources=frozenset({"public"})))
        many = score(Inputs(category="scam_fraud", reports=300, sources=frozenset({"public"})))
        mixed = score(
            Inputs(category="scam_fraud", reports=2, sources=frozenset({"public", "patrol"}))
        )
        self.assertEqual(few.priority, 44)
        self.assertEqual(many.priority, 50)
        self.assertEqual(mixed.priority, 47)

    def test_it_makes_a_repeat_offender_more_severe(self) -> None:
        first = score(Inputs(category="scam_fraud", reports=1))
        repeat = score(Inputs(category="scam_fraud", reports=1, active_strikes=3))
        self.assertEqual((first.severity, repeat.severity), ("medium", "high"))
        self.assertIn((Factor.REPEAT, 15, "3"), repeat.factors)

    def test_it_uses_reach_only_when_known(self) -> None:
        self.assertNotIn(Factor.REACH, factor_codes(Inputs(category="scam_fraud", reach=None)))
        viral = score(Inputs(category="scam_fraud", reach=2_000_000))
        self.assertIn((Factor.REACH, 15, "2000000"), viral.factors)

    def test_it_lets_a_person_set_the_severity_and_explains_the_difference(self) -> None:
        raised = score(Inputs(category="scam_fraud", reports=1, set_severity="high"))
        lowered = score(Inputs(category="threats", reports=1, set_severity="low"))
        self.assertEqual((raised.severity, raised.priority), ("high", 55))
        self.assertIn((Factor.SET_BY_STAFF, 15, "high"), raised.factors)
        self.assertEqual(lowered.severity, "low")
        self.assertEqual(lowered.priority, sum(points for _, points, _ in lowered.factors))

    def test_it_scores_a_case_without_category_as_unknown(self) -> None:
        self.assertEqual(score(Inputs(category=None)).factors[0], (Factor.CATEGORY, 35, ""))

    def test_it_keeps_priority_between_0_and_100(self) -> None:
        worst = Inputs(
            category="child_sexual_abuse",
            reports=50,
            sources=frozenset({"public", "patrol", "authority_order"}),
            reach=5_000_000,
            active_strikes=9,
        )
        self.assertEqual(score(worst).priority, 100)

    def test_it_stores_factors_as_plain_json(self) -> None:
        stored = score(Inputs(category="scam_fraud")).factors_json()
        self.assertEqual(stored, [{"factor": "category", "points": 40, "detail": "scam_fraud"}])

    def test_it_bands_harm_into_severities(self) -> None:
        self.assertEqual(
            [band(n) for n in (0, 34, 35, 55, 75, 100)],
            ["low", "low", "medium", "high", "critical", "critical"],
        )
