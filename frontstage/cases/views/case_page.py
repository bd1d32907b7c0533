from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from frontstage.accounts.views import console_view
from frontstage.cases.models import Case
from frontstage.cases.views.decisions import decision_context
from frontstage.cases.views.evidence import evidence_context
from frontstage.cases.views.queue import clocks_context
from frontstage.cases.views.triage import triage_context


@console_view("console.enter")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("unit", "category", "assignee"), pk=pk)
    if not request.user.has_perm("cases.view_case", case):
        raise Http404
    reports = case.reports.select_related("client").prefetch_related(
        "attachments", "messages", "patrol_hits"
    )
    context: dict[str, object] = {
        "case": case,
        "subjects": case.subjects.order_by("kind", "key"),
        "events": case.events.select_related("actor"),
        "reports": reports.order_by("received_at"),
        "may_handle": request.user.has_perm("cases.assign_case", case),
    }
    for part in (clocks_context, triage_context, evidence_context, decision_context):
        context.update(part(request, case))
    return render(request, "cases/case_detail.html", context)
