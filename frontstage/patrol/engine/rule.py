"""A compiled rule and a compiled pattern, as the loader builds them from rule files."""

import re
from dataclasses import dataclass

from frontstage.patrol.engine.conditions import Condition
from frontstage.patrol.engine.vocabulary import Category, Layer, Mode


@dataclass(frozen=True)
class Rule:
    """`languages` empty means every language; `unless` true suppresses the rule (the hard
    negatives: warnings about scams, news of drug seizures, licensed shooting clubs…)."""

    id: str
    version: int
    category: Category
    languages: frozenset[str]
    score: float
    mode: Mode
    when: Condition
    unless: Condition | None
    title: str
    file: str

    def applies_to(self, lang: str | None) -> bool:
        return not self.languages or lang is None or primary_language(lang) in self.languages


@dataclass(frozen=True)
class TextPattern:
    name: str
    regex: re.Pattern[str]
    layer: Layer


def primary_language(tag: str) -> str:
    """`zh-Hant-TW` → `zh`: rules are written per language, not per script or region (the
    text is turned Simplified before matching)."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()
