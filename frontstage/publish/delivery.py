"""Talking to other fediverse servers: reading actor documents (cached as RemoteActor) and
sending the queued Delivery rows as signed POSTs, with retries.

Only https:// URLs of public addresses are contacted, unless settings.FEDERATION_ALLOW_HTTP
(default: settings.DEBUG) allows http:// and loopback/private addresses, for development and
for the tests, which never contact anything but 127.0.0.1. Redirects are not followed, so an
answer cannot send us somewhere the check above did not see.
"""

import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from frontstage.audit.actions import record
from frontstage.lib.actors import SYSTEM
from frontstage.publish import signatures
from frontstage.publish.activitypub import ACTIVITY_JSON, LD_JSON, channel_urls, object_id
from frontstage.publish.models import Delivery, RemoteActor

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 5
MAX_BYTES = 1_000_000
# A delivery being sent is claimed for this long, so two workers never send it twice.
LEASE = timedelta(minutes=5)
# A cached key that fails to verify is fetched again, but not more often than this.
REFRESH_AFTER = timedelta(minutes=10)


class RemoteError(Exception):
    """Another server could not be reached or answered something we cannot use."""


def allow_http() -> bool:
    return bool(settings.FEDERATION_ALLOW_HTTP)


def check_url(url: str) -> None:
    """Refuse URLs we must not contact (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ({"https", "http"} if allow_http() else {"https"}):
        raise RemoteError(f"{url} is not an https:// address.")
    if not parts.hostname:
        raise RemoteError(f"{url} names no host.")
    if allow_http():
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError as error:
        raise RemoteError(f"{parts.hostname} cannot be resolved: {error}") from error
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not ip.is_global:
            raise RemoteError(f"{parts.hostname} is not a public address.")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    # In development and tests, proxies from the environment must not swallow loopback calls.
    handlers: list[Any] = [_NoRedirect()]
    if allow_http():
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def fetch_json(url: str, *, accept: str = f"{ACTIVITY_JSON}, {LD_JSON}") -> dict[str, Any]:
    check_url(url)
    request = urllib.request.Request(  # noqa: S310 - scheme checked by check_url
        url, headers={"Accept": accept, "User-Agent": "Frontstage"}
    )
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise RemoteError(f"{url} could not be read: {error}") from error
    if len(body) > MAX_BYTES:
        raise RemoteError(f"{url} answered more than 1 MB.")
    try:
        document = json.loads(body)
    except ValueError as error:
        raise RemoteError(f"{url} did not answer JSON.") from error
    if not isinstance(document, dict):
        raise RemoteError(f"{url} did not answer a JSON object.")
    return document


def resolve_handle(handle: str) -> str:
    """The actor URI of `@user@host` (or `user@host`), found with WebFinger."""
    user, _, host = handle.lstrip("@").partition("@")
    if not user or not host or "/" in host:
        raise RemoteError(f"{handle} is not a handle like @name@example.org.")
    scheme = (
        "http" if allow_http() and host.split(":")[0] in {"127.0.0.1", "localhost"} else "https"
    )
    query = urlencode({"resource": f"acct:{user}@{host}"})
    url = urlunsplit((scheme, host, "/.well-known/webfinger", query, ""))
    document = fetch_json(url, accept="application/jrd+json, application/json")
    for link in document.get("links") or []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and str(link.get("type", "")).startswith(
                ("application/activity+json", "application/ld+json")
            )
            and isinstance(link.get("href"), str)
        ):
            return str(link["href"])
    raise RemoteError(f"{handle} has no ActivityPub actor.")


def fetch_actor(uri: str) -> RemoteActor:
    """Read the actor document at `uri` and store what delivering and verifying need."""
    document = fetch_json(uri.split("#")[0])
    actor_id = object_id(document)
    if not actor_id or urlsplit(actor_id).netloc != urlsplit(uri).netloc:
        raise RemoteError(f"{uri} answered a document that is not its own.")
    key = document.get("publicKey")
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict)), None)
    inbox = document.get("inbox")
    if not isinstance(key, dict) or not key.get("publicKeyPem") or not key.get("id"):
        raise RemoteError(f"{actor_id} has no public key.")
    if not isinstance(inbox, str):
        raise RemoteError(f"{actor_id} has no inbox.")
    if key.get("owner", actor_id) != actor_id:
        raise RemoteError(f"The key of {actor_id} belongs to someone else.")
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    values = {
        "inbox": inbox[:500],
        "shared_inbox": shared[:500] if isinstance(shared, str) else "",
        "key_id": str(key["id"])[:500],
        "public_key_pem": str(key["publicKeyPem"]),
        "preferred_username": str(document.get("preferredUsername") or "")[:200],
        "fetched_at": timezone.now(),
    }
    # A cache of a public document, not a change anybody made: no audit event.
    actor, _ = RemoteActor.objects.update_or_create(uri=actor_id, defaults=values)
    return actor


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The actor holding `key_id`: from the cache, or fetched (the keyId, without its
    fragment, is the actor's URL in Mastodon and Frontstage)."""
    if not refresh:
        cached = RemoteActor.objects.filter(key_id=key_id).first()
        if cached is not None:
            return cached
    actor = fetch_actor(key_id)
    if actor.key_id != key_id:
        raise RemoteError(f"{key_id} is not the key of {actor.uri}.")
    return actor


