"""Undo the tricks used to slip past keyword lists, keeping every character's original span.

Two layers come out of `normalise(text)`:

- `plain`: NFKC (full-width and styled letters become plain ones), invisible characters
  removed, Traditional Chinese turned Simplified. Case and digits are kept, so entities
  (URLs, phone numbers, handles, wallets) are read from it.
- `skeleton`: `plain` case-folded, look-alike letters folded to Latin, separators inside
  spaced-out words removed (`f r e e`, `f.r.e.e`, `刷 单`, `刷*单`), digits and symbols used as
  letters read as letters (`fr33`, `c@sino`), runs of whitespace made one space. Keywords
  and most patterns match against it.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import opencc

from frontstage.patrol.engine.confusables import leet, lookalikes
from frontstage.patrol.engine.mapped import Mapped

# Zero-width characters, soft hyphen, bidirectional controls, variation selectors, tag
# characters, and combining marks NFKC could not compose onto a letter (strike-through tricks).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e01ef"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_HAN = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_HAN = re.compile(f"[{_HAN}]")
# Characters put between the letters of a word to break it up. Not commas, colons or
# Chinese sentence punctuation: joining across those would invent words.
_SEPARATOR = r"[\s*._\-~|/\\+=#^'\"`·•・]"
_PUNCT_SEPARATOR = r"[*._\-~|/\\+=#^'\"`·•・]"
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
_HAN_GAP = re.compile(f"(?<=[{_HAN}])(?:{_SEPARATOR}|[{_EMOJI}]){{1,3}}(?=[{_HAN}])")
_SINGLE = "[a-z0-9@$]"
_SPACED_WORD = re.compile(
    # three or more single characters apart (`f r e e`), or two apart by punctuation (`v.x`)
    rf"(?<![a-z0-9@$]){_SINGLE}(?:(?:{_SEPARATOR}{{1,3}}{_SINGLE}(?![a-z0-9@$])){{2,}}"
    rf"|(?:{_PUNCT_SEPARATOR}{{1,3}}{_SINGLE}(?![a-z0-9@$]))+)"
)
_NOT_SINGLE = re.compile(r"[^a-z0-9@$]+")
_HAS_LEET = re.compile("[013457@$]")
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[013457@$])[a-z0-9@$]+")
_ODD_SPACES = "\t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_SPACES = str.maketrans(_ODD_SPACES, " " * len(_ODD_SPACES))
_HAS_ODD_SPACE = re.compile(f"[{re.escape(_ODD_SPACES)}]")
_EXTRA_SPACE = re.compile(r"(?<= ) +")

_LAST_BMP = "\uffff"  # a regex class reaching above it tests those characters range by range
_LAST_NFKC_CHANGE = 0x30000  # above the CJK compatibility supplement NFKC changes nothing
_T2S = opencc.OpenCC("t2s")  # loads its dictionaries once per process


@dataclass(frozen=True)
class Normalised:
    """A post's text as written and its two normalised layers (spans map to `original`)."""

    original: str
    plain: Mapped
    skeleton: Mapped


def normalise(text: str) -> Normalised:
    plain = _chinese_simplified(_without_invisibles(_nfkc(Mapped.identity(text))))
    return Normalised(text, plain, skeleton_of(plain))


def skeleton(text: str) -> str:
    """The skeleton of `text` alone, as keywords are stored."""
    return normalise(text).skeleton.text.strip()


def skeleton_of(plain: Mapped) -> Mapped:
    folded = _without_lookalikes(_casefold(_without_lookalikes(plain)))
    joined = _rejoin_spaced_words(folded)
    return _single_spaces(_read_leet(joined))


def _nfkc(text: Mapped) -> Mapped:
    if text.text.isascii() or unicodedata.is_normalized("NFKC", text.text):
        return text
    tables = _nfkc_tables()
    if tables.by_character(text.text):  # full-width punctuation, mostly
        return text.same_length(text.text.translate(tables.one_to_one))
    return text.replacing(
        (i, j, unicodedata.normalize("NFKC", text.text[i:j])) for i, j in _changing(text.text)
    )


def _changing(text: str) -> Iterator[tuple[int, int]]:
    """Units NFKC may change, in order: a character it rewrites, or a base character with
    the combining marks after it (they may compose into one character)."""
    done = 0
    for match in _nfkc_tables().suspects.finditer(text):
        i = match.start()
        if i > done and unicodedata.combining(text[i]):
            i -= 1  # the base the mark sits on
        while i < match.end():  # combining marks are suspects, so a unit ends in the run
            end = i + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            yield i, end
            i = done = end


