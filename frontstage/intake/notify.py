"""Telling reporters: the receipt when they gave an address, and the outcome of their case
(DSA Art. 16(5)). Runs after commit; a mail failure is logged, never loses the report."""

import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from frontstage.intake import receipts
from frontstage.intake.models import Report

log = logging.getLogger(__name__)


def send_receipt(*, report_id: int, code: str) -> None:
    report = Report.objects.get(pk=report_id)
    with translation.override(report.language):
        _send(
            report,
            _("Your report was received"),
            "intake/mail/receipt.txt",
            {"code": receipts.pretty(code), "track_url": f"{settings.SITE_URL}/track/"},
        )


def tell_reporters(*, case_id: int) -> None:
    """E-mail every reporter of the case who gave an address that the case was decided."""
    reports = (
        Report.objects.filter(case_id=case_id).exclude(reporter_email="").select_related("case")
    )
    for report in reports:
        with translation.override(report.language):
            context = {
                "outcome": report.case.get_outcome_display(),
                "track_url": f"{settings.SITE_URL}/track/",
            }
            _send(report, _("The outcome of your report"), "intake/mail/outcome.txt", context)


def _send(report: Report, subject: str, template: str, context: Mapping[str, object]) -> None:
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, None, [report.reporter_email])
    except Exception:  # the report is safe; the mail can be sent again by hand
        log.exception("Could not e-mail the reporter of report %s", report.pk)
