from frontstage.units.models import Unit, UnitLevel
from frontstage.units.tree import route


def unit_for_region(code: str) -> Unit:
    """The unit that handles reports from region `code`; the national unit when no unit
    covers the code or any region enclosing it."""
    rows = list(Unit.objects.values_list("id", "parent_id", "region_codes"))
    parents = {unit_id: parent_id for unit_id, parent_id, _codes in rows}
    codes = {unit_id: unit_codes for unit_id, _parent, unit_codes in rows}
    unit_id = route(code, parents, codes) if code.strip() else None
    if unit_id is None:
        return national_unit()
    return Unit.objects.get(pk=unit_id)


def national_unit() -> Unit:
    unit = Unit.objects.filter(parent=None, level=UnitLevel.NATIONAL).order_by("id").first()
    if unit is None:
        raise Unit.DoesNotExist("No national unit exists yet; create one first.")
    return unit
