import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from frontstage.intake.webhooks import deliver_due


class Command(BaseCommand):
    help = "Intake background work. `intake deliver` sends due outcome webhooks, with retries."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="deliver")
        deliver = sub.add_parser("deliver", help="Send due outcome webhooks to flaggers.")
        deliver.add_argument("--once", action="store_true", help="One pass, then exit.")
        deliver.add_argument("--every", type=float, default=15.0, help="Seconds between passes.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            delivered, failed = deliver_due()
            if delivered or failed or options["once"]:
                self.stdout.write(f"Webhooks: {delivered} delivered, {failed} failed (will retry).")
            if options["once"]:
                return
            time.sleep(options["every"])
