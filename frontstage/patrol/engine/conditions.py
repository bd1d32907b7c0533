"""A rule's condition: a small tree of detector tests, read from YAML.

Leaves: `keywords` (sets; optional `at_least` distinct keywords), `pattern`, `entity` (kinds
or the groups contact/wallet/link), `url_list`, `pdq_list`, `classifier` (a category's score
at or above a minimum). Branches: `all`, `any`, `not`.
Every test returns the evidence that made it true, so a hit can show why it fired."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from frontstage.patrol.engine.post import Evidence
from frontstage.patrol.engine.vocabulary import Category, EntityKind


class Signals(Protocol):
    """What conditions read: one post's detector outputs, each computed at most once."""

    def keyword_evidence(self, keyword_set: str) -> list[Evidence]: ...
    def pattern_evidence(self, pattern: str) -> list[Evidence]: ...
    def entity_evidence(self, kinds: frozenset[EntityKind]) -> list[Evidence]: ...
    def url_evidence(self, url_list: str) -> list[Evidence]: ...
    def pdq_evidence(self, pdq_list: str) -> list[Evidence]: ...
    def classifier_evidence(self, category: Category, minimum: float | None) -> list[Evidence]: ...


@dataclass(frozen=True)
class Outcome:
    ok: bool
    evidence: tuple[Evidence, ...] = ()


class Condition(Protocol):
    def test(self, signals: Signals) -> Outcome: ...
    def references(self) -> Iterator[tuple[str, str]]:
        """(section, name) of every keyword set, pattern or list the condition names."""
        ...


def _outcome(evidence: Sequence[Evidence]) -> Outcome:
    return Outcome(bool(evidence), tuple(evidence))


@dataclass(frozen=True)
class Keywords:
    sets: tuple[str, ...]
    at_least: int = 1

    def test(self, signals: Signals) -> Outcome:
        evidence = [e for name in self.sets for e in signals.keyword_evidence(name)]
        if not evidence:
            return Outcome(False)
        distinct = {e.matched for e in evidence}
        return Outcome(len(distinct) >= self.at_least, tuple(evidence))

    def references(self) -> Iterator[tuple[str, str]]:
        return (("keywords", name) for name in self.sets)


@dataclass(frozen=True)
class Pattern:
    names: tuple[str, ...]

    def test(self, signals: Signals) -> Outcome:
        return _outcome([e for name in self.names for e in signals.pattern_evidence(name)])

    def references(self) -> Iterator[tuple[str, str]]:
        return (("patterns", name) for name in self.names)


@dataclass(frozen=True)
class Entity:
    kinds: frozenset[EntityKind]

    def test(self, signals: Signals) -> Outcome:
        return _outcome(signals.entity_evidence(self.kinds))

    def references(self) -> Iterator[tuple[str, str]]:
        return iter(())


@dataclass(frozen=True)
class UrlList:
    names: tuple[str, ...]

    def test(self, signals: Signals) -> Outcome:
        return _outcome([e for name in self.names for e in signals.url_evidence(name)])

    def references(self) -> Iterator[tuple[str, str]]:
        return (("url_lists", name) for name in self.names)


@dataclass(frozen=True)
class PdqList:
    names: tuple[str, ...]

    def test(self, signals: Signals) -> Outcome:
        return _outcome([e for name in self.names for e in signals.pdq_evidence(name)])

    def references(self) -> Iterator[tuple[str, str]]:
        return (("pdq_lists", name) for name in self.names)


@dataclass(frozen=True)
class ClassifierScore:
    """`minimum` None means the model's own threshold for the category."""

    category: Category
    minimum: float | None = None

    def test(self, signals: Signals) -> Outcome:
        return _outcome(signals.classifier_evidence(self.category, self.minimum))

    def references(self) -> Iterator[tuple[str, str]]:
        return iter(())


@dataclass(frozen=True)
class AllOf:
    children: tuple[Condition, ...]

    def test(self, signals: Signals) -> Outcome:
        evidence: list[Evidence] = []
        for child in self.children:
            outcome = child.test(signals)
            if not outcome.ok:
                return Outcome(False)
            evidence.extend(outcome.evidence)
        return Outcome(True, tuple(evidence))

    def references(self) -> Iterator[tuple[str, str]]:
        return (ref for child in self.children for ref in child.references())


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Condition, ...]

    def test(self, signals: Signals) -> Outcome:
        # every child is tested, not just the first true one: the reviewer sees all the reasons
        outcomes = [child.test(signals) for child in self.children]
        true = [o for o in outcomes if o.ok]
        return Outcome(bool(true), tuple(e for o in true for e in o.evidence))

    def references(self) -> Iterator[tuple[str, str]]:
        return (ref for child in self.children for ref in child.references())


@dataclass(frozen=True)
class NotOf:
    child: Condition

    def test(self, signals: Signals) -> Outcome:
        return Outcome(not self.child.test(signals).ok)

    def references(self) -> Iterator[tuple[str, str]]:
        return self.child.references()


def leaves(condition: Condition) -> Iterator[Condition]:
    if isinstance(condition, AllOf | AnyOf):
        for child in condition.children:
            yield from leaves(child)
    elif isinstance(condition, NotOf):
        yield from leaves(condition.child)
    else:
        yield condition


def reads_classifier(condition: Condition | None) -> bool:
    return condition is not None and any(
        isinstance(leaf, ClassifierScore) for leaf in leaves(condition)
    )


def may_hold(condition: Condition, possible: Callable[[Condition], bool]) -> bool:
    """False when `condition` holds for no post at all, `possible` telling which leaves can
    ever hold (a classifier test cannot without a classifier). A `not` is taken to be able to."""
    if isinstance(condition, AllOf):
        return all(may_hold(child, possible) for child in condition.children)
    if isinstance(condition, AnyOf):
        return any(may_hold(child, possible) for child in condition.children)
    return isinstance(condition, NotOf) or possible(condition)


def keyword_gate(condition: Condition) -> frozenset[str] | None:
    """Keyword sets of which at least one must match for `condition` to hold, or None when it
    can hold without any. Lets a pack skip most rules after one automaton pass."""
    if isinstance(condition, Keywords):
        return frozenset(condition.sets)
    if isinstance(condition, AllOf):
        gates = [g for g in map(keyword_gate, condition.children) if g is not None]
        return min(gates, key=len) if gates else None
    if isinstance(condition, AnyOf):
        union: set[str] = set()
        for child in condition.children:
            gate = keyword_gate(child)
            if gate is None:
                return None
            union |= gate
        return frozenset(union)
    return None
