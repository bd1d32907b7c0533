"""The case page's evidence part, an item's content (each view in its custody trail), the
evidence package download and the hash check."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions import CaseError
from frontstage.cases.actions.evidence import (
    HASH_ONLY,
    export_evidence,
    record_view,
    verify_evidence,
)
from frontstage.cases.models import Case, EvidenceItem, EvidenceKind

PAGE_SIZE = 25


def evidence_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's evidence part needs: a page of items (without their bytes) and
    what the person may do with them. Empty for people who may not see evidence."""
    if not request.user.has_perm("cases.view_evidence", case):
        return {}
    items = (
        case.evidence.defer("content")
        .annotate(custody_count=Count("custody"))
        .order_by("captured_at", "id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("evidence_page"))
    return {
        "may_view_evidence": True,
        "evidence_page": page,
        "may_export_evidence": request.user.has_perm("cases.export_evidence", case),
        "hash_only": HASH_ONLY,
    }


@console_view("cases.view_evidence")
def evidence_item(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's content, recorded in its custody trail and the audit log. Text items come as
    a fragment for the case page (htmx) or as the JSON file itself."""
    item = get_object_or_404(EvidenceItem.objects.select_related("case__unit"), pk=pk)
    if not request.user.has_perm("cases.view_evidence", item.case):
        raise Http404
    if item.content_type == HASH_ONLY:
        raise Http404  # nothing was kept to show
    record_view(item=item, by=acting_staff(request))
    content = bytes(item.content)
    if item.kind != EvidenceKind.ATTACHMENT and request.htmx:  # type: ignore[attr-defined]
        text = content.decode("utf-8", errors="replace")
        return render(request, "cases/parts/evidence.html#evidence_text", {"text": text})
    content_type = item.content_type
    if content_type.startswith("application/json"):
        content_type = "application/json; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@console_view("cases.export_evidence")
def evidence_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence package of a case as a download; every item's custody trail and the audit
    log record the export."""
    case = _case(request, pk, "cases.export_evidence")
    try:
        export = export_evidence(case=case, by=acting_staff(request))
    except CaseError as error:
        messages.error(request, str(error))
        return redirect(reverse("console:case", args=[case.pk]) + "#evidence")
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@console_view("cases.export_evidence")
def evidence_verify(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "cases.export_evidence")
    mismatches = verify_evidence(case=case, by=acting_staff(request))
    if mismatches:
        names = ", ".join(m.item.label for m in mismatches)
        messages.error(
            request,
            _("These items no longer match the hash recorded at capture: %(items)s.")
            % {"items": names},
        )
    else:
        messages.success(request, _("Every evidence item still matches its recorded hash."))
    return redirect(reverse("console:case", args=[case.pk]) + "#evidence")


def _case(request: HttpRequest, pk: int, perm: str) -> Case:
    """The case, 404 when outside the person's units, 403 when they see it but may not act."""
    case = get_object_or_404(Case.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("cases.view_case", case):
        raise Http404
    if not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


urlpatterns: list[URLPattern] = [
    path("evidence/<int:pk>/", evidence_item, name="evidence_item"),
    path("cases/<int:pk>/evidence/export/", evidence_export, name="evidence_export"),
    path("cases/<int:pk>/evidence/verify/", evidence_verify, name="evidence_verify"),
]
