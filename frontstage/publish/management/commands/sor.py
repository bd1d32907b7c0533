"""`frontstage sor export|submit`: statements of reasons to the EU DSA Transparency Database."""

import json
import os
from argparse import ArgumentTypeError
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.publish.actions.sor import Prepared, prepare, submit
from frontstage.publish.sor_client import MAX_BATCH, TdbClient, TdbUnavailable


class Command(BaseCommand):
    help = (
        "Statements of reasons for the EU DSA Transparency Database. `sor export --output "
        "FILE.jsonl` writes one valid statement per line and lists the invalid ones on stderr "
        "(exit 1 when some were left out); `sor submit` sends the undelivered ones to "
        "SOR_ENDPOINT with SOR_TOKEN in batches and resumes where the last run stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="export|submit")
        export = sub.add_parser("export", help="Write the statements to a JSON Lines file.")
        export.add_argument("--since", type=_day, help="Issued on or after DATE (YYYY-MM-DD).")
        export.add_argument("--output", required=True, type=Path, help="FILE.jsonl to write.")
        send = sub.add_parser("submit", help="Send the undelivered statements.")
        send.add_argument("--since", type=_day, help="Issued on or after DATE (YYYY-MM-DD).")
        send.add_argument("--batch", type=int, default=MAX_BATCH, help="At most 100 a request.")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _start_of(options["since"])
        if options["verb"] == "export":
            self._export(since, options["output"])
        else:
            self._submit(since, options["batch"])

    def _export(self, since: datetime | None, output: Path) -> None:
        written, invalid = 0, []
        # Written beside the target and moved into place, so a failed run leaves no half file.
        partial = output.with_name(output.name + ".partial")
        if not output.parent.is_dir():
            raise CommandError(_("There is no folder %(folder)s.") % {"folder": output.parent})
        with partial.open("w", encoding="utf-8") as out:
            for item in prepare(since=since):
                if item.tdb is None:
                    invalid.append(item)
                    continue
                out.write(json.dumps(item.tdb, ensure_ascii=False, sort_keys=True) + "\n")
                written += 1
        os.replace(partial, output)
        self._list_invalid(invalid)
        self.stdout.write(
            _("%(written)d statements written to %(file)s; %(invalid)d left out.")
            % {"written": written, "file": output, "invalid": len(invalid)}
        )
        if invalid:
            raise CommandError(_("Some statements were left out; see the list above."))

    def _submit(self, since: datetime | None, batch: int) -> None:
        if not 1 <= batch <= MAX_BATCH:
            raise CommandError(_("--batch must be between 1 and %(max)d.") % {"max": MAX_BATCH})
        try:
            client = TdbClient(settings.SOR_ENDPOINT, settings.SOR_TOKEN)
        except TdbUnavailable as error:
            raise CommandError(str(error)) from error
        result = submit(client=client, since=since, batch=batch)
        self._list_invalid(result.invalid)
        for puid, reasons in result.refused.items():
            self.stderr.write(
                _("%(puid)s refused by the database: %(reasons)s")
                % {"puid": puid, "reasons": "; ".join(reasons)}
            )
        self.stdout.write(
            _(
                "%(sent)d statements delivered, %(duplicates)d already in the database, "
                "%(refused)d refused, %(invalid)d invalid (not sent)."
            )
            % {
                "sent": result.sent,
                "duplicates": result.duplicates,
                "refused": len(result.refused),
                "invalid": len(result.invalid),
            }
        )
        if result.stopped:
            raise CommandError(
                _("Stopped: %(error)s Nothing is lost; run again to send the rest.")
                % {"error": result.stopped}
            )
        if result.refused or result.invalid:
            raise CommandError(_("Some statements were not delivered; see the list above."))

    def _list_invalid(self, invalid: list[Prepared]) -> None:
        for item in invalid:
            for field, reason in item.problems:
                self.stderr.write(f"{item.puid} {field}: {reason}")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from error


def _start_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))
