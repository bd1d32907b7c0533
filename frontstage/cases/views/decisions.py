"""Console pages of decisions: the case page's decision part, the decision form (with the
ladder's proposal per subject), approvals of severe sanctions by a second supervisor, and the
orders to platforms with their status."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases import ladder
from frontstage.cases.actions.core import CaseError
from frontstage.cases.actions.decisions import (
    SanctionRequest,
    approve_sanction,
    decide,
    reject_sanction,
)
from frontstage.cases.actions.orders import OPEN_STATUSES, ORDER_FOR_SANCTION, host_of
from frontstage.cases.actions.sanction_rules import proposal_for
from frontstage.cases.models import (
    Case,
    CaseStatus,
    DecisionOutcome,
    LegalGround,
    OrderStatus,
    PlatformOrder,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Strike,
    Subject,
)
from frontstage.cases.notify import statement_url
from frontstage.units.scope import CASEWORK, SUPERVISION, lineage, unit_ids

PAGE_SIZE = 50
DECIDABLE = (CaseStatus.TRIAGED, CaseStatus.IN_REVIEW)


def decision_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's decision part needs: the decisions with their sanctions, statements
    and orders, the subjects' active strikes, and what the viewer may do."""
    decisions = case.decisions.select_related("legal_ground", "decided_by").prefetch_related(
        "sanctions__subject",
        "sanctions__orders",
        "sanctions__statement",
        "sanctions__proposed_by",
        "sanctions__approved_by",
    )
    rows: list[dict[str, Any]] = []
    for decision in decisions:
        sanctions: list[dict[str, Any]] = []
        for sanction in decision.sanctions.all():
            statement = getattr(sanction, "statement", None)
            wants_order = sanction.kind in ORDER_FOR_SANCTION
            sanctions.append(
                {
                    "sanction": sanction,
                    "orders": list(sanction.orders.all()),
                    "statement": statement,
                    "statement_url": statement_url(statement.token) if statement else "",
                    "no_platform": wants_order
                    and sanction.status == SanctionStatus.IN_EFFECT
                    and not sanction.orders.all(),
                    "host": host_of(sanction.subject) or sanction.subject.key,
                }
            )
        rows.append({"decision": decision, "sanctions": sanctions})
    awaiting = any(
        s["sanction"].status == SanctionStatus.AWAITING_APPROVAL
        for r in rows
        for s in r["sanctions"]
    )
    strikes = Strike.objects.filter(
        subject__in=case.subjects.all(), removed_at=None, expires_at__gt=timezone.now()
    ).select_related("subject", "category")
    return {
        "decision_rows": rows,
        "subject_strikes": strikes,
        "may_decide": request.user.has_perm("cases.decide_case", case)
        and case.status in DECIDABLE
        and not awaiting,
        "may_approve": request.user.has_perm("cases.approve_sanction", case),
        "now": timezone.now(),
    }


def _grounds(case: Case) -> list[LegalGround]:
    if case.category is None:
        return []
    return list(
        LegalGround.objects.filter(category=case.category, active=True).filter(
            Q(unit=None) | Q(unit_id__in=lineage(case.unit))
        )
    )


def _subject_rows(case: Case, data: QueryDict | None) -> list[dict[str, Any]]:
    """Per subject: the ladder's proposal and the kinds that fit, with the posted input kept."""
    rows = []
    for subject in case.subjects.order_by("kind", "key"):
        proposal = proposal_for(case, subject)
        kinds = [
            k for k in SanctionKind if k != SanctionKind.PROSECUTE and ladder.fits(k, subject.kind)
        ]
        p = f"-{subject.pk}"
        if data is None:
            values = {
                "kind": proposal.kind or "",
                "days": proposal.days or "",
                "prosecute": proposal.prosecute,
                "reason": "",
                "email": "",
                "language": "en",
            }
        else:
            values = {
                "kind": data.get("kind" + p, ""),
                "days": data.get("days" + p, ""),
                "prosecute": bool(data.get("prosecute" + p)),
                "reason": data.get("reason" + p, ""),
                "email": data.get("email" + p, ""),
                "language": data.get("language" + p, "en"),
            }
        rows.append({"subject": subject, "proposal": proposal, "kinds": kinds, "values": values})
    return rows


