from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontstage.cases.actions import CaseError
from frontstage.cases.actions.evidence import export_evidence, parse_case_reference
from frontstage.cases.models import Case
from frontstage.lib.actors import SYSTEM


class Command(BaseCommand):
    help = (
        "Work with case evidence. `evidence export CASE` writes the case's evidence package "
        "(a zip with a manifest of SHA-256 hashes) for prosecutors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="export")
        export = sub.add_parser("export", help="Write the evidence package of a case.")
        export.add_argument("case", help="The case: its id or its reference, e.g. C-000123.")
        export.add_argument(
            "--output", "-o", help="The zip to write (default: C-000123-evidence.zip here)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pk = parse_case_reference(options["case"])
        case = Case.objects.filter(pk=pk).first() if pk is not None else None
        if case is None:
            raise CommandError(
                f"No case {options['case']!r}. Give its id or reference, e.g. 123 or C-000123.",
                returncode=2,
            )
        try:
            # Run by an operator on the server, outside any staff account: recorded as "system".
            export = export_evidence(case=case, by=SYSTEM)
        except CaseError as error:
            raise CommandError(str(error), returncode=2) from error
        path = Path(options["output"] or export.filename)
        path.write_bytes(export.content)
        self.stdout.write(
            f"Wrote {path} ({len(export.content)} bytes, SHA-256 {export.sha256}). "
            f"Verify with: unzip {path.name} && sha256sum -c manifest.sha256"
        )
