import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import translation

from frontstage.cases.actions.core import CaseError
from frontstage.lib.actors import SYSTEM
from frontstage.publish.actions.reports import build_report, period_of
from frontstage.publish.figures import to_csv, to_json
from frontstage.publish.models import TransparencyReport
from frontstage.publish.pdf import render_pdf
from frontstage.publish.report_page import report_context
from frontstage.units.models import Unit

FORMATS = ("html", "pdf", "csv", "json")


class Command(BaseCommand):
    help = (
        "Transparency reports. `report build --unit SLUG --period 2026-Q3 --format html` builds "
        "the unit's draft (rolled up over the units below it) and writes it to --output or "
        "stdout. A published report is frozen: it is written as published, not rebuilt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="build")
        build = sub.add_parser("build", help="Build a unit's report for a period and write it.")
        build.add_argument("--unit", required=True, help="The unit's slug, e.g. south.")
        build.add_argument("--period", required=True, help="2026-Q3, 2026-H1 or 2026.")
        build.add_argument("--format", choices=FORMATS, default="html")
        build.add_argument("--output", help="A file to write; stdout when left out (not for PDF).")
        build.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the HTML and PDF.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "pdf" and not output:
            raise CommandError("A PDF is written to a file: add --output FILE.pdf.", returncode=2)
        unit = Unit.objects.filter(slug=options["unit"]).first()
        if unit is None:
            known = ", ".join(Unit.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"There is no unit “{options['unit']}”. Units: {known}.", returncode=2
            )
        with translation.override(options["language"]):
            try:
                label = period_of(options["period"]).label
                report = TransparencyReport.objects.filter(unit=unit, period=label).first()
                if report is None or report.published_at is None:
                    report = build_report(unit=unit, period=label, by=SYSTEM)
            except CaseError as error:
                raise CommandError(str(error), returncode=2) from None
            content = _render(report, fmt)
        if output:
            path = Path(output)
            path.write_bytes(content)
            self.stderr.write(f"{unit.slug} {label}: {len(content)} bytes written to {path}")
        else:
            sys.stdout.flush()
            self.stdout.write(content.decode(), ending="")


def _render(report: TransparencyReport, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "csv":
        return to_csv(report.figures).encode()
    if fmt == "json":
        return to_json(report.figures).encode() + b"\n"
    context = report_context(report)
    return render_to_string("publish/transparency/pdf.html", context).encode()
