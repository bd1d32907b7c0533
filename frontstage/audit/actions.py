"""The one way anything is written to the audit log."""

import json
import threading
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from frontstage.audit.chain import GENESIS, Link, link_hash
from frontstage.audit.models import AuditEvent
from frontstage.lib.actors import Actor, actor_label, actor_user

# Any constant will do; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 7_406_113_001


class _Tip(threading.local):
    """The last event this thread appended, and the on-commit marker queued with it."""

    marker: Callable[[], None] | None = None
    seq = 0
    hash = ""


_tip = _Tip()


def record(
    *,
    by: Actor,
    action: str,
    obj: Model | None = None,
    unit: Any = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records,
    so that the change and its audit event are committed together or not at all."""
    if not connection.in_atomic_block:
        raise RuntimeError("record() must be called inside transaction.atomic()")
    seq, prev_hash = _next_link()
    link = Link(
        seq=seq,
        at=timezone.now(),
        actor_label=actor_label(by),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        unit_id=unit.pk if unit is not None else None,
        # Stored exactly as it will read back, so the hash verifies after a round trip.
        payload=json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder)),
        prev_hash=prev_hash,
    )
    event = AuditEvent.objects.create(
        seq=link.seq,
        at=link.at,
        actor=actor_user(by),
        actor_label=link.actor_label,
        action=link.action,
        object_type=link.object_type,
        object_id=link.object_id,
        unit=unit,
        payload=link.payload,
        prev_hash=link.prev_hash,
        hash=link_hash(link),
    )
    _remember(event)
    return event


def _next_link() -> tuple[int, str]:
    """The seq and previous hash for a new event, with the chain locked until commit."""
    if _appended_in_this_transaction():
        # The chain lock taken for that event is still held, so nobody has appended since:
        # a report that opens a case records twice, and this saves two round trips.
        return _tip.seq + 1, _tip.hash
    _lock_chain()
    # Plain SQL: every report runs this, and building the ORM query costs three times more
    # than running it.
    with connection.cursor() as cursor:
        cursor.execute('SELECT "seq", "hash" FROM "audit_auditevent" ORDER BY "seq" DESC LIMIT 1')
        last = cursor.fetchone()
    return (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)


def _remember(event: AuditEvent) -> None:
    def marker() -> None:
        """Does nothing when run; only its presence in the on-commit queue matters."""

    _tip.marker, _tip.seq, _tip.hash = marker, event.seq, event.hash
    transaction.on_commit(marker)


def _appended_in_this_transaction() -> bool:
    # Django drops on-commit callbacks when their transaction or savepoint rolls back and
    # clears them at commit, so the marker is still queued exactly while the last event we
    # wrote, and the lock taken with it (both in the same savepoint), are part of this
    # open transaction. Entries are (savepoint ids, callback, robust).
    marker = _tip.marker
    return marker is not None and any(entry[1] is marker for entry in connection.run_on_commit)


def _lock_chain() -> None:
    # SQLite runs transactions in IMMEDIATE mode (settings.py), which already serialises
    # writers. Postgres needs a lock so two appends never read the same last event.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
