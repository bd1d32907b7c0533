"""Learning from casework: every decided case the patrol flagged is a labelled example. The
post text of its hits is labelled with the case's category when action was taken, and benign
when no violation was found or the action was reversed on appeal (the patrol's own false
alarms, the most useful hard negatives)."""

from pathlib import Path

from frontstage.cases.models import CaseOutcome, Category
from frontstage.patrol.backtest import Backtest, backtest
from frontstage.patrol.engine import BENIGN, SHIPPED_RULES, load_classifier, load_pack
from frontstage.patrol.jsonl import read_posts
from frontstage.patrol.models import PatrolHit
from frontstage.patrol.training.corpus import HELDOUT3, LABELS, Example
from frontstage.units.models import Unit
from frontstage.units.scope import descendants_of


def decided_examples(unit: Unit | None = None) -> list[Example]:
    """One example per distinct post text of a decided case (of `unit` and the units below)."""
    hits = PatrolHit.objects.filter(
        report__case__outcome__in=[
            CaseOutcome.ACTION_TAKEN,
            CaseOutcome.NO_VIOLATION,
            CaseOutcome.REVERSED,
        ]
    )
    if unit is not None:
        hits = hits.filter(report__case__unit_id__in=descendants_of(unit))
    rows = hits.values_list(
        "text", "report__case_id", "report__case__outcome", "report__case__category__code"
    )
    codes = set(Category.objects.values_list("code", flat=True))
    examples: dict[str, Example] = {}
    for text, case_id, outcome, category in rows.order_by("report__case_id", "pk"):
        label = category if outcome == CaseOutcome.ACTION_TAKEN else BENIGN
        if not text or label not in LABELS or (label != BENIGN and label not in codes):
            continue  # e.g. child sexual abuse material: by hash only, never a text example
        examples.setdefault(text, Example(f"casework.{case_id}.{len(examples)}", text, label))
    return list(examples.values())


def heldout_backtest(model: Path) -> Backtest:
    """The held-out corpus scored by the shipped rules with the model at `model`, classifier
    rules counted as if live: the figure to compare before and after retraining."""
    pack = load_pack(SHIPPED_RULES, classifier=load_classifier(model))
    with HELDOUT3.open("rb") as stream:
        lines = list(read_posts(stream, images_from=HELDOUT3.parent, labelled=True))
    posts = [line.post for line in lines if line.post is not None and line.label is not None]
    labels = [line.label for line in lines if line.post is not None and line.label is not None]
    hits = pack.evaluate_many(posts)
    return backtest(
        [(post.id, label, found) for post, label, found in zip(posts, labels, hits, strict=True)],
        pack.rules,
        count_shadow=True,
    )
