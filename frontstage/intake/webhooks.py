"""Signed webhooks that tell flaggers and authorities the outcome of each notice or order.

The receiver checks `X-Frontstage-Signature: t=<unix time>,v1=<hex>`, where v1 is
HMAC-SHA256 with their webhook secret over "<t>.<body>", and rejects old timestamps."""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from frontstage.cases.models import Case
from frontstage.intake.models import Report, WebhookDelivery

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def queue_outcomes(case: Case) -> int:
    """Queue one delivery per notice or order of `case` whose sender has a webhook; call inside
    the decision's transaction so that a decision and its deliveries commit together."""
    reports = Report.objects.filter(case=case, client__isnull=False).exclude(client__webhook_url="")
    now = timezone.now()
    queued = 0
    for report in reports.select_related("client"):
        if report.client is None:  # excluded by the query; keeps the type checker informed
            continue
        payload = {
            "event": "outcome",
            "id": report.pk,
            "reference": report.external_ref,
            "outcome": case.outcome,
            "decided_at": case.decided_at.isoformat() if case.decided_at else None,
        }
        WebhookDelivery.objects.create(
            client=report.client, report=report, payload=payload, next_attempt_at=now
        )
        queued += 1
    return queued


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def deliver_due(*, now_limit: int = 100) -> tuple[int, int]:
    """Try the deliveries that are due; returns (delivered, failed). Failures are retried with
    exponential backoff (1 min, 2, 4 … ) and given up after MAX_ATTEMPTS."""
    delivered = failed = 0
    due = WebhookDelivery.objects.filter(
        delivered_at=None, given_up_at=None, next_attempt_at__lte=timezone.now()
    ).select_related("client")[:now_limit]
    for delivery in due:
        error = _post(delivery)
        with transaction.atomic():
            delivery.attempts += 1
            if error is None:
                delivery.delivered_at = timezone.now()
                delivery.last_error = ""
                delivered += 1
            else:
                delivery.last_error = error[:300]
                delivery.next_attempt_at = timezone.now() + timedelta(
                    minutes=2 ** (delivery.attempts - 1)
                )
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.given_up_at = timezone.now()
                failed += 1
            delivery.save()
    return delivered, failed


def _post(delivery: WebhookDelivery) -> str | None:
    client = delivery.client
    return post_signed(
        client.webhook_url, client.webhook_secret, delivery.payload, delivery=str(delivery.pk)
    )


def post_signed(url: str, secret: str, payload: Any, *, delivery: str) -> str | None:
    """POST `payload` as JSON to a registered webhook, signed with its secret. None when the
    receiver answered 2xx, else what went wrong (for the retry record)."""
    body = json.dumps(payload, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is a registered https webhook
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Frontstage-Signature": sign(secret, int(time.time()), body),
            "X-Frontstage-Delivery": delivery,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            if 200 <= response.status < 300:
                return None
            return f"HTTP {response.status}"
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        log.warning("Webhook delivery %s to %s failed: %s", delivery, url, error)
        return str(error)
