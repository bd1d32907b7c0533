"""A compiled rule pack: its rules and the matchers they share, built once, used per post."""

from collections.abc import Mapping, Sequence

from frontstage.patrol.engine.classifier import Scorer, embedding_text
from frontstage.patrol.engine.conditions import keyword_gate, reads_classifier
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
        classifier: Scorer | None = None,
    ) -> None:
        self.rules = list(rules)
        self.keyword_sets = dict(keyword_sets)
        self.patterns = dict(patterns)
        self.url_lists = dict(url_lists)
        self.pdq_lists = dict(pdq_lists)
        self.region = region  # lets phone numbers be read without their country code
        # None: rules testing `classifier` never hold, and the rest of the pack runs as ever
        self.classifier = classifier
        self.automaton = KeywordAutomaton(self.keyword_sets)
        self._gates = [keyword_gate(rule.when) for rule in self.rules]
        self._scored = [  # the rules that read classifier scores, with their keyword gates
            (rule, gate)
            for rule, gate in zip(self.rules, self._gates, strict=True)
            if reads_classifier(rule.when) or reads_classifier(rule.unless)
        ]
        self.classifier_rules = [rule for rule, _ in self._scored]

    def evaluate(self, post: Post) -> list[Hit]:
        """Hits of live and shadow rules, highest score first. Raises pdq.UnreadableImage
        when the post's image cannot be decoded and a rule tests a hash list."""
        return self.evaluate_signals(PostSignals(post, self))

    def evaluate_many(self, posts: Sequence[Post]) -> list[list[Hit]]:
        """`evaluate` of each post, the classifier run once for the whole batch."""
        return [self.evaluate_signals(signals) for signals in self.prepare(posts)]

    def prepare(self, posts: Sequence[Post]) -> list[PostSignals]:
        """Each post's signals, with classifier scores computed in one batch for the posts
        some classifier rule may read them for (its language fits and its keywords matched).
        The others are scored one by one if a rule asks after all, so this only saves time."""
        prepared = [PostSignals(post, self) for post in posts]
        if self.classifier is None or not self._scored:
            return prepared
        wanted = [s for s in prepared if self._may_read_scores(s)]
        scores = self.classifier.score([embedding_text(s.text) for s in wanted])
        for signals, found in zip(wanted, scores, strict=True):
            signals.scores = found
        return prepared

    def _may_read_scores(self, signals: PostSignals) -> bool:
        return any(
            rule.applies_to(signals.post.lang)
            and (gate is None or not gate.isdisjoint(signals.keywords))
            for rule, gate in self._scored
        )

    def evaluate_signals(self, signals: PostSignals) -> list[Hit]:
        """Hits of one post from its (possibly prepared) signals; see `evaluate`."""
        post = signals.post
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
