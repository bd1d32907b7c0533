"""Building and publishing transparency reports.

One report per unit and period. Building computes the figures from the event log and keeps
them with their digest; building again replaces the draft. Publishing freezes it: a published
report is never rebuilt (building it again is refused), so what the public read stays what it
was, and anyone can recompute it from the export and compare the digest."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError
from frontstage.lib.actors import Actor, actor_user
from frontstage.publish.events import compute_for
from frontstage.publish.figures import Period, PeriodError, parse_period
from frontstage.publish.models import TransparencyReport
from frontstage.units.models import Unit


class ReportError(CaseError):
    """A report that cannot be built or published; the message says why, for people."""


def period_of(text: str) -> Period:
    """The period named by `text`, or ReportError with the forms that are understood."""
    try:
        return parse_period(text)
    except PeriodError:
        raise ReportError(
            _("“%(text)s” is not a period: write 2026-Q3, 2026-H1 or 2026.")
            % {"text": text.strip()}
        ) from None


def build_report(*, unit: Unit, period: str, by: Actor) -> TransparencyReport:
    """Compute the figures of `unit` (rolled up over the units below it) for `period` and keep
    them as the unit's draft for that period. Refused for a period that has not begun and for
    a report already published."""
    span = period_of(period)
    if span.start > timezone.now():
        raise ReportError(_("%(period)s has not begun yet.") % {"period": span.label})
    with transaction.atomic():
        report = (
            TransparencyReport.objects.select_for_update()
            .filter(unit=unit, period=span.label)
            .first()
        )
        if report is not None and report.published_at is not None:
            raise ReportError(
                _("The report of %(unit)s for %(period)s is published and cannot change.")
                % {"unit": unit, "period": span.label}
            )
        computed = compute_for(unit, span)
        if report is None:
            report = TransparencyReport(unit=unit, period=span.label)
        report.figures = computed.document
        report.digest = computed.digest
        report.built_at = timezone.now()
        report.built_by = actor_user(by)
        report.save()
        payload = {"period": span.label, "digest": report.digest}
        record(by=by, action="transparency_report.built", obj=report, unit=unit, payload=payload)
    return report


def publish_report(*, report: TransparencyReport, by: Actor) -> TransparencyReport:
    """Make a draft public, once its period has ended and only if the event log still gives
    the same figures (otherwise the publisher would publish figures they have not seen)."""
    with transaction.atomic():
        report = (
            TransparencyReport.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=report.pk)
        )
        if report.published_at is not None:
            raise ReportError(_("This report is already published."))
        span = period_of(report.period)
        if span.end > timezone.now():
            raise ReportError(
                _("%(period)s is not over yet; publish its report from %(date)s.")
                % {"period": span.label, "date": f"{span.end:%Y-%m-%d}"}
            )
        if compute_for(report.unit, span).digest != report.digest:
            raise ReportError(
                _(
                    "The figures changed since this draft was built. "
                    "Build it again, check it, then publish."
                )
            )
        report.published_at = timezone.now()
        report.published_by = actor_user(by)
        report.save(update_fields=["published_at", "published_by"])
        payload = {"period": report.period, "digest": report.digest}
        record(
            by=by,
            action="transparency_report.published",
            obj=report,
            unit=report.unit,
            payload=payload,
        )
    return report
