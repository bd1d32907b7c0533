"""Text derived from an original text that still knows where each of its characters came from,
so a match found in normalised text is reported as a span of what the author wrote."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mapped:
    """`starts[i]`/`ends[i]` bound the original code points that produced `text[i]`."""

    text: str
    starts: list[int]
    ends: list[int]

    @classmethod
    def identity(cls, text: str) -> "Mapped":
        return cls(text, list(range(len(text))), list(range(1, len(text) + 1)))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering `text[start:end]`; `end > start` must hold."""
        return self.starts[start], self.ends[end - 1]

    def same_length(self, text: str) -> "Mapped":
        """`text` replaces `self.text` code point for code point (e.g. str.translate 1:1)."""
        return Mapped(text, self.starts, self.ends)

    def deleting(self, spans: Iterable[tuple[int, int]]) -> "Mapped":
        """Without the given sorted, non-overlapping spans of `text`."""
        return self.replacing((start, end, "") for start, end in spans)

    def replacing(self, edits: Iterable[tuple[int, int, str]]) -> "Mapped":
        """Each `text[i:j]` of the sorted, non-overlapping edits (i, j, new) replaced by `new`,
        whose code points all map to the original span of `text[i:j]`; the code points
        between edits keep their own spans."""
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        kept_from = 0
        for i, j, new in edits:
            pieces.append(self.text[kept_from:i])
            starts.extend(self.starts[kept_from:i])
            ends.extend(self.ends[kept_from:i])
            pieces.append(new)
            starts.extend([self.starts[i]] * len(new))
            ends.extend([self.ends[j - 1]] * len(new))
            kept_from = j
        if not pieces:
            return self
        pieces.append(self.text[kept_from:])
        starts.extend(self.starts[kept_from:])
        ends.extend(self.ends[kept_from:])
        return Mapped("".join(pieces), starts, ends)