@dataclass(frozen=True)
class _NfkcTables:
    suspects: re.Pattern[str]  # runs of characters NFKC rewrites or that combine
    units: re.Pattern[str]  # a combining suspect of the BMP, or one NFKC makes 0 or 2+ long
    units_above: frozenset[int]  # the same above the BMP (a regex tests those range by range)
    one_to_one: dict[int, str]  # the other suspects, each to what NFKC makes of it

    def by_character(self, text: str) -> bool:
        """Whether `text` holds no unit, so `one_to_one` normalises it as `_changing` would."""
        if self.units.search(text):
            return False
        return max(text) <= _LAST_BMP or self.units_above.isdisjoint(map(ord, text))


@cache
def _nfkc_tables() -> _NfkcTables:
    """Built once (~20 ms). A text without units is normalised as `_changing` would do it,
    one character at a time, by `one_to_one` in a single `str.translate`."""
    suspects: list[int] = []
    units: list[int] = []
    units_above: set[int] = set()
    one_to_one: dict[int, str] = {}
    for point in range(_LAST_NFKC_CHANGE):
        if 0xD800 <= point < 0xE000:
            continue
        char = chr(point)
        normal = unicodedata.normalize("NFKC", char)
        if normal == char and not unicodedata.combining(char):
            continue
        suspects.append(point)
        if len(normal) == 1 and not unicodedata.combining(char):
            one_to_one[point] = normal
        elif point <= ord(_LAST_BMP):
            units.append(point)
        else:
            units_above.add(point)
    return _NfkcTables(
        re.compile(f"[{_ranges(suspects)}]+"),
        re.compile(f"[{_ranges(units)}]"),
        frozenset(units_above),
        one_to_one,
    )


def _ranges(points: list[int]) -> str:
    """The members of a regex character class holding the sorted code points `points`."""
    ranges: list[list[int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


def _without_invisibles(text: Mapped) -> Mapped:
    if text.text.isascii() or not _INVISIBLE.search(text.text):
        return text
    return text.deleting(m.span() for m in _INVISIBLE.finditer(text.text))


def _chinese_simplified(text: Mapped) -> Mapped:
    if text.text.isascii() or not _HAS_HAN.search(text.text):
        return text
    converted = _T2S.convert(text.text)
    if len(converted) == len(text.text):
        return text.same_length(converted)
    # A phrase changed length: convert character by character so spans stay exact.
    return text.replacing((i, i + 1, _T2S.convert(c)) for i, c in enumerate(text.text))


def _casefold(text: Mapped) -> Mapped:
    folded = text.text.casefold()
    if len(folded) == len(text.text):
        return text.same_length(folded)
    return text.replacing(
        (i, i + 1, c.casefold()) for i, c in enumerate(text.text) if len(c.casefold()) != 1
    )


def _without_lookalikes(text: Mapped) -> Mapped:
    if not _lookalike().search(text.text):  # nearly always so: nothing to translate
        return text
    return text.same_length(text.text.translate(lookalikes()))


@cache
def _lookalike() -> re.Pattern[str]:
    return re.compile(f"[{_ranges(sorted(lookalikes()))}]")


def _rejoin_spaced_words(text: Mapped) -> Mapped:
    gaps = [] if text.text.isascii() else [m.span() for m in _HAN_GAP.finditer(text.text)]
    for word in _SPACED_WORD.finditer(text.text):
        offset = word.start()
        gaps.extend((offset + m.start(), offset + m.end()) for m in _NOT_SINGLE.finditer(word[0]))
    return text.deleting(sorted(gaps)) if gaps else text


def _read_leet(text: Mapped) -> Mapped:
    if not _HAS_LEET.search(text.text):
        return text
    table = leet()
    return text.same_length(_LEET_TOKEN.sub(lambda m: m[0].translate(table), text.text))


def _single_spaces(text: Mapped) -> Mapped:
    if _HAS_ODD_SPACE.search(text.text):
        text = text.same_length(text.text.translate(_SPACES))
    if "  " not in text.text:
        return text
    return text.deleting(m.span() for m in _EXTRA_SPACE.finditer(text.text))
