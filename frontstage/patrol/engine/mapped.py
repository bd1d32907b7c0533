"""Text derived from an original text that still knows where each of its characters came from,
so a match found in normalised text is reported as a span of what the author wrote.

Only the edits are kept, not a table entry per character: most posts need no span at all,
and the few spans a hit shows are found by walking the edits back (a bisection per step)."""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class _Step:
    """`text[new_starts[k]:new_ends[k]]` replaced `parent[old_starts[k]:old_ends[k]]`, edits
    in order; the code points between edits were kept. `parent` None: the original text."""

    parent: "_Step | None"
    new_starts: list[int]
    new_ends: list[int]
    old_starts: list[int]
    old_ends: list[int]


@dataclass(frozen=True)
class Mapped:
    """`text[i]` came from the original code points `original_span(i, i + 1)`; code points
    of a replacement all map to the whole original span of what they replaced."""

    text: str
    step: _Step | None = None  # None: `text` is the original

    @classmethod
    def identity(cls, text: str) -> "Mapped":
        return cls(text)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering `text[start:end]`; `end > start` must hold."""
        return _start(self.step, start), _end(self.step, end - 1)

    def same_length(self, text: str) -> "Mapped":
        """`text` replaces `self.text` code point for code point (e.g. str.translate 1:1)."""
        return self if text == self.text else Mapped(text, self.step)

    def deleting(self, spans: Iterable[tuple[int, int]]) -> "Mapped":
        """Without the given sorted, non-overlapping spans of `text`."""
        return self.replacing((start, end, "") for start, end in spans)

    def replacing(self, edits: Iterable[tuple[int, int, str]]) -> "Mapped":
        """Each `text[i:j]` of the sorted, non-overlapping edits (i, j, new) replaced by `new`,
        whose code points all map to the original span of `text[i:j]`; the code points
        between edits keep their own spans."""
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        old_starts: list[int] = []
        old_ends: list[int] = []
        length = kept_from = 0
        for i, j, new in edits:
            pieces.append(self.text[kept_from:i])
            length += i - kept_from
            new_starts.append(length)
            old_starts.append(i)
            pieces.append(new)
            length += len(new)
            new_ends.append(length)
            old_ends.append(j)
            kept_from = j
        if not pieces:
            return self
        pieces.append(self.text[kept_from:])
        step = _Step(self.step, new_starts, new_ends, old_starts, old_ends)
        return Mapped("".join(pieces), step)


def _start(step: _Step | None, position: int) -> int:
    """The first original code point behind `position`."""
    while step is not None:
        k = bisect_right(step.new_starts, position) - 1
        if k >= 0:
            if position < step.new_ends[k]:
                position = step.old_starts[k]
            else:
                position += step.old_ends[k] - step.new_ends[k]
        step = step.parent
    return position


def _end(step: _Step | None, position: int) -> int:
    """The end (exclusive) of the original code points behind `position`."""
    while step is not None:
        k = bisect_right(step.new_starts, position) - 1
        if k >= 0:
            if position < step.new_ends[k]:
                position = step.old_ends[k] - 1
            else:
                position += step.old_ends[k] - step.new_ends[k]
        step = step.parent
    return position + 1
