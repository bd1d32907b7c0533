"""Labelled examples from JSON Lines: the project's corpus now, decided cases later."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from frontstage.patrol.engine import BENIGN, Category

CORPUS = Path(__file__).resolve().parent / "corpus"
HELDOUT = CORPUS / "heldout.jsonl"  # for backtests only: never trained on
HELDOUT2 = CORPUS / "heldout2.jsonl"  # a second hand-written held-out file, written later
# written by people who saw neither the corpus nor the rules (as are heldout4.jsonl, Chinese,
# and heldout6.jsonl, English and Chinese)
HELDOUT3 = CORPUS / "heldout3.jsonl"
LABELS = (BENIGN, *(c.value for c in Category if c is not Category.CHILD_SEXUAL_ABUSE))
# Benign files of everyday chat that share no words with the categories (weather, food, games).
# The benign budget is held over them and, on its own, over the rest: the warnings, news and
# lawful trades that reuse the categories' words, where a patrol's false alarms come from.
EVERYDAY = frozenset({"benign_chat", "benign_everyday", "hand_en_e", "hand_zh_e"})


class CorpusError(ValueError):
    """A corpus line that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    label: str  # benign or a category code (never child_sexual_abuse: that is by hash only)
    lang: str | None = None

    @property
    def group(self) -> str:
        """Examples worded by one template share a group (`FILE.LANG.GROUP.N`); the folds
        keep a group together so held-back posts are worded unlike the trained ones."""
        return self.id.rsplit(".", 1)[0]

    @property
    def on_topic(self) -> bool:
        """False only for a benign post of an EVERYDAY file (ids begin with the file's
        name); decided cases and every harmful example count as on topic."""
        return self.label != BENIGN or self.id.split(".", 1)[0] not in EVERYDAY


def corpus_files(directory: Path = CORPUS) -> list[Path]:
    """The training files of a corpus directory: every *.jsonl but the held-out files
    (heldout.jsonl, heldout2.jsonl, any heldout*.jsonl): nothing trains on them."""
    return [p for p in sorted(directory.glob("*.jsonl")) if not p.name.startswith("heldout")]


def read_examples(paths: Iterable[Path]) -> list[Example]:
    """Every line of every file, in order. Raises CorpusError at the first bad line."""
    examples: list[Example] = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if line.strip():
                examples.append(_example(line, f"{path.name}:{number}"))
    return examples


def _example(line: str, where: str) -> Example:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise CorpusError(f"{where}: not JSON ({error.msg})") from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("id", "text", "label")
    ):
        raise CorpusError(f'{where}: needs "id", "text" and "label" as strings')
    if data["label"] not in LABELS:
        raise CorpusError(f"{where}: label {data['label']!r} is not one of {', '.join(LABELS)}")
    lang = data.get("lang")
    return Example(data["id"], data["text"], data["label"], lang if isinstance(lang, str) else None)


def corpus_digest(examples: Sequence[Example]) -> str:
    """sha256 of the examples as a set: the same posts in any order give the same digest."""
    lines = sorted(
        json.dumps([e.id, e.text, e.label, e.lang], ensure_ascii=False) for e in examples
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
