from collections.abc import Iterable

from frontstage.units.models import Unit, UnitLevel
from frontstage.units.tree import route


def unit_for_region(code: str) -> Unit:
    """The unit that handles reports from region `code`; the national unit when no unit
    covers the code or any region enclosing it."""
    # One query for routing and the answer: the tree is small, and every new case needs it.
    # raw() returns the same rows as Unit.objects.all() for half the CPU time.
    units = {unit.pk: unit for unit in Unit.objects.raw('SELECT * FROM "units_unit" ORDER BY "id"')}
    parents = {unit_id: unit.parent_id for unit_id, unit in units.items()}
    codes = {unit_id: unit.region_codes for unit_id, unit in units.items()}
    unit_id = route(code, parents, codes) if code.strip() else None
    return units[unit_id] if unit_id is not None else _national(units.values())


def national_unit() -> Unit:
    return _national(Unit.objects.filter(parent=None, level=UnitLevel.NATIONAL).order_by("id"))


def _national(units: Iterable[Unit]) -> Unit:
    """The first national unit of `units` (in id order)."""
    for unit in units:
        if unit.parent_id is None and unit.level == UnitLevel.NATIONAL:
            return unit
    raise Unit.DoesNotExist("No national unit exists yet; create one first.")
