"""Pure functions over the unit tree: descendants and routing by region code."""

from collections.abc import Iterable, Mapping


def descendants(parents: Mapping[int, int | None], roots: Iterable[int]) -> set[int]:
    """The ids of `roots` and every unit below them, given each unit's parent id."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = [root for root in roots if root in parents]
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return found


def ancestors(parents: Mapping[int, int | None], unit_id: int) -> list[int]:
    """`unit_id` followed by its parent, grandparent… up to the root."""
    chain = [unit_id]
    current = parents.get(unit_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def depth(parents: Mapping[int, int | None], unit_id: int) -> int:
    return len(ancestors(parents, unit_id)) - 1


def parent_code(code: str) -> str | None:
    """The enclosing region code: "CN-GD-SZ" → "CN-GD" → "CN" → None."""
    head, sep, _tail = code.rpartition("-")
    return head if sep else None


def route(
    code: str,
    parents: Mapping[int, int | None],
    region_codes: Mapping[int, Iterable[str]],
) -> int | None:
    """The unit that handles `code`: the deepest unit covering it, else the one covering its
    enclosing region, and so on; None when no unit covers any of them (callers fall back to
    the national unit)."""
    covering: dict[str, list[int]] = {}
    for unit_id, codes in region_codes.items():
        for covered in codes:
            covering.setdefault(covered.strip().upper(), []).append(unit_id)
    current: str | None = code.strip().upper()
    while current:
        candidates = covering.get(current)
        if candidates:
            return max(candidates, key=lambda unit_id: (depth(parents, unit_id), -unit_id))
        current = parent_code(current)
    return None
