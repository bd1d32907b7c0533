"""The case page's triage part (category and severity, assignment, notes, merge, split,
referral, escalation, campaign) and the page of incoming referrals.

Each form posts to its own URL, which calls one action and redirects back. A refused change
comes back beside its form with what was typed (kept in the session for the next page), so
nothing typed is lost."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontstage.accounts.models import Staff
from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions import CaseError, assign_case
from frontstage.cases.actions.triage import (
    add_note,
    answer_referral,
    escalate_case,
    merge_cases,
    refer_case,
    set_category_and_severity,
    split_report,
)
from frontstage.cases.models import (
    Case,
    CaseEventKind,
    Category,
    Referral,
    ReferralStatus,
    Severity,
)
from frontstage.cases.related import related_cases
from frontstage.intake.models import Report
from frontstage.units.models import Unit
from frontstage.units.scope import CASEWORK, HANDLING, lineage, unit_ids

FLASH = "triage_form"  # session key: {"case", "form", "error", "data"} of a refused form
PAGE_SIZE = 25


def triage_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's triage part needs, under the one key `triage`."""
    user = request.user
    may_triage = user.has_perm("cases.triage_case", case)
    pending = (
        case.referrals.filter(status=ReferralStatus.PENDING)
        .select_related("to_unit", "from_unit", "requested_by")
        .first()
    )
    flash = request.session.get(FLASH)
    if flash and flash.get("case") == case.pk:
        request.session.pop(FLASH)
    else:
        flash = None
    context: dict[str, Any] = {
        "may_triage": may_triage,
        "notes": case.events.filter(kind=CaseEventKind.NOTE).select_related("actor"),
        "pending": pending,
        "may_answer": pending is not None and pending.to_unit_id in unit_ids(user, HANDLING),
        "campaign": related_cases(case, scope_ids=unit_ids(user, CASEWORK)),
        **_refused(flash),
    }
    if may_triage:
        units = lineage(case.unit)
        context |= {
            "categories": Category.objects.filter(
                Q(unit__isnull=True) | Q(unit_id__in=units), active=True
            ),
            "severities": Severity.choices,
            "handlers": Staff.objects.filter(
                is_active=True, roles__kind__in=HANDLING, roles__unit_id__in=units
            )
            .distinct()
            .order_by("username"),
            "units": Unit.objects.exclude(pk=case.unit_id).order_by("level", "slug"),
            "may_escalate": case.unit.parent_id is not None,
        }
    return {"triage": context}


def _refused(flash: dict[str, Any] | None) -> dict[str, Any]:
    """The refused form for a template: its name, the message, what was typed, and for the
    forms repeated per report or per referral, which one (`split-12` → report 12)."""
    form = flash["form"] if flash else ""
    kind, _dash, number = form.partition("-")
    return {
        "form": kind,
        "error": flash["error"] if flash else "",
        "data": flash["data"] if flash else {},
        "failed_id": int(number) if number.isdigit() else None,
    }


def _case_for(request: HttpRequest, pk: int) -> Case:
    """The case, when the user may triage it: 404 when it is outside their units, 403 when
    they may see it but not change it."""
    case = get_object_or_404(Case.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("cases.triage_case", case):
        if request.user.has_perm("cases.view_case", case):
            raise PermissionDenied
        raise Http404
    return case


Change = Callable[[], "str | tuple[str, Case]"]


def _done(
    request: HttpRequest, case: Case, form: str, change: Change, fields: tuple[str, ...]
) -> HttpResponse:
    """Run `change()`, which returns the success message (and the case to show, when not
    `case`), and redirect to that case; a CaseError goes back beside the form with the input."""
    try:
        result = change()
    except CaseError as error:
        request.session[FLASH] = {
            "case": case.pk,
            "form": form,
            "error": str(error),
            "data": {f: request.POST.get(f, "") for f in fields},
        }
        return redirect(reverse("console:case", args=[case.pk]) + f"#triage-{form}")
    message, target = result if isinstance(result, tuple) else (result, case)
    messages.success(request, message)
    return redirect("console:case", target.pk)


@require_POST
@console_view("cases.triage_case")
def set_category(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)

    def change() -> str:
        category = Category.objects.filter(code=request.POST.get("category", "")).first()
        set_category_and_severity(
            case=case,
            category=category,
            severity=request.POST.get("severity", ""),
            reason=request.POST.get("reason", ""),
            by=acting_staff(request),
        )
        return _("Category and severity saved.")

    return _done(request, case, "category", change, ("category", "severity", "reason"))


@require_POST
@console_view("cases.assign_case")
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)

    def change() -> str:
        chosen = request.POST.get("assignee", "")
        if chosen == "me":
            assignee: Staff | None = acting_staff(request)
        elif chosen == "":
            assignee = None
        else:
            assignee = Staff.objects.filter(pk=chosen if chosen.isdigit() else 0).first()
            if assignee is None:
                raise CaseError(_("Choose a person from the list."))
        assign_case(case=case, assignee=assignee, by=acting_staff(request))
        return _("Assigned to %(name)s.") % {"name": assignee} if assignee else _("Unassigned.")

    return _done(request, case, "assign", change, ("assignee",))


