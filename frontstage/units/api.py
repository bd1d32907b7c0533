from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from frontstage.units.models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    slug: str
    level: str
    parent: str | None
    name_en: str
    name_zh: str
    region_codes: list[str]
    channel_url: str


class ErrorOut(Schema):
    detail: str


@router.get("", response={200: list[UnitOut]}, summary="List the units and their channels")
def list_units(request: HttpRequest) -> list[UnitOut]:
    return [_out(unit) for unit in Unit.objects.select_related("parent").order_by("id")]


@router.get("/{slug}", response={200: UnitOut, 404: ErrorOut}, summary="One unit")
def get_unit(request: HttpRequest, slug: str) -> Status[UnitOut | ErrorOut]:
    unit = Unit.objects.select_related("parent").filter(slug=slug).first()
    if unit is None:
        return Status(404, ErrorOut(detail=f"No unit has the slug “{slug}”."))
    return Status(200, _out(unit))


def _out(unit: Unit) -> UnitOut:
    return UnitOut(
        slug=unit.slug,
        level=unit.level,
        parent=unit.parent.slug if unit.parent else None,
        name_en=unit.name_en,
        name_zh=unit.name_zh,
        region_codes=unit.region_codes,
        channel_url=f"/u/{unit.slug}/",
    )
