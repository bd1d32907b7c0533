import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontstage.lib.actors import SYSTEM
from frontstage.publish.actions.federation import FederationError, follow
from frontstage.publish.delivery import deliver_due
from frontstage.units.models import Unit


class Command(BaseCommand):
    help = (
        "ActivityPub background work. `federation deliver` sends due deliveries (signed POSTs "
        "to followers' inboxes) with retries; `federation follow UNIT_SLUG ACTOR` makes a "
        "channel follow another fediverse actor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="deliver|follow")
        deliver = sub.add_parser("deliver", help="Send due deliveries to remote inboxes.")
        deliver.add_argument("--once", action="store_true", help="One pass, then exit.")
        deliver.add_argument("--every", type=float, default=10.0, help="Seconds between passes.")
        follow_cmd = sub.add_parser("follow", help="Make a channel follow a remote actor.")
        follow_cmd.add_argument("unit_slug", help="The slug of the following unit.")
        follow_cmd.add_argument("actor_uri", help="Actor URL, or a handle @name@host.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "follow":
            self._follow(options["unit_slug"], options["actor_uri"])
            return
        while True:
            delivered, failed = deliver_due()
            if delivered or failed or options["once"]:
                self.stdout.write(
                    f"Deliveries: {delivered} delivered, {failed} failed (will retry)."
                )
            if options["once"]:
                return
            time.sleep(options["every"])

    def _follow(self, slug: str, actor_uri: str) -> None:
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None:
            raise CommandError(f"No unit has the slug {slug!r}.")
        try:
            following = follow(unit=unit, actor_uri=actor_uri, by=SYSTEM)
        except FederationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{unit.slug} asked to follow {following.actor.uri}; "
            "run `frontstage federation deliver` to send the request."
        )
