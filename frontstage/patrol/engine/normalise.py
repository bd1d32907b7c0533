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
    rf"(?<![a-z0-9@$]){_SINGLE}(?:{_SEPARATOR}{{1,3}}{_SINGLE}(?![a-z0-9@$])){{2,}}"
    rf"|(?<![a-z0-9@$]){_SINGLE}(?:{_PUNCT_SEPARATOR}{{1,3}}{_SINGLE}(?![a-z0-9@$]))+"
)
_NOT_SINGLE = re.compile(r"[^a-z0-9@$]+")
_LEET_CHARS = frozenset("013457@$")
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[013457@$])[a-z0-9@$]+")
_SPACES = str.maketrans("\t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u2028\u2029", " " * 12)
_EXTRA_SPACE = re.compile(r"(?<= ) +")

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
    folded = _casefold(plain.same_length(plain.text.translate(lookalikes())))
    folded = folded.same_length(folded.text.translate(lookalikes()))
    joined = _rejoin_spaced_words(folded)
    return _single_spaces(_read_leet(joined))


def _nfkc(text: Mapped) -> Mapped:
    if text.text.isascii() or unicodedata.is_normalized("NFKC", text.text):
        return text
    return text.replacing(
        (i, j, unicodedata.normalize("NFKC", text.text[i:j])) for i, j in _changing(text.text)
    )


def _changing(text: str) -> Iterator[tuple[int, int]]:
    """Units NFKC may change, in order: a character it rewrites, or a base character with
    the combining marks after it (they may compose into one character)."""
    done = 0
    for match in _nfkc_suspects().finditer(text):
        i = match.start()
        if i > done and unicodedata.combining(text[i]):
            i -= 1  # the base the mark sits on
        while i < match.end():  # combining marks are suspects, so a unit ends in the run
            end = i + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            yield i, end
            i = done = end


@cache
def _nfkc_suspects() -> re.Pattern[str]:
    """Characters NFKC rewrites or that combine with the one before (built once, ~20 ms)."""
    ranges: list[list[int]] = []
    for point in range(_LAST_NFKC_CHANGE):
        char = chr(point)
        if 0xD800 <= point < 0xE000 or (
            unicodedata.normalize("NFKC", char) == char and not unicodedata.combining(char)
        ):
            continue
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    members = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{members}]+")


def _without_invisibles(text: Mapped) -> Mapped:
    if text.text.isascii():
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


def _rejoin_spaced_words(text: Mapped) -> Mapped:
    gaps = [m.span() for m in _HAN_GAP.finditer(text.text)]
    for word in _SPACED_WORD.finditer(text.text):
        offset = word.start()
        gaps.extend((offset + m.start(), offset + m.end()) for m in _NOT_SINGLE.finditer(word[0]))
    return text.deleting(sorted(gaps)) if gaps else text


def _read_leet(text: Mapped) -> Mapped:
    if _LEET_CHARS.isdisjoint(text.text):
        return text
    table = leet()
    return text.same_length(_LEET_TOKEN.sub(lambda m: m[0].translate(table), text.text))


def _single_spaces(text: Mapped) -> Mapped:
    spaced = text.same_length(text.text.translate(_SPACES))
    return spaced.deleting(m.span() for m in _EXTRA_SPACE.finditer(spaced.text))