@require_POST
@console_view("cases.triage_case")
def note(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)

    def change() -> str:
        add_note(case=case, text=request.POST.get("text", ""), by=acting_staff(request))
        return _("Note added.")

    return _done(request, case, "note", change, ("text",))


@require_POST
@console_view("cases.triage_case")
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)

    def change() -> tuple[str, Case]:
        reference = request.POST.get("into", "").strip().upper().removeprefix("C-")
        into = Case.objects.filter(pk=int(reference) if reference.isdigit() else 0).first()
        if into is None or not request.user.has_perm("cases.triage_case", into):
            raise CaseError(
                _("There is no case “%(ref)s” in your units. Check the reference, e.g. C-000123.")
                % {"ref": request.POST.get("into", "")}
            )
        merge_cases(
            case=case, into=into, reason=request.POST.get("reason", ""), by=acting_staff(request)
        )
        return _("Merged into %(ref)s.") % {"ref": into.reference}, into

    return _done(request, case, "merge", change, ("into", "reason"))


@require_POST
@console_view("cases.triage_case")
def split(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    report = get_object_or_404(Report, pk=report_pk, case=case)

    def change() -> tuple[str, Case]:
        new = split_report(
            report=report, reason=request.POST.get("reason", ""), by=acting_staff(request)
        )
        return _("The report is now case %(ref)s.") % {"ref": new.reference}, new

    return _done(request, case, f"split-{report.pk}", change, ("reason",))


@require_POST
@console_view("cases.triage_case")
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)

    def change() -> str:
        chosen = request.POST.get("to_unit", "")
        unit = Unit.objects.filter(pk=chosen if chosen.isdigit() else 0).first()
        if unit is None:
            raise CaseError(_("Choose the unit to refer the case to."))
        refer_case(
            case=case, to_unit=unit, reason=request.POST.get("reason", ""), by=acting_staff(request)
        )
        return _("Referred to %(unit)s; the case moves when they accept.") % {"unit": unit}

    return _done(request, case, "refer", change, ("to_unit", "reason"))


@require_POST
@console_view("cases.triage_case")
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)

    def change() -> str:
        referral = escalate_case(
            case=case, reason=request.POST.get("reason", ""), by=acting_staff(request)
        )
        return _("Escalated to %(unit)s.") % {"unit": referral.to_unit}

    return _done(request, case, "escalate", change, ("reason",))


@require_POST
@console_view("cases.triage_case")
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline a referral to one of the user's units; back to the case when the
    user can see it afterwards, else to the list of referrals."""
    referral = get_object_or_404(Referral.objects.select_related("case", "to_unit"), pk=pk)
    if referral.to_unit_id not in unit_ids(request.user, HANDLING):
        raise Http404
    accept = request.POST.get("accept") == "yes"
    text = request.POST.get("answer", "")
    try:
        answer_referral(referral=referral, accept=accept, answer=text, by=acting_staff(request))
    except CaseError as error:
        request.session[FLASH] = {
            "case": referral.case_id,
            "form": f"answer-{referral.pk}",
            "error": str(error),
            "data": {"answer": text},
        }
        if request.POST.get("back") == "case":
            return redirect(reverse("console:case", args=[referral.case_id]) + "#triage-referral")
        return redirect(reverse("console:referrals") + f"#referral-{referral.pk}")
    if accept:
        messages.success(
            request, _("Accepted: the case is now at %(unit)s.") % {"unit": referral.to_unit}
        )
    else:
        messages.success(request, _("Declined; the referring unit sees your reason."))
    case = Case.objects.get(pk=referral.case_id)
    if request.user.has_perm("cases.view_case", case):
        return redirect("console:case", case.pk)
    return redirect("console:referrals")


@console_view("cases.triage_case")
def referrals(request: HttpRequest) -> HttpResponse:
    """Pending referrals and escalations to the user's units, oldest first."""
    incoming = (
        Referral.objects.filter(
            status=ReferralStatus.PENDING, to_unit_id__in=unit_ids(request.user, HANDLING)
        )
        .select_related("case__category", "from_unit", "to_unit", "requested_by")
        .annotate(report_count=Count("case__reports"))
        .order_by("requested_at", "pk")
    )
    page = Paginator(incoming, PAGE_SIZE).get_page(request.GET.get("page"))
    refused = _refused(request.session.pop(FLASH, None))
    return render(request, "cases/triage/referrals.html", {"page": page, "triage": refused})


urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/category/", set_category, name="set_category"),
    path("cases/<int:pk>/assign/", assign, name="assign"),
    path("cases/<int:pk>/notes/", note, name="add_note"),
    path("cases/<int:pk>/merge/", merge, name="merge"),
    path("cases/<int:pk>/reports/<int:report_pk>/split/", split, name="split_report"),
    path("cases/<int:pk>/refer/", refer, name="refer"),
    path("cases/<int:pk>/escalate/", escalate, name="escalate"),
    path("referrals/", referrals, name="referrals"),
    path("referrals/<int:pk>/answer/", answer, name="answer_referral"),
]
