"""Find every listed PDQ hash within a Hamming distance of a query, fast at millions of hashes.

Multi-index hashing: the 256 bits are cut into 16 chunks of 16 bits. If two hashes differ in
at most 31 bits, some chunk differs in at most 1 bit (16 chunks × 2 bits would be 32), so only
hashes whose chunk equals the query's chunk or one of its 16 one-bit variants can match.
Each chunk keeps the hashes sorted by its value; a query reads 16 × 17 buckets and checks the
few candidates exactly. The answer is exactly that of comparing against every hash."""

from itertools import combinations

import numpy as np
import numpy.typing as npt

from frontstage.patrol.engine.pdq import BYTES, MATCH_DISTANCE, Packed, popcount

_CHUNKS = 16
_CHUNK_VALUES = 1 << 16
_MAX_PROBES = 4096  # beyond this many buckets per query, comparing everything is faster


class PdqIndex:
    def __init__(self, hashes: Packed) -> None:
        """`hashes`: shape (n, 32), packed as pdq.from_hex returns them."""
        packed = np.ascontiguousarray(hashes, dtype=np.uint8).reshape(-1, BYTES)
        self._words = packed.view(np.uint64)  # (n, 4): four XOR-and-count steps per hash
        chunks = packed.view(np.uint16)  # (n, 16)
        size = len(packed)
        self._order = np.empty((_CHUNKS, size), dtype=np.uint32)
        self._offsets = np.zeros((_CHUNKS, _CHUNK_VALUES + 1), dtype=np.int64)
        for chunk in range(_CHUNKS):
            values = chunks[:, chunk]
            self._order[chunk] = np.argsort(values, kind="stable")
            np.cumsum(np.bincount(values, minlength=_CHUNK_VALUES), out=self._offsets[chunk, 1:])
        self._flat_order = self._order.reshape(-1)

    def __len__(self) -> int:
        return len(self._words)

    def query(self, packed: Packed, max_distance: int = MATCH_DISTANCE) -> list[tuple[int, int]]:
        """(position, distance) of every hash within `max_distance`, nearest first."""
        query = np.ascontiguousarray(packed, dtype=np.uint8).reshape(BYTES)
        masks = _flip_masks(max_distance // _CHUNKS)
        if len(masks) * _CHUNKS > _MAX_PROBES:
            candidates = np.arange(len(self), dtype=np.int64)
        else:
            candidates = self._candidates(query.view(np.uint16), masks)
        distances = popcount(self._words[candidates] ^ query.view(np.uint64)).sum(
            axis=1, dtype=np.int64
        )
        near = distances <= max_distance
        ranked = sorted(zip(distances[near].tolist(), candidates[near].tolist(), strict=True))
        return [(position, found) for found, position in ranked]

    def _candidates(
        self, chunks: npt.NDArray[np.uint16], masks: npt.NDArray[np.uint16]
    ) -> npt.NDArray[np.int64]:
        probes = (chunks[:, None] ^ masks[None, :]).astype(np.int64)  # (16, probes per chunk)
        rows = np.arange(_CHUNKS)[:, None]
        starts = self._offsets[rows, probes].ravel()
        lengths = self._offsets[rows, probes + 1].ravel() - starts
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64)
        bases = starts + np.repeat(np.arange(_CHUNKS) * len(self), probes.shape[1])
        # positions base..base+length of every bucket, as one vector
        steps = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        positions = np.repeat(bases, lengths) + steps
        return np.unique(self._flat_order[positions]).astype(np.int64)


def brute_force(hashes: Packed, packed: Packed, max_distance: int = MATCH_DISTANCE) -> list[int]:
    """Positions of every hash within `max_distance`, by comparing with each one."""
    distances = popcount(np.bitwise_xor(hashes, packed.reshape(1, BYTES))).sum(axis=1)
    return [int(i) for i in np.flatnonzero(distances <= max_distance)]


def _flip_masks(radius: int) -> npt.NDArray[np.uint16]:
    masks = [
        sum(1 << bit for bit in bits)
        for flipped in range(radius + 1)
        for bits in combinations(range(16), flipped)
    ]
    return np.array(masks, dtype=np.uint16)
