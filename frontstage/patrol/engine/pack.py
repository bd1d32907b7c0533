"""A compiled rule pack: its rules and the matchers they share, built once, used per post."""

from collections.abc import Iterable, Mapping, Sequence

from frontstage.patrol.engine import conditions
from frontstage.patrol.engine.classifier import Scorer, embedding_text
from frontstage.patrol.engine.conditions import (
    Condition,
    Outcome,
    keyword_gate,
    reads_classifier,
)
from frontstage.patrol.engine.hash_lists import PdqList
from frontstage.patrol.engine.keywords import KeywordAutomaton, KeywordSet
from frontstage.patrol.engine.plans import Plans
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
        self.automaton = KeywordAutomaton(self.keyword_sets)
        self._scored = [  # the rules that read classifier scores, with their keyword gates
            (rule, keyword_gate(rule.when))
            for rule in self.rules
            if reads_classifier(rule.when) or reads_classifier(rule.unless)
        ]
        self.classifier_rules = [rule for rule, _ in self._scored]
        self._unless_gates = [
            keyword_gate(rule.unless) if rule.unless else None for rule in self.rules
        ]
        self.classifier = classifier

    @property
    def classifier(self) -> Scorer | None:
        """None: rules testing `classifier` never hold, and the rest of the pack runs as ever."""
        return self._classifier

    @classifier.setter
    def classifier(self, classifier: Scorer | None) -> None:
        # which rules can hold at all depends on it, so the plans are made again
        self._classifier = classifier
        self._plans = Plans(self.rules, self._possible)

    def _possible(self, leaf: Condition) -> bool:
        """Whether a leaf condition can hold for some post with this pack as it is."""
        if isinstance(leaf, conditions.ClassifierScore):
            return self._classifier is not None
        if isinstance(leaf, conditions.UrlList):
            return any(len(self.url_lists[name]) for name in leaf.names)
        if isinstance(leaf, conditions.PdqList):
            return any(len(self.pdq_lists[name]) for name in leaf.names)
        return True

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
        hits: list[Hit] = []
        matched = signals.keywords
        for position in self._plans.for_language(signals.post.lang).candidates(matched):
            rule = self.rules[position]
            outcome = _outcome(rule, self._unless_gates[position], signals, matched)
            if outcome is not None:
                evidence = list(dict.fromkeys(outcome.evidence))  # a set named twice shows once
                hits.append(
                    Hit(rule.id, rule.version, rule.category, rule.score, rule.mode, evidence)
                )
        return sorted(hits, key=lambda hit: (-hit.score, hit.rule))


def _outcome(
    rule: Rule, unless_gate: frozenset[str] | None, signals: PostSignals, matched: Iterable[str]
) -> Outcome | None:
    """The outcome of the rule's `when` if the rule hits. An `unless` that needs one of the
    keyword sets of `unless_gate` is tested first when one matched — hard negatives mostly
    are keywords, cheap to test, and a warning about scams is then not searched for
    contacts — and not at all when none did."""
    unless = rule.unless
    if unless is not None and unless_gate is not None:
        if not unless_gate.isdisjoint(matched) and unless.test(signals).ok:
            return None
        unless = None
    outcome = rule.when.test(signals)
    if not outcome.ok or (unless is not None and unless.test(signals).ok):
        return None
    return outcome