def may_refresh(actor: RemoteActor) -> bool:
    return timezone.now() - actor.fetched_at > REFRESH_AFTER


def post_signed(*, url: str, activity: dict[str, Any], private_key_pem: str, key_id: str) -> None:
    """POST `activity` to `url`, signed; raises RemoteError unless the answer is 2xx."""
    check_url(url)
    body = json.dumps(activity, ensure_ascii=False).encode()
    headers = signatures.sign(
        method="POST",
        url=url,
        body=body,
        private_key_pem=private_key_pem,
        key_id=key_id,
        now=timezone.now(),
    )
    headers["User-Agent"] = "Frontstage"
    request = urllib.request.Request(  # noqa: S310 - scheme checked by check_url
        url, data=body, method="POST", headers=headers
    )
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode(errors="replace")
        raise RemoteError(f"HTTP {error.code} {detail}".strip()) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise RemoteError(str(error)) from error
    if not 200 <= status < 300:
        raise RemoteError(f"HTTP {status}")


def deliver_due(*, limit: int = 100) -> tuple[int, int]:
    """Send the deliveries that are due; returns (delivered, failed). A failure is retried
    after 1, 2, 4 … minutes and given up after MAX_ATTEMPTS."""
    delivered = failed = 0
    for delivery in _claim(limit):
        error: str | None = None
        try:
            key = _key_of(delivery)
            post_signed(
                url=delivery.inbox,
                activity=delivery.activity,
                private_key_pem=key.private_key_pem,
                key_id=channel_urls(delivery.unit.slug).key_id,
            )
        except RemoteError as problem:
            error = str(problem) or problem.__class__.__name__
            log.warning("Delivery %s to %s failed: %s", delivery.pk, delivery.inbox, error)
        _settle(delivery.pk, error)
        if error is None:
            delivered += 1
        else:
            failed += 1
    return delivered, failed


def _claim(limit: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(delivered_at=None, given_up_at=None, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in due]).update(next_attempt_at=now + LEASE)
    return list(Delivery.objects.filter(pk__in=[d.pk for d in due]).select_related("unit"))


def _key_of(delivery: Delivery) -> Any:
    from frontstage.publish.actions.federation import channel_key

    return channel_key(unit=delivery.unit, by=SYSTEM)


def _settle(pk: int, error: str | None) -> None:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("unit").get(pk=pk)
        now = timezone.now()
        delivery.attempts += 1
        if error is None:
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.last_error = ""
        else:
            delivery.last_error = error[:300]
            delivery.next_attempt_at = now + timedelta(minutes=2 ** (delivery.attempts - 1))
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.given_up_at = now
                delivery.next_attempt_at = None
                record(
                    by=SYSTEM,
                    action="federation.delivery_given_up",
                    obj=delivery,
                    unit=delivery.unit,
                    payload={"inbox": delivery.inbox, "type": delivery.activity.get("type")},
                )
        delivery.save()
