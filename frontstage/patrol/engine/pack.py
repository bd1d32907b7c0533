"""A compiled rule pack: its rules and the matchers they share, built once, used per post."""

from collections.abc import Mapping, Sequence

from frontstage.patrol.engine.conditions import keyword_gate
from frontstage.patrol.engine.hash_lists import PdqList
from frontstage.patrol.engine.keywords import KeywordAutomaton, KeywordSet
from frontstage.patrol.engine.post import Hit, Post
from frontstage.patrol.engine.rule import Rule, TextPattern
from frontstage.patrol.engine.signals import PostSignals
from frontstage.patrol.engine.url_lists import UrlList


class RulePack:
    """Build one with loader.load_pack (which validates); evaluate posts with `evaluate`."""

    def __init__(
        self,
        *,
        rules: Sequence[Rule],
        keyword_sets: Mapping[str, KeywordSet],
        patterns: Mapping[str, TextPattern],
        url_lists: Mapping[str, UrlList],
        pdq_lists: Mapping[str, PdqList],
        region: str | None = None,
    ) -> None:
        self.rules = list(rules)
        self.keyword_sets = dict(keyword_sets)
        self.patterns = dict(patterns)
        self.url_lists = dict(url_lists)
        self.pdq_lists = dict(pdq_lists)
        self.region = region  # lets phone numbers be read without their country code
        self.automaton = KeywordAutomaton(self.keyword_sets)
        self._gates = [keyword_gate(rule.when) for rule in self.rules]

    def evaluate(self, post: Post) -> list[Hit]:
        """Hits of live and shadow rules, highest score first. Raises pdq.UnreadableImage
        when the post's image cannot be decoded and a rule tests a hash list."""
        signals = PostSignals(post, self)
        hits: list[Hit] = []
        for rule, gate in zip(self.rules, self._gates, strict=True):
            if not rule.applies_to(post.lang):
                continue
            if gate is not None and gate.isdisjoint(signals.keywords):
                continue  # the rule needs a keyword set that did not match
            outcome = rule.when.test(signals)
            if not outcome.ok or (rule.unless is not None and rule.unless.test(signals).ok):
                continue
            evidence = list(dict.fromkeys(outcome.evidence))  # a set named twice shows once
            hits.append(Hit(rule.id, rule.version, rule.category, rule.score, rule.mode, evidence))
        return sorted(hits, key=lambda hit: (-hit.score, hit.rule))
