"""The patrol engine: posts in, hits out. Pure Python — nothing from Django, no database.

pack = load_pack("frontstage/patrol/rules")      # or shipped_pack()
hits = pack.evaluate(Post(id="1", text="刷单返利 加vx: abc123"))
verdict(hits).categories                          # [Category.SCAM_FRAUD]
pack.evaluate_many(posts)                         # the classifier embeds the batch at once
"""

from functools import cache
from pathlib import Path

from frontstage.patrol.engine.classifier import Classifier, ModelError, load_classifier
from frontstage.patrol.engine.loader import RulePackError, build_pack, load_pack
from frontstage.patrol.engine.pack import RulePack
from frontstage.patrol.engine.pdq import UnreadableImage
from frontstage.patrol.engine.post import Evidence, Hit, Post
from frontstage.patrol.engine.verdict import Verdict, verdict
from frontstage.patrol.engine.vocabulary import BENIGN, Category, EntityKind, EvidenceKind, Mode

SHIPPED_RULES = Path(__file__).resolve().parent.parent / "rules"
SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "model" / "classifier.npz"

__all__ = [
    "BENIGN",
    "SHIPPED_MODEL",
    "SHIPPED_RULES",
    "Category",
    "Classifier",
    "EntityKind",
    "Evidence",
    "EvidenceKind",
    "Hit",
    "Mode",
    "ModelError",
    "Post",
    "RulePack",
    "RulePackError",
    "UnreadableImage",
    "Verdict",
    "build_pack",
    "evaluate",
    "load_classifier",
    "load_pack",
    "shipped_classifier",
    "shipped_pack",
    "verdict",
]


@cache
def shipped_classifier() -> Classifier | None:
    """The model shipped in frontstage/patrol/model, or None without the file. The encoder
    itself loads on the first post a classifier rule reads."""
    return load_classifier(SHIPPED_MODEL)


@cache
def shipped_pack() -> RulePack:
    """The rule pack shipped in frontstage/patrol/rules with the shipped classifier (if
    any), compiled once per process."""
    return load_pack(SHIPPED_RULES, classifier=shipped_classifier())


def evaluate(post: Post) -> list[Hit]:
    """Hits of the shipped pack on `post` (see RulePack.evaluate)."""
    return shipped_pack().evaluate(post)
