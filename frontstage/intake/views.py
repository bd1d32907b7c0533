import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontstage.cases.models import Category
from frontstage.intake import receipts, spam, throttle
from frontstage.intake.actions import IntakeError, Submission, reply_as_reporter, submit_report
from frontstage.intake.attachments import AttachmentRefused, clean_image
from frontstage.intake.forms import ReplyForm, ReportForm, TrackForm
from frontstage.intake.models import Report, ReportSource
from frontstage.intake.tracking import timeline
from frontstage.lib.actors import PUBLIC

_SESSION_RECEIPT = "intake.receipt"
_SESSION_TRACKED = "intake.tracked"


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    problem = ""
    if request.method == "POST":
        try:
            _check_spam(request)
        except spam.SpamRefused as refused:
            problem = str(refused)
        if not problem and form.is_valid():
            try:
                receipt = _submit(form, request)
            except (AttachmentRefused, IntakeError) as error:
                form.add_error(
                    "screenshots" if isinstance(error, AttachmentRefused) else None, str(error)
                )
            else:
                request.session[_SESSION_RECEIPT] = receipt
                return redirect("intake:sent")
    context = {
        "form": form,
        "problem": problem,
        "started": spam.form_token(),
        "honeypot": spam.HONEYPOT_FIELD,
        "altcha_strings": json.dumps(_altcha_strings(), ensure_ascii=False),
    }
    return render(
        request, "intake/report.html", context, status=400 if problem or form.errors else 200
    )


def sent(request: HttpRequest) -> HttpResponse:
    """The receipt code, shown once: a reload shows the tracking page instead."""
    code = request.session.pop(_SESSION_RECEIPT, None)
    if code is None:
        return redirect("intake:track")
    return render(request, "intake/sent.html", {"code": receipts.pretty(code)})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = throttle.client_key(request, "track")
        if not throttle.allow(key, limit=settings.INTAKE_LOOKUPS_PER_HOUR, per=timedelta(hours=1)):
            form.add_error(
                None, _("Too many lookups from your connection; please try again in an hour.")
            )
            return render(request, "intake/track.html", {"form": form}, status=429)
        report = _find(form.cleaned_data["code"])
        if report is not None:
            request.session[_SESSION_TRACKED] = report.pk
            return redirect("intake:status")
        # Malformed and unknown codes get the same answer, so the page tells nothing.
        form.add_error(
            "code", _("No report has this receipt code. Check the 16 digits and try again.")
        )
    return render(request, "intake/track.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    tracked: int = request.session.get(_SESSION_TRACKED, 0)
    report = Report.objects.select_related("case").filter(pk=tracked).first()
    if report is None:
        return redirect("intake:track")
    reply = ReplyForm(request.POST or None)
    if request.method == "POST" and reply.is_valid():
        reply_as_reporter(report=report, body=reply.cleaned_data["body"], by=PUBLIC)
        messages.success(request, _("Your message was added to your report."))
        return HttpResponseRedirect(reverse("intake:status"))
    context = {
        "report": report,
        "steps": timeline(report),
        "messages_for_reporter": report.messages.all(),
        "reply": reply,
    }
    return render(request, "intake/status.html", context)


def _altcha_strings() -> dict[str, str]:
    return {
        "label": _("I am not a robot"),
        "verifying": _("Checking…"),
        "verified": _("Verified"),
        "error": _("The check failed; try again."),
        "expired": _("The check expired; try again."),
        "waitAlert": _("Checking… please wait."),
        "verificationRequired": _("Please wait for the check to finish."),
    }


def _check_spam(request: HttpRequest) -> None:
    spam.check_honeypot(request.POST.get(spam.HONEYPOT_FIELD, ""))
    spam.check_form_token(request.POST.get("started", ""))
    if not throttle.allow(
        throttle.client_key(request, "report"),
        limit=settings.INTAKE_REPORTS_PER_HOUR,
        per=timedelta(hours=1),
    ):
        raise spam.SpamRefused(
            _("Too many reports from your connection; please try again in an hour.")
        )
    spam.check_proof_of_work(request.POST.get("altcha", ""))


def _submit(form: ReportForm, request: HttpRequest) -> str:
    data = form.cleaned_data
    images = [clean_image(upload.read(), filename=upload.name) for upload in data["screenshots"]]
    category = Category.objects.filter(code=data["category"]).first() if data["category"] else None
    submission = Submission(
        source=ReportSource.PUBLIC,
        locations=data["locations"],
        explanation=data["explanation"],
        category=category,
        region_code=data.get("region", ""),
        language=get_language() or "en",
        seen_on=data.get("seen_on"),
        reporter_name=data.get("name", ""),
        reporter_email=data.get("email", ""),
        good_faith=data["good_faith"],
        attachments=images,
    )
    code = submit_report(submission=submission, by=PUBLIC).code
    if code is None:  # public reports always get one
        raise RuntimeError("a public report was filed without a receipt code")
    return code


def _find(text: str) -> Report | None:
    code = receipts.clean(text)
    if code is None:
        return None
    return Report.objects.filter(receipt_digest=receipts.digest(code)).first()
