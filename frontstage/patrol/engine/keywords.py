"""Keyword sets matched in one pass over a post's skeleton by one Aho-Corasick automaton."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ahocorasick_rs

from frontstage.patrol.engine.normalise import skeleton

_CJK_FROM = 0x2E80  # from here on, scripts write words without spaces between them


@dataclass(frozen=True)
class KeywordSet:
    """`words` are matched as written by a person (the automaton holds their skeletons).
    A match lying inside a match of one of `not_within` is dropped (`冰` inside `冰箱`)."""

    name: str
    words: Sequence[str]
    not_within: Sequence[str] = ()


@dataclass(frozen=True)
class KeywordMatch:
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
        found: dict[str, list[KeywordMatch]] = defaultdict(list)
        shields: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for pattern, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if not self._whole_word(pattern, text, start, end):
                continue
            for name in self._shields[pattern]:
                shields[name].append((start, end))
            for name in self._members[pattern]:
                found[name].append(KeywordMatch(self._patterns[pattern], start, end))
        for name, spans in shields.items():
            if name in found:
                found[name] = [m for m in found[name] if not _inside_any(m, spans)]
        # `刷单` inside `刷单返利` is one finding, not two distinct keywords
        return {name: kept for name, matches in found.items() if (kept := _outermost(matches))}

    def _whole_word(self, pattern: int, text: str, start: int, end: int) -> bool:
        check_left, check_right = self._edges[pattern]
        if check_left and start > 0 and _is_word_char(text[start - 1]):
            return False
        return not (check_right and end < len(text) and _is_word_char(text[end]))


def _inside_any(match: KeywordMatch, spans: list[tuple[int, int]]) -> bool:
    return any(start <= match.start and match.end <= end for start, end in spans)


def _outermost(matches: list[KeywordMatch]) -> list[KeywordMatch]:
    spans = [(m.start, m.end) for m in matches]
    return [
        m
        for m in matches
        if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in spans)
    ]
