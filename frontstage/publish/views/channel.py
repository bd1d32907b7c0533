from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path

from frontstage.units.models import Unit
from frontstage.units.tree import ancestors


def home(request: HttpRequest) -> HttpResponse:
    """Every unit's channel, in tree order, indented by depth."""
    units = {unit.pk: unit for unit in Unit.objects.all()}
    parents = {pk: unit.parent_id for pk, unit in units.items()}
    paths = {pk: [units[a].slug for a in reversed(ancestors(parents, pk))] for pk in units}
    entries = [(units[pk], len(paths[pk]) - 1) for pk in sorted(units, key=paths.__getitem__)]
    return render(request, "publish/home.html", {"entries": entries})


def channel(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), slug=slug)
    children = unit.children.order_by("slug")
    return render(request, "publish/channel.html", {"unit": unit, "children": children})


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("u/<slug:slug>/", channel, name="channel"),
]
console_urlpatterns: list[URLPattern] = []
