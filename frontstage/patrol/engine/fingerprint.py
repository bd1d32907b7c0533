"""What a rule's version stands for. A hit is recorded once per post and rule version, and a
reviewer reads "rule X, version N" as one fixed condition; so a rule must get a new version
whenever its condition changes, or the keyword sets, patterns or lists it names do.

`fingerprints(documents)` digests each rule with everything it names (not its mode or
title: switching a rule to shadow is not a new rule). The shipped pack keeps the digest of
each rule version in `rules/versions.lock`; a test holds the files to it.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence

from frontstage.patrol.engine.schema import parse_rule

_DEFINITIONS = ("keywords", "patterns", "url_lists", "pdq_lists")
_NOT_THE_RULE = frozenset({"version", "mode", "title"})


def fingerprints(documents: Sequence[tuple[str, object]]) -> dict[str, tuple[int, str]]:
    """Rule id → (version, digest) for the rules of a valid pack's documents."""
    definitions: dict[tuple[str, str], object] = {}
    rules: list[tuple[str, Mapping[str, object]]] = []
    for file, document in documents:
        if not isinstance(document, Mapping):
            continue
        for section in _DEFINITIONS:
            for name, raw in (document.get(section) or {}).items():
                definitions[section, str(name)] = raw
        rules += [(file, raw) for raw in document.get("rules") or []]
    result: dict[str, tuple[int, str]] = {}
    for file, raw in rules:
        rule = parse_rule(raw, file)
        conditions = [c for c in (rule.when, rule.unless) if c is not None]
        names = sorted({ref for c in conditions for ref in c.references()})
        payload = {
            "rule": {k: v for k, v in raw.items() if k not in _NOT_THE_RULE},
            "names": [[section, name, definitions.get((section, name))] for section, name in names],
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        result[rule.id] = (rule.version, hashlib.sha256(text.encode()).hexdigest()[:16])
    return result


def lock_text(prints: Mapping[str, tuple[int, str]]) -> str:
    """The lock file: one `id version digest` line per rule, by id."""
    header = "# rule id, version, digest of what the version stands for (engine/fingerprint.py)\n"
    return header + "".join(
        f"{rule_id} {version} {digest}\n" for rule_id, (version, digest) in sorted(prints.items())
    )


def read_lock(text: str) -> dict[str, tuple[int, str]]:
    result: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rule_id, version, digest = line.split()
            result[rule_id] = (int(version), digest)
    return result


def unlocked(
    prints: Mapping[str, tuple[int, str]], lock: Mapping[str, tuple[int, str]]
) -> list[str]:
    """One sentence per rule whose files and lock disagree (empty when they agree)."""
    problems = []
    for rule_id, (version, digest) in sorted(prints.items()):
        locked = lock.get(rule_id)
        if locked == (version, digest):
            continue
        if locked and locked[0] == version:
            problems.append(
                f"rule {rule_id} changed (its condition or a set it names) but keeps version "
                f"{version}: give it version {version + 1}"
            )
        else:
            problems.append(
                f"rule {rule_id} version {version} is not in the lock: its line there reads "
                f"'{rule_id} {version} {digest}'"
            )
    problems += [
        f"rule {rule_id} is in the lock but in no file"
        for rule_id in sorted(set(lock) - set(prints))
    ]
    return problems
