from django.test import SimpleTestCase

from frontstage.patrol.engine import SHIPPED_RULES, EvidenceKind, Post, load_pack, shipped_pack
from frontstage.patrol.engine.keywords import KeywordAutomaton, KeywordSet
from frontstage.patrol.tests.helpers import pack_of


def keyword_evidence(text: str, rule: str) -> list[tuple[str | None, str]]:
    """(original text, keyword) of the keyword evidence of `rule` on `text`."""
    hits = [h for h in shipped_pack().evaluate(Post(id="t", text=text)) if h.rule == rule]
    return [(e.text, e.matched) for h in hits for e in h.evidence if e.kind is EvidenceKind.KEYWORD]


class KeywordMatching(SimpleTestCase):
    def test_it_finds_english_keywords_and_reports_the_original_span(self):
        text = "Hot offer: a GH0ST G U N and an 80% P A R T S kit"
        hits = shipped_pack().evaluate(Post(id="t", text=text))
        evidence = [e for h in hits for e in h.evidence]
        found = {e.matched: e for e in evidence}
        self.assertEqual(found["ghost gun"].text, "GH0ST G U N")
        span = found["ghost gun"].span
        assert span is not None
        self.assertEqual(text[span[0] : span[1]], "GH0ST G U N")
        self.assertEqual(found["80% parts kit"].text, "80% P A R T S kit")

    def test_it_finds_chinese_keywords_with_spans_in_traditional_and_split_text(self):
        found = keyword_evidence("急招！刷 單返利，日結", "scam.task-rebate.zh")
        self.assertIn(("刷 單返利", "刷单返利"), found)
        self.assertIn(("日結", "日结"), found)

    def test_it_matches_latin_keywords_as_whole_words_only(self):
        automaton = KeywordAutomaton({"drugs": KeywordSet("drugs", ["ice", "meth"])})
        self.assertEqual(automaton.find("nice price, methods"), {})
        self.assertEqual(
            [m.keyword for m in automaton.find("ice, meth!")["drugs"]], ["ice", "meth"]
        )

    def test_it_matches_chinese_keywords_inside_running_text(self):
        automaton = KeywordAutomaton({"contact": KeywordSet("contact", ["vx", "薇信"])})
        found = automaton.find("加vx好友或薇信详聊")["contact"]
        self.assertEqual([m.keyword for m in found], ["vx", "薇信"])

    def test_it_drops_a_keyword_inside_a_longer_harmless_phrase(self):
        ice = KeywordSet("slang", ["冰", "ice"], not_within=["冰箱", "ice cream"])
        automaton = KeywordAutomaton({"slang": ice})
        self.assertEqual(automaton.find("冰箱 ice cream"), {})
        self.assertEqual(len(automaton.find("出冰 ice")["slang"]), 2)

    def test_it_counts_a_keyword_inside_a_longer_one_of_the_same_set_once(self):
        automaton = KeywordAutomaton({"task": KeywordSet("task", ["刷单", "刷单返利"])})
        self.assertEqual([m.keyword for m in automaton.find("刷单返利")["task"]], ["刷单返利"])

    def test_it_requires_several_distinct_keywords_when_a_rule_says_at_least(self):
        pack = pack_of(
            {
                "r.yaml": """
                keywords:
                  coded: [incall, roses, gfe]
                rules:
                  - {id: two-words, version: 1, category: sexual_services, score: 0.5,
                     mode: live, when: {keywords: {sets: [coded], at_least: 2}}}
            """
            }
        )
        self.assertEqual(pack.evaluate(Post(id="1", text="incall incall")), [])
        self.assertEqual(len(pack.evaluate(Post(id="2", text="incall, 200 roses"))), 1)

    def test_it_applies_a_rule_only_to_its_languages(self):
        pack = load_pack(SHIPPED_RULES)  # the classifier reads every language: left out here
        post = Post(id="t", text="I will kill you", lang="zh-Hant")
        self.assertEqual(pack.evaluate(post), [])
        self.assertNotEqual(pack.evaluate(Post(id="t", text="I will kill you", lang="en-GB")), [])

    def test_it_picks_the_rules_of_a_language_and_those_without_languages(self):
        pack = pack_of(
            {
                "r.yaml": """
                keywords:
                  money: [deposit]
                  warning: [beware]
                rules:
                  - {id: any-language, version: 1, category: scam_fraud, score: 0.5, mode: live,
                     when: {keywords: [money]}, unless: {keywords: [warning]}}
                  - {id: english, version: 1, category: scam_fraud, score: 0.6, mode: live,
                     languages: [en], when: {keywords: [money]}, unless: {entity: [link]}}
            """
            }
        )

        def rules(text: str, lang: str | None) -> list[str]:
            return [h.rule for h in pack.evaluate(Post(id="t", text=text, lang=lang))]

        self.assertEqual(rules("pay the deposit", None), ["english", "any-language"])
        self.assertEqual(rules("pay the deposit", "en-GB"), ["english", "any-language"])
        self.assertEqual(rules("pay the deposit", "fr"), ["any-language"])
        self.assertEqual(rules("beware: pay the deposit", "en"), ["english"])
        self.assertEqual(rules("pay the deposit at https://evil.example", "en"), ["any-language"])
        self.assertEqual(rules("no money words", None), [])
