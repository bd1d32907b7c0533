"""What a post's hits add up to: flagged or not, and its categories, most likely first."""

from collections.abc import Sequence
from dataclasses import dataclass

from frontstage.patrol.engine.post import Hit
from frontstage.patrol.engine.vocabulary import Category, Mode


@dataclass(frozen=True)
class Verdict:
    flagged: bool
    categories: list[Category]
    scores: dict[Category, float]
    live: list[Hit]
    shadow: list[Hit]


def verdict(hits: Sequence[Hit], *, count_shadow: bool = False) -> Verdict:
    """Only live hits flag, unless `count_shadow` (a backtest asking "what if it went live").
    Rules agreeing on a category raise its score: 1 - Π(1 - score), as independent evidence."""
    live = [h for h in hits if h.mode is Mode.LIVE]
    shadow = [h for h in hits if h.mode is Mode.SHADOW]
    counted = [*live, *shadow] if count_shadow else live
    missing: dict[Category, float] = {}
    for hit in counted:
        missing[hit.category] = missing.get(hit.category, 1.0) * (1.0 - hit.score)
    scores = {category: round(1.0 - rest, 4) for category, rest in missing.items()}
    ranked = sorted(scores, key=lambda category: (-scores[category], category.value))
    return Verdict(bool(ranked), ranked, scores, live, shadow)
