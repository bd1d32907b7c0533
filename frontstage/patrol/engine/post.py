"""What goes into the engine (a post) and what comes out (hits with their evidence)."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from frontstage.patrol.engine.vocabulary import Category, EvidenceKind, Mode


@dataclass(frozen=True)
class Post:
    """An item from a source. `image` is a file path, the encoded bytes of an image, or None."""

    id: str
    text: str = ""
    urls: list[str] = field(default_factory=list)
    image: Path | str | bytes | None = None
    lang: str | None = None
    source: str = ""
    author: str | None = None
    posted_at: datetime | None = None


@dataclass(frozen=True)
class Evidence:
    """Why a rule hit. `span` indexes the ORIGINAL post text (code points, end exclusive) and
    `text` is that slice, so a reviewer sees what the author wrote, not the normalised form."""

    kind: EvidenceKind
    source: str  # the keyword set, pattern, entity kind, URL list or hash list that matched
    matched: str  # the keyword or text as normalised, the list expression, the hash's label
    span: tuple[int, int] | None = None
    text: str | None = None
    value: str | None = None  # an entity's canonical value or the URL that matched
    distance: int | None = None  # Hamming distance of a PDQ match
    score: float | None = None  # the classifier's probability for the category

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "kind": self.kind.value,
            "source": self.source,
            "matched": self.matched,
        }
        if self.span is not None:
            found["span"] = list(self.span)
            found["text"] = self.text
        if self.value is not None:
            found["value"] = self.value
        if self.distance is not None:
            found["distance"] = self.distance
        if self.score is not None:
            found["score"] = self.score
        return found


@dataclass(frozen=True)
class Hit:
    rule: str
    version: int
    category: Category
    score: float
    mode: Mode
    evidence: list[Evidence]

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "version": self.version,
            "category": self.category.value,
            "score": self.score,
            "mode": self.mode.value,
            "evidence": [e.as_json() for e in self.evidence],
        }
