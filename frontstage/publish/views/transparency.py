"""Transparency reports: the public pages and downloads of published reports (staff of the
unit also see drafts there), and the console page where reports are built and published."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions.core import CaseError
from frontstage.publish.actions.reports import build_report, period_of, publish_report
from frontstage.publish.events import compute_for
from frontstage.publish.figures import FIGURES, PeriodError, parse_period, rows_csv, to_csv, to_json
from frontstage.publish.models import TransparencyReport
from frontstage.publish.pdf import render_pdf
from frontstage.publish.report_page import report_context
from frontstage.units.models import Unit
from frontstage.units.scope import CASEWORK, OVERSIGHT, PUBLISHING, unit_ids

PAGE_SIZE = 25
PERIOD = r"(?P<period>\d{4}(?:-[QqHh]\d)?)"
UNIT = r"^u/(?P<slug>[-\w]+)/transparency/"


def _visible(request: HttpRequest, slug: str, period: str) -> TransparencyReport:
    """The report, if published, or a draft to staff who may view it; else 404."""
    try:
        label = parse_period(period).label
    except PeriodError:
        raise Http404 from None
    report = get_object_or_404(
        TransparencyReport.objects.select_related("unit"), unit__slug=slug, period=label
    )
    if report.published_at is None and not request.user.has_perm(
        "publish.view_transparencyreport", report
    ):
        raise Http404
    return report


def report_page(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    report = _visible(request, slug, period)
    return render(request, "publish/transparency/report.html", report_context(report))


def download(request: HttpRequest, slug: str, period: str, fmt: str) -> HttpResponse:
    """The report as PDF, CSV (figure, breakdown, value) or JSON (figures and digest)."""
    report = _visible(request, slug, period)
    name = f"transparency-{report.unit.slug}-{report.period}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(render_pdf(report), content_type="application/pdf")
    elif fmt == "csv":
        response = HttpResponse(to_csv(report.figures), content_type="text/csv; charset=utf-8")
    else:
        body = to_json(report.figures)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def rows(request: HttpRequest, slug: str, period: str, figure: str) -> HttpResponse:
    """The event rows behind one figure, recomputed from the event log (case references,
    times and breakdown keys: never subjects or texts)."""
    report = _visible(request, slug, period)
    if figure not in FIGURES:
        raise Http404
    computed = compute_for(report.unit, parse_period(report.period))
    response = HttpResponse(rows_csv(computed.rows[figure]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="transparency-{report.unit.slug}-{report.period}-{figure}.csv"'
    )
    # The digest of the figures as recomputed now: equal to the report's unless the log changed.
    response["X-Figures-Digest"] = computed.digest
    return response


def unit_reports(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=slug)
    published = TransparencyReport.objects.filter(unit=unit, published_at__isnull=False)
    published = published.order_by("-period")
    page = Paginator(published, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publish/transparency/index.html", {"unit": unit, "page": page})


class BuildForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Unit"))
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=10,
        help_text=gettext_lazy("A quarter, a half-year or a year: 2026-Q3, 2026-H1 or 2026."),
    )

    def __init__(self, *args: Any, units: frozenset[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = Unit.objects.filter(pk__in=units).order_by("slug")

    def clean_period(self) -> str:
        try:
            return period_of(self.cleaned_data["period"]).label
        except CaseError as error:
            raise forms.ValidationError(str(error)) from None


@console_view("publish.view_transparencyreport")
def console_list(request: HttpRequest) -> HttpResponse:
    """Reports of the person's units and, for those who may build, the form to build one."""
    builders = unit_ids(request.user, PUBLISHING | OVERSIGHT)
    form = BuildForm(request.POST or None, units=builders) if builders else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                report = build_report(
                    unit=form.cleaned_data["unit"],
                    period=form.cleaned_data["period"],
                    by=acting_staff(request),
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The draft is built. Check it, then publish it."))
                return redirect("console:transparency_report", report.pk)
    scope = unit_ids(request.user, CASEWORK | OVERSIGHT)
    reports = (
        TransparencyReport.objects.filter(unit_id__in=scope)
        .select_related("unit")
        .order_by("-period", "unit__slug")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page": page}
    return render(request, "publish/transparency/console.html", context, status=status)


@console_view("publish.view_transparencyreport")
def console_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A report as its staff see it; a publisher of its unit publishes it here."""
    report = get_object_or_404(
        TransparencyReport.objects.select_related("unit", "published_by"), pk=pk
    )
    if not request.user.has_perm("publish.view_transparencyreport", report):
        raise Http404
    can_publish = request.user.has_perm("publish.publish_transparencyreport", report)
    errors: list[str] = []
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        try:
            publish_report(report=report, by=acting_staff(request))
        except CaseError as error:
            errors.append(str(error))
        else:
            messages.success(request, _("The report is published on the unit's channel."))
            return redirect("console:transparency_report", report.pk)
    context = {
        **report_context(report),
        "errors": errors,
        "can_publish": can_publish,
        "can_build": request.user.has_perm("publish.build_transparencyreport", report),
    }
    status = 400 if errors else 200
    return render(request, "publish/transparency/console_report.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("u/<slug:slug>/transparency/", unit_reports, name="transparency_reports"),
    re_path(UNIT + PERIOD + r"/$", report_page, name="transparency_report"),
    re_path(UNIT + PERIOD + r"\.(?P<fmt>pdf|csv|json)$", download, name="transparency_download"),
    re_path(UNIT + PERIOD + r"/rows/(?P<figure>[a-z_]+)\.csv$", rows, name="transparency_rows"),
]
console_urlpatterns: list[URLPattern] = [
    path("transparency/", console_list, name="transparency"),
    path("transparency/<int:pk>/", console_report, name="transparency_report"),
]
