"""Which units a staff member may act in, and the `rules` predicates built on that.

A role held at a unit applies to that unit and to every unit below it. Every console view and
every admin page asks these predicates; querysets are narrowed with `unit_ids`.
"""

from collections.abc import Iterable
from typing import Any

import rules

from frontstage.accounts.models import Role, RoleKind
from frontstage.units.models import Unit
from frontstage.units.tree import ancestors, descendants

CASEWORK = frozenset(
    {RoleKind.INTAKE_AGENT, RoleKind.ANALYST, RoleKind.SUPERVISOR, RoleKind.PUBLISHER}
)
HANDLING = frozenset({RoleKind.INTAKE_AGENT, RoleKind.ANALYST, RoleKind.SUPERVISOR})
DECIDING = frozenset({RoleKind.ANALYST, RoleKind.SUPERVISOR})
SUPERVISION = frozenset({RoleKind.SUPERVISOR})
PUBLISHING = frozenset({RoleKind.PUBLISHER})
OVERSIGHT = frozenset({RoleKind.AUDITOR, RoleKind.SUPERVISOR})
ADMINISTRATION = frozenset({RoleKind.UNIT_ADMIN})
ANY_ROLE = frozenset(RoleKind)


def unit_ids(user: Any, kinds: Iterable[str] = ANY_ROLE) -> frozenset[int]:
    """Ids of the units where `user` holds one of `kinds`, directly or through a parent unit.
    Superusers hold every role everywhere. Cached on the user object for its request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    key = frozenset(kinds)
    # request.user is a lazy wrapper and permission checks get the person inside it: cache on
    # the person, so both ask the database once.
    owner = getattr(user, "_wrapped", user)
    cache: dict[frozenset[str], frozenset[int]] = owner.__dict__.setdefault("_unit_scope", {})
    if key not in cache:
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        if user.is_superuser:
            cache[key] = frozenset(parents)
        else:
            roots = Role.objects.filter(staff=user, kind__in=key).values_list("unit_id", flat=True)
            cache[key] = frozenset(descendants(parents, roots))
    return cache[key]


def descendants_of(unit: Unit) -> set[int]:
    """Ids of `unit` and every unit below it."""
    return descendants(dict(Unit.objects.values_list("id", "parent_id")), [unit.pk])


def lineage(unit: Unit) -> list[int]:
    """Ids of `unit` and the units above it, nearest first."""
    return ancestors(dict(Unit.objects.values_list("id", "parent_id")), unit.pk)


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's roles change."""
    getattr(user, "_wrapped", user).__dict__.pop("_unit_scope", None)


def unit_of(obj: Any) -> int | None:
    if isinstance(obj, Unit):
        return obj.pk
    return getattr(obj, "unit_id", None)


def holds(kinds: frozenset[str], name: str) -> rules.Predicate:
    """A predicate: with an object, one of `kinds` covers the object's unit; without one, the
    user holds one of `kinds` somewhere (enough to open a list that is then scoped)."""

    def check(user: Any, obj: Any = None) -> bool:
        scope = unit_ids(user, kinds)
        if obj is None:
            return bool(scope)
        return unit_of(obj) in scope

    return rules.predicate(check, name=name)


has_any_role = holds(ANY_ROLE, "has_any_role")
does_casework = holds(CASEWORK, "does_casework")
handles_cases = holds(HANDLING, "handles_cases")
decides_cases = holds(DECIDING, "decides_cases")
supervises = holds(SUPERVISION, "supervises")
publishes = holds(PUBLISHING, "publishes")
oversees = holds(OVERSIGHT, "oversees")
administers = holds(ADMINISTRATION, "administers")
