"""Helpers for the federation tests: a remote actor with its own key, signed requests to an
inbox through the test client, published posts made directly (no redaction involved)."""

import json
from datetime import datetime
from functools import cache
from typing import Any

from django.test import Client
from django.utils import timezone

from frontstage.accounts.models import Staff
from frontstage.publish import signatures
from frontstage.publish.models import Publication, PublicationKind, PublicationStatus, RemoteActor
from frontstage.units.models import Unit

REMOTE = "https://remote.example/users/alice"


@cache
def key_pair(name: str = "remote") -> tuple[str, str]:
    """One RSA key pair per name for the whole run: generating keys is slow."""
    return signatures.new_key_pair()


def remote_actor(uri: str = REMOTE, *, key: str = "remote", shared_inbox: str = "") -> RemoteActor:
    """A remote actor as if fetched a moment ago, holding the key pair `key`."""
    return RemoteActor.objects.create(
        uri=uri,
        inbox=f"{uri}/inbox",
        shared_inbox=shared_inbox,
        key_id=f"{uri}#main-key",
        public_key_pem=key_pair(key)[1],
        preferred_username=uri.rsplit("/", 1)[-1],
        fetched_at=timezone.now(),
    )


def signed_post(
    client: Client,
    path: str,
    activity: dict[str, Any],
    *,
    actor: str = REMOTE,
    key: str = "remote",
    body: bytes | None = None,
    now: datetime | None = None,
) -> Any:
    """POST `activity` to `path` signed as `actor` with key pair `key`; `body`, when given, is
    sent instead of the signed JSON (to tamper with it)."""
    signed_body = json.dumps(activity).encode()
    headers = signatures.sign(
        method="POST",
        url=f"http://testserver{path}",
        body=signed_body,
        private_key_pem=key_pair(key)[0],
        key_id=f"{actor}#main-key",
        now=now or timezone.now(),
    )
    content_type = headers.pop("Content-Type")
    return client.post(
        path,
        data=body if body is not None else signed_body,
        content_type=content_type,
        headers=headers,
    )


def published(
    unit: Unit,
    by: Staff,
    *,
    title: str = "Fake parcel-fee messages",
    kind: str = PublicationKind.ADVISORY,
    status: str = PublicationStatus.PUBLISHED,
    at: datetime | None = None,
) -> Publication:
    moment = at or timezone.now()
    return Publication.objects.create(
        unit=unit,
        kind=kind,
        status=status,
        title_en=title,
        title_zh="虚假包裹费短信",
        body_en=f"{title}: do not pay.",
        body_zh="不要付款。",
        created_by=by,
        approved_by=by if status != PublicationStatus.DRAFT else None,
        created_at=moment,
        updated_at=moment,
        published_at=moment if status != PublicationStatus.DRAFT else None,
    )


def follow_activity(slug: str, *, actor: str = REMOTE, follow_id: str = "") -> dict[str, Any]:
    from frontstage.publish.activitypub import channel_urls

    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": follow_id or f"{actor}#follows/1",
        "type": "Follow",
        "actor": actor,
        "object": channel_urls(slug).actor,
    }
