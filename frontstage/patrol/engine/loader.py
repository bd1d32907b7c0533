"""Rule packs from a directory of YAML files: every problem found, each named by file and
rule, in one error — a pack is used whole or not at all.

A file may hold any of: `keywords` (sets by name), `patterns`, `url_lists`, `pdq_lists`,
`rules`. Names are shared across the files of a pack and must be unique in it.
"""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from frontstage.lib.safe_browsing import NotAUrl
from frontstage.patrol.engine.classifier import Scorer
from frontstage.patrol.engine.hash_lists import PdqList
from frontstage.patrol.engine.normalise import skeleton
from frontstage.patrol.engine.pack import RulePack
from frontstage.patrol.engine.rule import Rule
from frontstage.patrol.engine.schema import Invalid, parse_keyword_set, parse_pattern, parse_rule
from frontstage.patrol.engine.url_lists import UrlList, list_expression

_SECTIONS = ("keywords", "patterns", "url_lists", "pdq_lists", "rules")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RulePackError(ValueError):
    """The pack cannot be used; `problems` holds one sentence per problem, file first."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def load_pack(
    directory: Path | str, *, region: str | None = None, classifier: Scorer | None = None
) -> RulePack:
    """The pack in `directory` (every *.yaml file; list files are read relative to it).
    Without a `classifier`, rules that test one never hold."""
    base = Path(directory)
    return build_pack(read_documents(base), base=base, region=region, classifier=classifier)


def read_documents(directory: Path) -> list[tuple[str, object]]:
    """(file name, parsed YAML) of every rule file in `directory`, by name."""
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise RulePackError([f"{directory}: no rule files (*.yaml) in this directory"])
    documents: list[tuple[str, object]] = []
    problems: list[str] = []
    for path in files:
        try:
            documents.append((path.name, yaml.load(path.read_text("utf-8"), Loader=_Loader)))  # noqa: S506 - a safe loader
        except yaml.YAMLError as error:
            problems.append(f"{path.name}: not valid YAML: {error}")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path.name}: cannot be read: {error}")
    if problems:
        raise RulePackError(problems)
    return documents


def build_pack(
    documents: Sequence[tuple[str, object]],
    *,
    base: Path | None = None,
    region: str | None = None,
    classifier: Scorer | None = None,
) -> RulePack:
    """The pack made of already-parsed documents, given as (file name, content)."""
    reader = _Reader(base or Path.cwd())
    for file, document in documents:
        reader.read(file, document)
    reader.check_references()
    if reader.problems:
        raise RulePackError(reader.problems)
    return RulePack(
        rules=reader.rules,
        keyword_sets=reader.sections["keywords"],
        patterns=reader.sections["patterns"],
        url_lists=reader.sections["url_lists"],
        pdq_lists=reader.sections["pdq_lists"],
        region=region,
        classifier=classifier,
    )


class _Reader:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.problems: list[str] = []
        self.rules: list[Rule] = []
        self.sections: dict[str, dict[str, Any]] = {s: {} for s in _SECTIONS if s != "rules"}
        self.defined_in: dict[tuple[str, str], str] = {}

    def read(self, file: str, document: object) -> None:
        if document is None:
            return
        if not isinstance(document, Mapping) or set(document) - set(_SECTIONS):
            self.problems.append(f"{file}: the top level may only hold {', '.join(_SECTIONS)}")
            return
        parsers: dict[str, Callable[[str, object], Any]] = {
            "keywords": _keyword_set,
            "patterns": parse_pattern,
            "url_lists": lambda name, raw: UrlList(name, self._entries(raw, _url_entry)),
            "pdq_lists": lambda name, raw: PdqList.from_lines(name, self._entries(raw, str)),
        }
        for section, parse in parsers.items():
            for name, raw in _mapping(document.get(section), file, section, self.problems):
                self._define(file, section, str(name), parse, raw)
        rules = document.get("rules") or []
        if not isinstance(rules, list):
            self.problems.append(f"{file}: `rules` must be a list")
            return
        for number, raw in enumerate(rules, start=1):
            rule_id = raw.get("id") if isinstance(raw, Mapping) else None
            label = f"rule {rule_id}" if rule_id else f"rule #{number}"
            try:
                rule = parse_rule(raw, file)
            except Invalid as problem:
                self.problems.append(f"{file}: {label}: {problem}")
                continue
            if ("rules", rule.id) in self.defined_in:
                where = self.defined_in["rules", rule.id]
                self.problems.append(f"{file}: rule {rule.id}: id already used in {where}")
                continue
            self.defined_in["rules", rule.id] = file
            self.rules.append(rule)

    def _define(
        self, file: str, section: str, name: str, parse: Callable[[str, object], Any], raw: object
    ) -> None:
        what = f"{section} {name}"
        if (section, name) in self.defined_in:
            where = self.defined_in[section, name]
            self.problems.append(f"{file}: {what}: name already used in {where}")
            return
        self.defined_in[section, name] = file
        try:
            self.sections[section][name] = parse(name, raw)
        except (Invalid, ValueError, OSError) as problem:
            self.problems.append(f"{file}: {what}: {problem}")

    def _entries(self, raw: object, check: Callable[[str], object]) -> list[str]:
        """`{entries: [...], file: path, optional: bool}`: inline entries and/or a file of one
        entry per line (# starts a comment), relative to the rules directory."""
        if not isinstance(raw, Mapping) or set(raw) - {"entries", "file", "optional"}:
            raise Invalid("a list is {entries: [...], file: path, optional: true|false}")
        entries = [str(e) for e in raw.get("entries") or []]
        if raw.get("file"):
            path = self.base / str(raw["file"])
            if path.exists() or not raw.get("optional"):
                lines = path.read_text("utf-8").splitlines()
                entries += [s for line in lines if (s := line.split("#", 1)[0].strip())]
        for entry in entries:
            check(entry)
        return entries

    def check_references(self) -> None:
        for rule in self.rules:
            conditions = [rule.when] + ([rule.unless] if rule.unless else [])
            for section, name in sorted({ref for c in conditions for ref in c.references()}):
                # a definition that failed was reported already; only unknown names are news
                if (section, name) not in self.defined_in:
                    self.problems.append(
                        f"{rule.file}: rule {rule.id}: no {section} named {name!r} in the pack"
                    )


def _keyword_set(name: str, raw: object) -> Any:
    keyword_set = parse_keyword_set(name, raw)
    empty = [w for w in (*keyword_set.words, *keyword_set.not_within) if not skeleton(w)]
    if empty:
        raise Invalid(f"{empty[0]!r} is empty once normalised (only spaces or invisibles)")
    return keyword_set


def _url_entry(entry: str) -> str:
    try:
        return list_expression(entry)
    except NotAUrl:
        raise Invalid(f"{entry!r} is not a URL or domain") from None


def _mapping(raw: object, file: str, section: str, problems: list[str]) -> list[tuple[Any, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        problems.append(f"{file}: `{section}` must map names to definitions")
        return []
    return list(raw.items())
