"""Who did something: a staff member, or a named non-person actor such as "system"."""

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from frontstage.accounts.models import Staff

# Non-person actors write under a fixed label; people write as "staff:<id>".
SYSTEM = "system"
PUBLIC = "public"
PATROL = "patrol"
NON_PERSON_ACTORS = frozenset({SYSTEM, PUBLIC, PATROL})
CLIENT_PREFIX = "client:"

Actor = Union["Staff", str]


def client_actor(client_id: int) -> str:
    """The actor label of an API client (a trusted flagger or an authority)."""
    return f"{CLIENT_PREFIX}{client_id}"


def actor_label(by: Actor) -> str:
    if isinstance(by, str):
        if by.startswith(CLIENT_PREFIX) and by[len(CLIENT_PREFIX) :].isdigit():
            return by
        if by not in NON_PERSON_ACTORS:
            raise ValueError(
                f"Unknown actor {by!r}; use a staff member or one of {sorted(NON_PERSON_ACTORS)}"
            )
        return by
    if by.pk is None:
        raise ValueError("A staff member must be saved before acting.")
    return f"staff:{by.pk}"


def actor_user(by: Actor) -> "Staff | None":
    return None if isinstance(by, str) else by
