import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from frontstage.cases.orders_delivery import run_once


class Command(BaseCommand):
    help = (
        "Orders to platforms. `orders deliver` sends due orders (signed webhook or e-mail, with "
        "retries) and marks orders past their deadline without an answer as expired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="deliver")
        deliver = sub.add_parser("deliver", help="Send due orders; expire overdue ones.")
        deliver.add_argument("--once", action="store_true", help="One pass, then exit.")
        deliver.add_argument("--every", type=float, default=15.0, help="Seconds between passes.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            done = run_once()
            if any(done.values()) or options["once"]:
                self.stdout.write(
                    "Orders: {sent} sent, {failed} failed (will retry), {expired} expired.".format(
                        **done
                    )
                )
            if options["once"]:
                return
            time.sleep(options["every"])