def _requests(rows: list[dict[str, Any]]) -> list[SanctionRequest]:
    requests = []
    for row in rows:
        values, subject = row["values"], row["subject"]
        common = {
            "subject": subject,
            "deviation_reason": values["reason"],
            "affected_email": values["email"],
            "affected_language": values["language"],
        }
        if values["kind"]:
            if values["kind"] not in SanctionKind.values:
                raise CaseError(_("Choose a sanction from the list."))
            days = (
                _days(values["days"], subject) if values["kind"] == SanctionKind.SUSPEND else None
            )
            requests.append(SanctionRequest(kind=values["kind"], days=days, **common))
        if values["prosecute"]:
            requests.append(SanctionRequest(kind=SanctionKind.PROSECUTE, **common))
    return requests


def _days(raw: str, subject: Subject) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise CaseError(
            _("Give the suspension of %(subject)s in whole days, e.g. 30.") % {"subject": subject}
        ) from None


@console_view("cases.decide_case")
def decide_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("unit", "category"), pk=pk)
    if not request.user.has_perm("cases.view_case", case):
        raise Http404
    if not request.user.has_perm("cases.decide_case", case):
        messages.error(request, _("Only an analyst or a supervisor of the case's unit decides it."))
        return redirect("console:case", case.pk)
    posted = request.POST if request.method == "POST" else None
    rows = _subject_rows(case, posted)
    error = ""
    if posted is not None:
        try:
            ground_id = posted.get("legal_ground", "")
            ground = (
                LegalGround.objects.filter(pk=int(ground_id)).first()
                if ground_id.isdigit()
                else None
            )
            outcome = posted.get("outcome", "")
            if outcome not in DecisionOutcome.values:
                raise CaseError(_("Choose whether the content violates the law."))
            decide(
                case=case,
                outcome=outcome,
                legal_ground=ground,
                facts=posted.get("facts", ""),
                explanation=posted.get("explanation", ""),
                sanctions=_requests(rows) if outcome == DecisionOutcome.ACTION else [],
                by=acting_staff(request),
            )
        except CaseError as refused:
            error = str(refused)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("console:case", case.pk)
    context = {
        "case": case,
        "grounds": _grounds(case),
        "rows": rows,
        "kinds": SanctionKind,
        "error": error,
        "posted": posted or {},
        "outcomes": DecisionOutcome.choices,
    }
    return render(request, "cases/decisions/decide.html", context, status=422 if error else 200)


def _sanction_for(request: HttpRequest, pk: int) -> Sanction:
    sanction = get_object_or_404(Sanction.objects.select_related("case__unit"), pk=pk)
    if not request.user.has_perm("cases.view_case", sanction.case):
        raise Http404
    return sanction


def _back(request: HttpRequest, sanction: Sanction) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("console:case", sanction.case_id)


@require_POST
@console_view("cases.approve_sanction")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = _sanction_for(request, pk)
    try:
        approve_sanction(
            sanction=sanction, by=acting_staff(request), note=request.POST.get("note", "")
        )
    except CaseError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The sanction is approved and in effect."))
    return _back(request, sanction)


@require_POST
@console_view("cases.approve_sanction")
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = _sanction_for(request, pk)
    try:
        reject_sanction(
            sanction=sanction, by=acting_staff(request), note=request.POST.get("note", "")
        )
    except CaseError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The sanction is rejected; the analyst is shown your note."))
    return _back(request, sanction)


@console_view("cases.approve_sanction")
def approvals(request: HttpRequest) -> HttpResponse:
    """Sanctions awaiting a second supervisor, in the viewer's supervision scope."""
    awaiting = (
        Sanction.objects.filter(
            status=SanctionStatus.AWAITING_APPROVAL,
            case__unit_id__in=unit_ids(request.user, SUPERVISION),
        )
        .select_related(
            "case__unit", "case__category", "subject", "proposed_by", "decision__legal_ground"
        )
        .order_by("proposed_at", "pk")
    )
    page = Paginator(awaiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/decisions/approvals.html", {"page": page})


@console_view("cases.view_order")
def orders(request: HttpRequest) -> HttpResponse:
    """Orders to platforms in the viewer's units; overdue ones (past the deadline, unanswered)
    first."""
    found = PlatformOrder.objects.filter(
        case__unit_id__in=unit_ids(request.user, CASEWORK)
    ).select_related("case", "client")
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        found = found.filter(status=status)
    page = Paginator(found.order_by("deadline", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": OrderStatus.choices,
        "open_statuses": [s.value for s in OPEN_STATUSES],
        "now": timezone.now(),
    }
    return render(request, "cases/decisions/orders.html", context)


urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/decide/", decide_page, name="decide"),
    path("sanctions/<int:pk>/approve/", approve, name="approve_sanction"),
    path("sanctions/<int:pk>/reject/", reject, name="reject_sanction"),
    path("approvals/", approvals, name="approvals"),
    path("orders/", orders, name="orders"),
]
