"""The queue: cases of the person's units, filtered, most urgent first, and "take next"."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions.queue import due_soon, in_queue_order, overdue, take_next_case
from frontstage.cases.clocks import ClockState, clock_state
from frontstage.cases.models import Case, CaseStatus, Category, Severity
from frontstage.intake.models import Report, ReportSource
from frontstage.units.scope import CASEWORK, unit_ids

PAGE_SIZE = 50
OPEN = ""  # the default status filter: every case that is not closed
ANY = "all"
SOURCE_ORDER = list(ReportSource.values)


@dataclass(frozen=True)
class Filters:
    """The queue's filters, each a known value or empty (unknown values are dropped)."""

    status: str = OPEN
    category: str = ""
    severity: str = ""
    source: str = ""
    clock: str = ""
    assignee: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "Filters":
        def pick(name: str, allowed: Collection[str]) -> str:
            value = str(query.get(name, "")).strip()
            return value if value in allowed else ""

        return cls(
            status=pick("status", {ANY, *CaseStatus.values}),
            category=str(query.get("category", "")).strip()[:50],
            severity=pick("severity", Severity.values),
            source=pick("source", ReportSource.values),
            clock=pick("clock", {ClockState.OVERDUE, ClockState.DUE_SOON}),
            assignee=pick("assignee", {"me", "nobody"}),
        )


def filtered(cases: QuerySet[Case], f: Filters, *, user: Any, now: datetime) -> QuerySet[Case]:
    """`cases` narrowed by every filter but the status (the status counts need the rest)."""
    if f.category:
        cases = cases.filter(category__code=f.category)
    if f.severity:
        cases = cases.filter(severity=f.severity)
    if f.source:
        cases = cases.filter(sources__contains=f",{f.source},")
    if f.clock == ClockState.OVERDUE:
        cases = cases.filter(overdue(now))
    elif f.clock == ClockState.DUE_SOON:
        cases = cases.filter(due_soon(now))
    if f.assignee == "me":
        cases = cases.filter(assignee=user)
    elif f.assignee == "nobody":
        cases = cases.filter(assignee__isnull=True)
    return cases


def by_status(cases: QuerySet[Case], status: str) -> QuerySet[Case]:
    if status == OPEN:
        return cases.exclude(status=CaseStatus.CLOSED)
    if status == ANY:
        return cases
    return cases.filter(status=status)


@console_view("cases.view_case")
def case_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    f = Filters.from_query(request.GET)
    scoped = Case.objects.filter(unit_id__in=unit_ids(request.user, CASEWORK))
    narrowed = filtered(scoped, f, user=request.user, now=now)
    counts = dict(narrowed.order_by().values_list("status").annotate(n=Count("pk")))
    cases = in_queue_order(by_status(narrowed, f.status), now).select_related(
        "unit", "category", "assignee"
    )
    paginator = Paginator(cases, PAGE_SIZE)
    # The status counts already hold the total: no second count over the same rows.
    paginator.count = _total(counts, f.status)
    page = paginator.get_page(request.GET.get("page"))
    sources = _sources_of([case.pk for case in page.object_list])
    for case in page.object_list:
        case.clock = current_clock(case, now)
        case.sources = sorted(sources.get(case.pk, ()), key=SOURCE_ORDER.index)
    context = {
        "page": page,
        "filters": f,
        "statuses": CaseStatus.choices,
        "status_counts": [
            (value, label, counts.get(value, 0)) for value, label in CaseStatus.choices
        ],
        "open_count": sum(n for s, n in counts.items() if s != CaseStatus.CLOSED),
        "categories": Category.objects.filter(active=True),
        "severities": Severity.choices,
        "sources": ReportSource.choices,
        "may_take": request.user.has_perm("cases.assign_case"),
        # The names the existing template and tests know.
        "status": f.status,
        "category": f.category,
    }
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    template = "cases/case_list.html#results" if htmx else "cases/case_list.html"
    return render(request, template, context)


def _total(counts: dict[str, int], status: str) -> int:
    if status == OPEN:
        return sum(n for s, n in counts.items() if s != CaseStatus.CLOSED)
    if status == ANY:
        return sum(counts.values())
    return counts.get(status, 0)


def _sources_of(case_ids: list[int]) -> dict[int, set[str]]:
    """The report sources of the cases on a page, in one query over those cases only."""
    found: dict[int, set[str]] = {}
    rows = Report.objects.filter(case_id__in=case_ids).values_list("case_id", "source")
    for case_id, source in rows.order_by().distinct():
        found.setdefault(case_id, set()).add(source)
    return found


@require_POST
@console_view("cases.assign_case")
def take_next(request: HttpRequest) -> HttpResponse:
    """Give the person the most urgent unassigned case of their units and open it."""
    case = take_next_case(by=acting_staff(request))
    if case is None:
        messages.info(request, _("Nothing to take: every open case of your units has someone."))
        return redirect("console:cases")
    messages.success(request, _("%(case)s is yours now.") % {"case": case.reference})
    return redirect("console:case", case.pk)


@dataclass(frozen=True)
class ClockView:
    """One clock of a case as pages show it. `kind` is "acknowledge" or "decide"."""

    kind: str
    due: datetime | None
    met_at: datetime | None
    state: ClockState | None


def case_clocks(case: Case, now: datetime) -> list[ClockView]:
    """Both clocks of `case`; a clock without a due time (a case older than the clocks) has
    no state."""
    found = []
    for kind, due, met in (
        ("acknowledge", case.acknowledge_by, case.acknowledged_at),
        ("decide", case.decide_by, case.decided_at),
    ):
        state = clock_state(now, due, met, started=case.opened_at) if due else None
        if case.status == CaseStatus.CLOSED and state is not ClockState.MET:
            state = None  # a case closed without a decision (merged) has nothing left to meet
        found.append(ClockView(kind, due, met, state))
    return found


def current_clock(case: Case, now: datetime) -> ClockView | None:
    """The clock the queue shows: the first not yet met, or None when all are met."""
    return next((c for c in case_clocks(case, now) if c.state not in (None, ClockState.MET)), None)


def clocks_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's clocks part needs (cases/parts/clocks.html)."""
    return {"clocks": case_clocks(case, timezone.now())}
