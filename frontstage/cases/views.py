from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django_htmx.middleware import HtmxDetails

from frontstage.accounts.views import console_view
from frontstage.cases.models import Case, CaseStatus, Category
from frontstage.units.scope import CASEWORK, unit_ids

PAGE_SIZE = 50


@console_view("cases.view_case")
def case_list(request: HttpRequest) -> HttpResponse:
    cases = Case.objects.filter(unit_id__in=unit_ids(request.user, CASEWORK)).select_related(
        "unit", "category", "assignee"
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    category = request.GET.get("category", "")
    if category:
        cases = cases.filter(category__code=category)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": CaseStatus.choices,
        "categories": Category.objects.filter(active=True),
        "status": status,
        "category": category,
    }
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    template = "cases/case_list.html#results" if htmx else "cases/case_list.html"
    return render(request, template, context)


@console_view("console.enter")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("unit", "category", "assignee"), pk=pk)
    if not request.user.has_perm("cases.view_case", case):
        raise Http404
    reports = case.reports.select_related("client").prefetch_related(
        "attachments", "messages", "patrol_hits"
    )
    context = {
        "case": case,
        "subjects": case.subjects.order_by("kind", "key"),
        "events": case.events.select_related("actor"),
        "reports": reports.order_by("received_at"),
        "may_handle": request.user.has_perm("cases.assign_case", case),
    }
    return render(request, "cases/case_detail.html", context)
