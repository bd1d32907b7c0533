"""Which rules of a pack are worth testing on a post, worked out once per pack rather than
per post and rule: most posts match few keyword sets, so most rules are skipped unseen."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from frontstage.patrol.engine.conditions import Condition, keyword_gate, may_hold
from frontstage.patrol.engine.rule import Rule, primary_language


@dataclass(frozen=True)
class Plan:
    """Rules (by position in the pack) for one language: `always` may hold without any
    keyword; `by_set[name]` hold only if one of their keyword sets matched, `name` among them."""

    always: tuple[int, ...]
    by_set: dict[str, tuple[int, ...]]

    def candidates(self, matched: Iterable[str]) -> Sequence[int]:
        """Positions of the rules a post whose keyword sets `matched` may hit, in pack order."""
        chosen = set(self.always)
        for name in matched:
            chosen.update(self.by_set.get(name, ()))
        return sorted(chosen) if len(chosen) > len(self.always) else self.always


class Plans:
    """A plan per language the rules name, one for posts without a language (every rule)
    and one for the other languages. Rules whose `when` can never hold (`possible` says
    which leaves can) are in none: a classifier test without a classifier, an empty list."""

    def __init__(self, rules: Sequence[Rule], possible: Callable[[Condition], bool]) -> None:
        live = [
            (i, rule.languages, keyword_gate(rule.when))
            for i, rule in enumerate(rules)
            if may_hold(rule.when, possible)
        ]
        self._unknown_language = _plan((i, gate) for i, _, gate in live)
        self._other_language = _plan((i, gate) for i, languages, gate in live if not languages)
        self._language = {
            language: _plan(
                (i, gate) for i, languages, gate in live if not languages or language in languages
            )
            for language in {language for rule in rules for language in rule.languages}
        }

    def for_language(self, lang: str | None) -> Plan:
        """The plan of the rules that apply to `lang` (as Rule.applies_to decides)."""
        if lang is None:
            return self._unknown_language
        return self._language.get(primary_language(lang), self._other_language)


def _plan(gated: Iterable[tuple[int, frozenset[str] | None]]) -> Plan:
    always: list[int] = []
    by_set: dict[str, list[int]] = {}
    for i, gate in gated:
        if gate is None:
            always.append(i)
        else:
            for name in gate:
                by_set.setdefault(name, []).append(i)
    return Plan(tuple(always), {name: tuple(found) for name, found in by_set.items()})
