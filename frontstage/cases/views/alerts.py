"""Threat-to-life alerts (DSA Art. 18): the page where supervisors acknowledge them. Also
routes the queue's "take next", since the console's URL table wires this module's patterns."""

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions.core import CaseError
from frontstage.cases.actions.queue import acknowledge_alert
from frontstage.cases.models import Alert
from frontstage.cases.views import queue
from frontstage.units.scope import CASEWORK, unit_ids

PAGE_SIZE = 50


@console_view("cases.view_case")
def alert_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/alerts.html", {"page": _page(request)})


def _page(request: HttpRequest) -> Page:
    """Open alerts of the person's units first (oldest first: they waited longest), then the
    acknowledged ones, latest first. Everyone in casework sees them; supervisors act."""
    alerts = (
        Alert.objects.filter(unit_id__in=unit_ids(request.user, CASEWORK))
        .select_related("case", "unit", "acknowledged_by")
        .order_by(F("acknowledged_at").desc(nulls_first=True), F("raised_at").asc())
    )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    for alert in page.object_list:
        alert.may_acknowledge = request.user.has_perm("cases.acknowledge_alert", alert)
    return page


@require_POST
@console_view("cases.view_case")
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.select_related("case", "unit"), pk=pk)
    if not request.user.has_perm("cases.view_case", alert):
        raise Http404
    note = request.POST.get("note", "")[:2000]
    error = ""
    try:
        alert = acknowledge_alert(alert=alert, by=acting_staff(request), note=note)
    except CaseError as refused:
        error = str(refused)
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    if not error and not htmx:
        return redirect("console:alerts")
    alert.may_acknowledge = request.user.has_perm("cases.acknowledge_alert", alert)  # type: ignore[attr-defined]
    context = {"alert": alert, "error": error, "error_for": alert.pk, "note": note}
    if htmx:
        return render(request, "cases/alerts.html#alert", context)
    # Without htmx, a refusal shows the page again with the message beside the form.
    context["page"] = _page(request)
    return render(request, "cases/alerts.html", context, status=400)


urlpatterns: list[URLPattern] = [
    path("alerts/", alert_list, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", acknowledge, name="acknowledge_alert"),
    path("cases/next/", queue.take_next, name="take_next"),
]
