"""Keyword sets matched in one pass over a post's skeleton by one Aho-Corasick automaton."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from frontstage.patrol.engine.normalise import skeleton

_CJK_FROM = 0x2E80  # from here on, scripts write words without spaces between them
_Span = tuple[int, int, int]  # pattern, start, end: a match while it may still be dropped


@dataclass(frozen=True)
class KeywordSet:
    """`words` are matched as written by a person (the automaton holds their skeletons).
    A match lying inside a match of one of `not_within` is dropped (`冰` inside `冰箱`)."""

    name: str
    words: Sequence[str]
    not_within: Sequence[str] = ()


class KeywordMatch(NamedTuple):
    """A tuple, not a dataclass: a post can hold dozens and each is made in the hot loop."""

    keyword: str  # skeleton form
    start: int  # in the skeleton
    end: int


def _is_word_char(char: str) -> bool:
    return char.isalnum() and ord(char) < _CJK_FROM


class KeywordAutomaton:
    """Built once per rule pack. Latin keywords match whole words only (checked on the
    skeleton after matching); keywords in Chinese script match anywhere."""

    def __init__(self, sets: Mapping[str, KeywordSet]) -> None:
        index: dict[str, int] = {}
        self._members: list[list[str]] = []  # pattern → sets it is a word of
        self._shields: list[list[str]] = []  # pattern → sets it is a not_within phrase of
        for keyword_set in sets.values():
            for words, roles in ((keyword_set.words, True), (keyword_set.not_within, False)):
                for word in words:
                    form = skeleton(word)
                    if not form:
                        raise ValueError(f"keyword {word!r} is empty once normalised")
                    if form not in index:
                        index[form] = len(index)
                        self._members.append([])
                        self._shields.append([])
                    (self._members if roles else self._shields)[index[form]].append(
                        keyword_set.name
                    )
        self._patterns = list(index)
        self._edges = [(_is_word_char(p[0]), _is_word_char(p[-1])) for p in self._patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(self._patterns) if self._patterns else None

    def find(self, text: str) -> dict[str, list[KeywordMatch]]:
        """Matches in `text` (a skeleton) per keyword-set name."""
        if self._automaton is None:
            return {}
        found: dict[str, list[_Span]] = {}
        shields: dict[str, list[_Span]] = {}
        for pattern, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            check_left, check_right = self._edges[pattern]
            if (check_left and start > 0 and _is_word_char(text[start - 1])) or (
                check_right and end < len(text) and _is_word_char(text[end])
            ):
                continue  # a Latin keyword inside a longer word
            for name in self._shields[pattern]:
                shields.setdefault(name, []).append((pattern, start, end))
            for name in self._members[pattern]:
                found.setdefault(name, []).append((pattern, start, end))
        matches: dict[str, list[KeywordMatch]] = {}
        for name, spans in found.items():
            if name in shields:
                spans = [s for s in spans if not _inside_any(s, shields[name])]
            # `刷单` inside `刷单返利` is one finding, not two distinct keywords
            if kept := _outermost(spans):
                matches[name] = [KeywordMatch(self._patterns[p], i, j) for p, i, j in kept]
        return matches


def _inside_any(span: _Span, shields: list[_Span]) -> bool:
    return any(start <= span[1] and span[2] <= end for _, start, end in shields)


def _outermost(spans: list[_Span]) -> list[_Span]:
    if len(spans) == 1:
        return spans
    kept = []
    for span in spans:
        _, start, end = span
        for _, s, e in spans:
            if s <= start and end <= e and (s, e) != (start, end):
                break  # inside another match
        else:
            kept.append(span)
    return kept
