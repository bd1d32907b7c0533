from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontstage.audit.chain import Link, verify
from frontstage.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` checks the whole hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="verify")
        sub.add_parser("verify", help="Verify every link of the audit chain.")

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify(_links())
        if not verdict.ok:
            raise CommandError(
                f"Audit chain broken at event #{verdict.broken_seq}: {verdict.reason}. "
                f"{verdict.count} events before it verified."
            )
        self.stdout.write(f"Audit chain intact: {verdict.count} events verified.")


def _links() -> Iterator[Link]:
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "unit_id",
        "payload",
        "prev_hash",
        "hash",
    )
    for row in rows.iterator(chunk_size=2000):
        yield Link(*row)
