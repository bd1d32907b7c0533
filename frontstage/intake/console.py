"""Console pages and actions staff take on reports: screenshots (each view audited),
messages to the reporter, and marking a report manifestly unfounded."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontstage.accounts.views import acting_staff, console_view
from frontstage.audit.actions import record
from frontstage.cases.actions.evidence import HASH_ONLY, record_attachment_view
from frontstage.intake.actions import IntakeError, mark_unfounded, message_reporter
from frontstage.intake.models import Attachment, Report


@console_view("console.enter")
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A screenshot, only to staff of the case's unit; every view is an audit event."""
    item = get_object_or_404(Attachment.objects.select_related("report__case__unit"), pk=pk)
    case = item.report.case
    if not request.user.has_perm("cases.view_case", case) or item.content_type == HASH_ONLY:
        raise Http404
    by = acting_staff(request)
    with transaction.atomic():
        record(
            by=by,
            action="attachment.viewed",
            obj=item,
            unit=case.unit,
            payload={"case": case.pk, "sha256": item.sha256},
        )
        record_attachment_view(attachment=item, by=by)
    response = HttpResponse(bytes(item.content), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@console_view("console.enter")
def report_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("case__unit"), pk=pk)
    if not request.user.has_perm("cases.assign_case", report.case):
        raise Http404
    by = acting_staff(request)
    text = request.POST.get("text", "")
    try:
        if verb == "message":
            message_reporter(report=report, body=text, by=by)
            messages.success(request, _("Your message was sent to the reporter."))
        elif verb == "unfounded":
            mark_unfounded(report=report, reason=text, by=by)
            messages.success(request, _("The report is marked manifestly unfounded."))
        else:
            raise Http404
    except IntakeError as error:
        messages.error(request, str(error))
    return redirect("console:case", report.case_id)
