"""The pure core of the audit chain: how an event is hashed and how a chain is verified."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class Link:
    seq: int
    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    unit_id: int | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str = ""


def link_hash(link: Link) -> str:
    """SHA-256 over a canonical JSON form of every field but `hash` itself."""
    body = {
        "seq": link.seq,
        "at": link.at.isoformat(timespec="microseconds"),
        "actor": link.actor_label,
        "action": link.action,
        "object_type": link.object_type,
        "object_id": link.object_id,
        "unit": link.unit_id,
        "payload": link.payload,
        "prev": link.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """`ok` with `count` verified links, or the first broken link's `seq` and the `reason`."""

    ok: bool
    count: int
    broken_seq: int | None = None
    reason: str = ""


def verify(links: Iterable[Link]) -> Verdict:
    """Check that links, in sequence order, number 1, 2, 3…, each names its predecessor's
    hash, and each hash matches its content."""
    expected_prev = GENESIS
    count = 0
    for link in links:
        expected_seq = count + 1
        if link.seq != expected_seq:
            return Verdict(False, count, link.seq, f"expected event #{expected_seq} here")
        if link.prev_hash != expected_prev:
            return Verdict(False, count, link.seq, "previous hash does not match event before")
        if link_hash(link) != link.hash:
            return Verdict(False, count, link.seq, "content does not match its hash")
        expected_prev = link.hash
        count += 1
    return Verdict(True, count)
