"""Reads the parts of a rule file into engine objects, or says in words what is wrong."""

import re
from collections.abc import Mapping
from typing import Any

from frontstage.patrol.engine import conditions as c
from frontstage.patrol.engine.keywords import KeywordSet
from frontstage.patrol.engine.rule import Rule, TextPattern, primary_language
from frontstage.patrol.engine.vocabulary import ENTITY_GROUPS, Category, EntityKind, Layer, Mode

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_RULE_KEYS = {"id", "version", "category", "languages", "score", "mode", "title", "when", "unless"}
_LEAVES = {"keywords", "pattern", "entity", "url_list", "pdq_list", "classifier"}
_BRANCHES = {"all", "any", "not"}


class Invalid(ValueError):
    """One problem, worded for the person who wrote the file."""


def _choices(enum: type[Category] | type[Mode] | type[Layer]) -> str:
    return ", ".join(member.value for member in enum)


def names(raw: object, what: str) -> tuple[str, ...]:
    """A name or a list of names (YAML reads a bare `no` or `on` as a boolean: quote those)."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise Invalid(f"{what} must be a name or a non-empty list of names (quoted if need be)")
    return tuple(items)


def parse_rule(raw: object, file: str) -> Rule:
    if not isinstance(raw, Mapping):
        raise Invalid("a rule must be a mapping with id, version, category, score, mode, when")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise Invalid(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise Invalid(f"id {rule_id!r} must be lower-case letters, digits, '.', '_' or '-'")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Invalid(f"version {version!r} must be a whole number from 1 up")
    score = raw.get("score")
    if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 1:
        raise Invalid(f"score {score!r} must be a number from 0 to 1")
    category = _member(Category, raw.get("category"), "category")
    when = parse_condition(raw.get("when"))
    unless = parse_condition(raw["unless"]) if raw.get("unless") is not None else None
    if category is Category.CHILD_SEXUAL_ABUSE:
        _only_hash_lists(when, unless)
    languages = names(raw["languages"], "languages") if "languages" in raw else ()
    title = raw.get("title", "")
    if not isinstance(title, str):
        raise Invalid("title must be text")
    return Rule(
        id=rule_id,
        version=version,
        category=category,
        languages=frozenset(primary_language(tag) for tag in languages),
        score=float(score),
        mode=_member(Mode, raw.get("mode"), "mode"),
        when=when,
        unless=unless,
        title=title,
        file=file,
    )


def _member(enum: Any, value: object, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise Invalid(f"{what} {value!r} is not one of: {_choices(enum)}") from None


def _only_hash_lists(when: c.Condition, unless: c.Condition | None) -> None:
    # Known abuse material is flagged on a hash match only; words never decide it.
    if unless is not None or not all(isinstance(x, c.PdqList) for x in c.leaves(when)):
        raise Invalid("a child_sexual_abuse rule may test pdq_list only, with no unless")


def parse_condition(raw: object) -> c.Condition:
    if isinstance(raw, list):
        return c.AllOf(tuple(parse_condition(item) for item in raw))
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise Invalid(
            f"a condition is one of {', '.join(sorted(_LEAVES | _BRANCHES))} "
            f"with its value, e.g. {{keywords: [set_name]}}; got {raw!r}"
        )
    ((key, value),) = raw.items()
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise Invalid(f"`{key}` takes a non-empty list of conditions")
        children = tuple(parse_condition(item) for item in value)
        return c.AllOf(children) if key == "all" else c.AnyOf(children)
    if key == "not":
        return c.NotOf(parse_condition(value))
    if key == "keywords":
        return _keywords(value)
    if key == "entity":
        return c.Entity(_entity_kinds(value))
    if key == "pattern":
        return c.Pattern(names(value, "pattern"))
    if key == "url_list":
        return c.UrlList(names(value, "url_list"))
    if key == "pdq_list":
        return c.PdqList(names(value, "pdq_list"))
    if key == "classifier":
        return _classifier(value)
    raise Invalid(
        f"unknown condition `{key}` (use one of {', '.join(sorted(_LEAVES | _BRANCHES))})"
    )


def _keywords(value: object) -> c.Keywords:
    if not isinstance(value, Mapping):
        return c.Keywords(names(value, "keywords"))
    at_least = value.get("at_least", 1)
    if set(value) - {"sets", "at_least"} or not isinstance(at_least, int) or at_least < 1:
        raise Invalid("keywords takes set names, or {sets: [...], at_least: N} with N ≥ 1")
    return c.Keywords(names(value.get("sets"), "keywords.sets"), at_least)


def _classifier(value: object) -> c.ClassifierScore:
    """`{category: scam_fraud}` (the model's threshold) or `{category: ..., min: 0.9}`."""
    if not isinstance(value, Mapping) or set(value) - {"category", "min"}:
        raise Invalid("classifier takes {category: CODE} or {category: CODE, min: 0–1}")
    category = _member(Category, value.get("category"), "classifier category")
    if category is Category.CHILD_SEXUAL_ABUSE:
        raise Invalid("the classifier has no child_sexual_abuse head: that is by hash only")
    minimum = value.get("min")
    if minimum is not None and (
        not isinstance(minimum, int | float) or isinstance(minimum, bool) or not 0 <= minimum <= 1
    ):
        raise Invalid(f"classifier min {minimum!r} must be a number from 0 to 1")
    return c.ClassifierScore(category, None if minimum is None else float(minimum))


def _entity_kinds(value: object) -> frozenset[EntityKind]:
    kinds: set[EntityKind] = set()
    for name in names(value, "entity"):
        if name in ENTITY_GROUPS:
            kinds |= ENTITY_GROUPS[name]
            continue
        try:
            kinds.add(EntityKind(name))
        except ValueError:
            known = [k.value for k in EntityKind] + sorted(ENTITY_GROUPS)
            raise Invalid(f"entity {name!r} is not one of: {', '.join(known)}") from None
    return frozenset(kinds)


def parse_keyword_set(name: str, raw: object) -> KeywordSet:
    """`name: [words]`, or `name: {words: [...], not_within: [...], languages: [...]}`."""
    spec = {"words": raw} if isinstance(raw, list) else raw
    if not isinstance(spec, Mapping) or set(spec) - {"words", "not_within", "languages"}:
        raise Invalid("a keyword set is a list of words or {words, not_within, languages}")
    words = names(spec.get("words"), "words")
    not_within = names(spec["not_within"], "not_within") if "not_within" in spec else ()
    return KeywordSet(name, words, not_within)


def parse_pattern(name: str, raw: object) -> TextPattern:
    """`name: regex`, or `name: {regex: ..., layer: plain|skeleton}` (skeleton by default;
    matched case-insensitively)."""
    spec = {"regex": raw} if isinstance(raw, str) else raw
    if not isinstance(spec, Mapping) or set(spec) - {"regex", "layer"}:
        raise Invalid("a pattern is a regex or {regex, layer}")
    layer = _member(Layer, spec.get("layer", Layer.SKELETON.value), "layer")
    try:
        regex = re.compile(str(spec.get("regex")), re.IGNORECASE)
    except re.error as error:
        raise Invalid(f"regex does not compile: {error}") from None
    if regex.match(""):
        raise Invalid("regex matches the empty string, so it would match every post")
    return TextPattern(name, regex, layer)
