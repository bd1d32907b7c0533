"""ActivityPub: followers, follows, deliveries."""

from frontstage.lib.actors import Actor
from frontstage.publish.models import Publication


def announce(*, publication: Publication, by: Actor) -> None:
    """Queue the delivery of `publication` (a Create when published, a Delete when withdrawn)
    to every follower of its channel. Call inside the transaction that publishes or withdraws."""
