"""The one way anything is written to the audit log."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from frontstage.audit.chain import GENESIS, Link, link_hash
from frontstage.audit.models import AuditEvent
from frontstage.lib.actors import Actor, actor_label, actor_user

# Any constant will do; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 7_406_113_001


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
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
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
    return AuditEvent.objects.create(
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


def _lock_chain() -> None:
    # SQLite runs transactions in IMMEDIATE mode (settings.py), which already serialises
    # writers. Postgres needs a lock so two appends never read the same last event.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
