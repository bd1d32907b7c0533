"""Lists of known images as PDQ hashes, each hash with a label (a reference, never content)."""

from collections.abc import Sequence

import numpy as np

from frontstage.patrol.engine.pdq import BYTES, MATCH_DISTANCE, Packed, from_hex
from frontstage.patrol.engine.pdq_index import PdqIndex


class PdqList:
    def __init__(self, name: str, hashes: Packed, labels: Sequence[str]) -> None:
        self.name = name
        self.labels = list(labels)
        self.index = PdqIndex(hashes.reshape(-1, BYTES))

    @classmethod
    def from_lines(cls, name: str, lines: Sequence[str]) -> "PdqList":
        """Lines of `HEX` or `HEX LABEL` (or `HEX,LABEL`). Raises ValueError naming the line."""
        hashes = np.empty((len(lines), BYTES), dtype=np.uint8)
        labels: list[str] = []
        for number, line in enumerate(lines, start=1):
            hex_digits, _, label = line.replace(",", " ", 1).partition(" ")
            try:
                hashes[number - 1] = from_hex(hex_digits)
            except ValueError as error:
                raise ValueError(f"entry {number} ({line[:70]!r}): {error}") from None
            labels.append(label.strip() or hex_digits.lower())
        return cls(name, hashes, labels)

    def __len__(self) -> int:
        return len(self.labels)

    def match(self, packed: Packed, max_distance: int = MATCH_DISTANCE) -> list[tuple[str, int]]:
        """(label, distance) of listed hashes within `max_distance`, nearest first."""
        return [(self.labels[i], d) for i, d in self.index.query(packed, max_distance)]
