"""The look-alike tables of `confusables.yaml` as `str.translate` tables (one code point to one)."""

import unicodedata
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).with_name("confusables.yaml")
_LATIN_WITH_MARKS = range(0x00C0, 0x0250)  # Latin-1 Supplement to Latin Extended-B


def _one_to_one(section: str, pairs: object) -> dict[int, str]:
    if not isinstance(pairs, dict):
        raise ValueError(f"{_DATA.name}: `{section}` must be a mapping")
    table: dict[int, str] = {}
    for key, value in pairs.items():
        if not (isinstance(key, str) and isinstance(value, str) and len(key) == len(value) == 1):
            raise ValueError(f"{_DATA.name}: `{section}` entry {key!r}: {value!r} is not 1:1")
        table[ord(key)] = value
    return table


def _folded_diacritics() -> dict[int, str]:
    table: dict[int, str] = {}
    for point in _LATIN_WITH_MARKS:
        base = unicodedata.normalize("NFD", chr(point))[0].lower()
        if base != chr(point).lower() and base.isascii() and base.isalpha():
            table[point] = base
    return table


@cache
def lookalikes() -> dict[int, str]:
    """Look-alike letters and accented Latin letters → plain lowercase Latin letters."""
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return {**_folded_diacritics(), **_one_to_one("lookalikes", data["lookalikes"])}


@cache
def leet() -> dict[int, str]:
    """Digits and symbols written for letters → the letters."""
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return _one_to_one("leet", data["leet"])
