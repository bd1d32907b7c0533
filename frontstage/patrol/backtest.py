"""`patrol backtest`: how a rule pack would have done on labelled posts — before a rule goes
live. Pure figures over (post id, label, hits); printing is in backtest_report.py."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from frontstage.patrol.engine import BENIGN, Category, Hit, Mode, verdict
from frontstage.patrol.engine.rule import Rule


@dataclass
class CategoryFigures:
    """precision is None when nothing was flagged; recall is None with no labelled post."""

    category: str
    support: int = 0  # posts labelled with the category
    flagged: int = 0  # posts flagged with it
    correct: int = 0
    missed: list[str] = field(default_factory=list)  # ids labelled with it and not flagged

    @property
    def precision(self) -> float | None:
        return self.correct / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.support if self.support else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class RuleFigures:
    rule: str
    version: int
    mode: Mode
    category: Category
    hits: int = 0
    correct: int = 0
    wrong: list[str] = field(default_factory=list)  # ids it hit whose label is another

    @property
    def precision(self) -> float | None:
        return self.correct / self.hits if self.hits else None


@dataclass
class Backtest:
    counted_shadow: bool
    posts: int = 0
    benign: int = 0
    benign_flagged: int = 0
    categories: dict[str, CategoryFigures] = field(default_factory=dict)
    rules: dict[str, RuleFigures] = field(default_factory=dict)

    @property
    def false_positive_rate(self) -> float | None:
        """Share of benign posts flagged with any category."""
        return self.benign_flagged / self.benign if self.benign else None

    @property
    def macro_f1(self) -> float | None:
        """Mean F1 over every category that was labelled or flagged at least once."""
        figures = list(self.categories.values())
        return sum(f.f1 for f in figures) / len(figures) if figures else None


def backtest(
    examples: Iterable[tuple[str, str, Sequence[Hit]]],
    rules: Sequence[Rule],
    *,
    count_shadow: bool = False,
) -> Backtest:
    """`examples`: (post id, label — a category code or "benign", the post's hits)."""
    result = Backtest(counted_shadow=count_shadow)
    result.rules = {r.id: RuleFigures(r.id, r.version, r.mode, r.category) for r in rules}
    categories: dict[str, CategoryFigures] = {}
    for post_id, label, hits in examples:
        result.posts += 1
        flagged = {c.value for c in verdict(hits, count_shadow=count_shadow).categories}
        if label == BENIGN:
            result.benign += 1
            result.benign_flagged += bool(flagged)
        else:
            figures = categories.setdefault(label, CategoryFigures(label))
            figures.support += 1
            if label in flagged:
                figures.correct += 1
            else:
                figures.missed.append(post_id)
        for category in flagged:
            categories.setdefault(category, CategoryFigures(category)).flagged += 1
        for hit in hits:
            rule = result.rules[hit.rule]
            rule.hits += 1
            if hit.category.value == label:
                rule.correct += 1
            else:
                rule.wrong.append(post_id)
    result.categories = dict(sorted(categories.items()))
    return result
