"""The legal-ground library: every casework role reads it (shipped grounds and those of the
units they work in or under); unit admins add and edit their unit's own grounds."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.middleware import HtmxDetails

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions.grounds import GROUND_FIELDS, LegalGroundError, save_legal_ground
from frontstage.cases.models import Category, LegalGround
from frontstage.units.models import Unit
from frontstage.units.scope import ADMINISTRATION, CASEWORK, unit_ids
from frontstage.units.tree import ancestors

PAGE_SIZE = 50


@console_view("console.enter")
def legal_grounds(request: HttpRequest) -> HttpResponse:
    """The library, filtered by category, jurisdiction and a search of reference and title."""
    if not _may_read(request):
        raise PermissionDenied
    grounds = _readable(request).select_related("category", "unit")
    category = request.GET.get("category", "")
    if category:
        grounds = grounds.filter(category__code=category)
    jurisdiction = request.GET.get("jurisdiction", "").strip()
    if jurisdiction:
        grounds = grounds.filter(jurisdiction__iexact=jurisdiction)
    query = request.GET.get("q", "").strip()
    if query:
        grounds = grounds.filter(
            Q(reference__icontains=query)
            | Q(title_en__icontains=query)
            | Q(title_zh__icontains=query)
        )
    context = {
        "page": Paginator(grounds, PAGE_SIZE).get_page(request.GET.get("page")),
        "categories": Category.objects.filter(active=True),
        "jurisdictions": _readable(request)
        .order_by()
        .values_list("jurisdiction", flat=True)
        .distinct(),
        "category": category,
        "jurisdiction": jurisdiction,
        "q": query,
        "may_add": request.user.has_perm("cases.add_legalground"),
        "editable": unit_ids(request.user, ADMINISTRATION),
    }
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    template = "cases/grounds/list.html#results" if htmx else "cases/grounds/list.html"
    return render(request, template, context)


@console_view("cases.add_legalground")
def legal_ground_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@console_view("cases.change_legalground")
def legal_ground_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ground = get_object_or_404(LegalGround.objects.select_related("category", "unit"), pk=pk)
    if not _readable(request).filter(pk=pk).exists():
        raise Http404
    if ground.unit_id is None or not request.user.has_perm("cases.change_legalground", ground):
        raise PermissionDenied  # shipped grounds, and those of units above, are read-only
    return _edit(request, ground)


class GroundForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Unit"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(), label=gettext_lazy("Category")
    )
    jurisdiction = forms.CharField(
        label=gettext_lazy("Jurisdiction"), max_length=40, help_text=gettext_lazy("e.g. CN-GD")
    )
    reference = forms.CharField(label=gettext_lazy("Statute reference"), max_length=300)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300)
    title_zh = forms.CharField(
        label=gettext_lazy("Title (Chinese)"), max_length=300, required=False
    )
    elements_en = forms.CharField(
        label=gettext_lazy("Elements to establish (English)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line; a decision on this ground must establish each."),
    )
    elements_zh = forms.CharField(
        label=gettext_lazy("Elements to establish (Chinese)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    # A plain text field: the action checks the scheme and says how to fix it.
    url = forms.CharField(label=gettext_lazy("Reference URL"), max_length=500, required=False)
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=unit_ids(request.user, ADMINISTRATION))
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        usable = {a for u in units for a in ancestors(parents, u.pk)}
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = units
        category_field: Any = self.fields["category"]
        category_field.queryset = Category.objects.filter(
            Q(unit=None) | Q(unit_id__in=usable), active=True
        )


def _edit(request: HttpRequest, ground: LegalGround | None) -> HttpResponse:
    initial = {f: getattr(ground, f) for f in GROUND_FIELDS} if ground else {"active": True}
    form = GroundForm(request.POST or None, initial=initial, request=request)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if not request.user.has_perm("cases.add_legalground", values["unit"]):
            raise PermissionDenied
        try:
            saved = save_legal_ground(ground=ground, by=acting_staff(request), **values)
        except LegalGroundError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Legal ground “%(ground)s” saved.") % {"ground": saved})
            return redirect("console:legal_grounds")
    return render(request, "cases/grounds/edit.html", {"form": form, "ground": ground})


def _may_read(request: HttpRequest) -> bool:
    user = request.user
    return user.has_perm("cases.view_legalground") or user.has_perm("cases.add_legalground")


def _readable(request: HttpRequest) -> QuerySet[LegalGround]:
    """Shipped grounds, and those of the units the person works in, below or above them (a
    national ground applies in every region)."""
    scope = unit_ids(request.user, CASEWORK | ADMINISTRATION)
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    units = {a for u in scope for a in ancestors(parents, u)}
    return LegalGround.objects.filter(Q(unit=None) | Q(unit_id__in=units))


urlpatterns: list[URLPattern] = [
    path("legal-grounds/", legal_grounds, name="legal_grounds"),
    path("legal-grounds/new/", legal_ground_add, name="legal_ground_add"),
    path("legal-grounds/<int:pk>/", legal_ground_edit, name="legal_ground_edit"),
]
