"""Every change to units."""

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.lib.actors import Actor
from frontstage.units.models import Unit, UnitLevel
from frontstage.units.tree import descendants

REGION_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,10})*$")
UNIT_FIELDS = (
    "slug",
    "parent",
    "level",
    "name_en",
    "name_zh",
    "region_codes",
    "channel_handle",
    "channel_display_name",
    "channel_about_en",
    "channel_about_zh",
)


class UnitError(ValueError):
    """A unit change that would break the tree or its region codes; the message says how."""


def clean_region_codes(codes: Iterable[str]) -> list[str]:
    """Region codes upper-cased, deduplicated and sorted; raises UnitError naming a bad one."""
    cleaned = sorted({code.strip().upper() for code in codes if code.strip()})
    for code in cleaned:
        if not REGION_CODE.match(code):
            raise UnitError(
                _(
                    "“%(code)s” is not a region code; use a country code such as “CN” or a code "
                    "below it such as “CN-GD” or “CN-GD-SZ”."
                )
                % {"code": code}
            )
    return cleaned


def create_unit(
    *,
    slug: str,
    level: str,
    name_en: str,
    name_zh: str,
    parent: Unit | None = None,
    region_codes: Iterable[str] = (),
    channel_handle: str = "",
    channel_display_name: str = "",
    channel_about_en: str = "",
    channel_about_zh: str = "",
    by: Actor,
) -> Unit:
    unit = Unit(
        slug=slug,
        level=UnitLevel(level),
        parent=parent,
        name_en=name_en,
        name_zh=name_zh,
        region_codes=clean_region_codes(region_codes),
        channel_handle=channel_handle or slug,
        channel_display_name=channel_display_name or name_en,
        channel_about_en=channel_about_en,
        channel_about_zh=channel_about_zh,
    )
    check_place(unit)
    with transaction.atomic():
        unit.save()
        record(by=by, action="unit.created", obj=unit, unit=unit, payload=_snapshot(unit))
    return unit


def update_unit(*, unit: Unit, by: Actor, **changes: object) -> Unit:
    """Change any of UNIT_FIELDS; records the fields that changed with their old values."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"update_unit() got unknown fields {sorted(unknown)}")
    if "region_codes" in changes:
        changes["region_codes"] = clean_region_codes(changes["region_codes"])  # type: ignore[arg-type]
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        before = _snapshot(unit)
        for field, value in changes.items():
            setattr(unit, field, value)
        check_place(unit)
        after = _snapshot(unit)
        changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if changed:
            unit.save()
            record(by=by, action="unit.changed", obj=unit, unit=unit, payload=changed)
    return unit


def check_place(unit: Unit) -> None:
    if unit.level == UnitLevel.NATIONAL:
        if unit.parent_id is not None:
            raise UnitError(_("A national unit has no parent unit."))
        return
    if unit.parent_id is None:
        raise UnitError(_("A regional or local unit needs a parent unit."))
    if unit.pk is not None:
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        if unit.parent_id in descendants(parents, [unit.pk]):
            raise UnitError(_("A unit cannot be placed below itself."))


def _snapshot(unit: Unit) -> dict[str, object]:
    values = {field: getattr(unit, field) for field in UNIT_FIELDS if field != "parent"}
    values["parent"] = unit.parent.slug if unit.parent else None
    return values
