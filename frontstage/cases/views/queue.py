from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
