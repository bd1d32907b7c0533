"""PDQ image hashes (Meta's hash-sharing standard): hashing, hex form, Hamming distance.

A hash is kept packed as 32 bytes in the order of its hex form (first hex digit = first four
bits), so hex lists from other tools load as they are."""

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pdqhash  # type: ignore[import-untyped]
import PIL.Image

BITS = 256
BYTES = BITS // 8
MATCH_DISTANCE = 31  # the threshold the PDQ authors recommend for a match
MIN_QUALITY = 50  # hashes of quality ≤ 49 come from flat or tiny images and match at random

Packed = npt.NDArray[np.uint8]  # shape (32,) or (n, 32)


class UnreadableImage(ValueError):
    """The image could not be opened or decoded."""


@dataclass(frozen=True)
class PdqHash:
    packed: Packed
    quality: int

    @property
    def hex(self) -> str:
        return self.packed.tobytes().hex()

    @property
    def usable(self) -> bool:
        return self.quality >= MIN_QUALITY


def hash_image(image: Path | str | bytes) -> PdqHash:
    """The PDQ hash of an image file or of encoded image bytes. Raises UnreadableImage."""
    source = io.BytesIO(image) if isinstance(image, bytes) else image
    try:
        with PIL.Image.open(source) as opened:
            pixels = np.asarray(opened.convert("RGB"))
    except (OSError, ValueError, PIL.Image.DecompressionBombError) as error:
        raise UnreadableImage(f"cannot read the image: {error}") from error
    bits, quality = pdqhash.compute(pixels)
    return PdqHash(np.packbits(np.asarray(bits, dtype=np.uint8)), int(quality))


def from_hex(text: str) -> Packed:
    """Raises ValueError unless `text` is 64 hexadecimal digits."""
    raw = bytes.fromhex(text.strip())
    if len(raw) != BYTES:
        raise ValueError(f"a PDQ hash has 64 hexadecimal digits, not {len(text.strip())}")
    return np.frombuffer(raw, dtype=np.uint8).copy()


def distance(a: Packed, b: Packed) -> int:
    return int(popcount(np.bitwise_xor(a, b)).sum())


_BYTE_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def popcount(values: npt.NDArray[np.unsignedinteger]) -> npt.NDArray[np.uint8]:
    """Set bits of each element (numpy ≥ 2 counts natively; older numpy uses a table)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(values)
    as_bytes = values.view(np.uint8).reshape(*values.shape, values.itemsize)
    return _BYTE_POPCOUNT[as_bytes].sum(axis=-1, dtype=np.uint8)
