"""Delivering orders to platforms, run by `frontstage orders deliver`: a signed JSON webhook to
the platform client's `webhook_url` (signed as intake's outcome webhooks are, with the client's
webhook secret), or an e-mail to the order's address. Failures are retried with exponential
backoff (1 min, 2, 4 …) and given up after MAX_ATTEMPTS; an order nobody can be sent stays
pending for the platform to fetch through the API, and expires at its deadline like any other."""

import json
import logging
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontstage.cases.actions.orders import expire_overdue, mark_sent
from frontstage.cases.models import OrderStatus, PlatformOrder
from frontstage.intake.webhooks import post_signed
from frontstage.lib.actors import SYSTEM

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
NO_ROUTE = "No webhook and no e-mail address; the platform can fetch the order through the API."


def order_payload(order: PlatformOrder) -> dict[str, Any]:
    """What the platform receives: the order itself, no personal data."""
    return {
        "event": "order",
        "id": order.pk,
        "reference": order.reference,
        "case": order.case.reference,
        "action": order.action,
        "item": order.item,
        "legal_basis": order.legal_basis,
        "deadline": order.deadline.isoformat(),
        "issued_at": order.created_at.isoformat(),
    }


def deliver_due(*, limit: int = 100) -> tuple[int, int]:
    """Try the pending orders that are due; returns (sent, failed)."""
    sent = failed = 0
    due = PlatformOrder.objects.filter(
        status=OrderStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).select_related("client", "case")[:limit]
    for order in due:
        error = _deliver(order)
        if error is None:
            mark_sent(order=order, by=SYSTEM)
            sent += 1
        else:
            _failed(order, error)
            failed += 1
    return sent, failed


def run_once() -> dict[str, int]:
    """One pass of the background work: deliveries, then expiry of overdue orders."""
    sent, failed = deliver_due()
    return {"sent": sent, "failed": failed, "expired": expire_overdue(by=SYSTEM)}


def _deliver(order: PlatformOrder) -> str | None:
    client = order.client
    if order.email:
        return _mail(order)
    if client is not None and client.webhook_url:
        return _post(order, client.webhook_url, client.webhook_secret)
    return NO_ROUTE


def _failed(order: PlatformOrder, error: str) -> None:
    # Delivery bookkeeping, not a change of the order: like intake's webhooks, no case event.
    with transaction.atomic():
        locked = PlatformOrder.objects.select_for_update().get(pk=order.pk)
        locked.attempts += 1
        locked.last_error = error[:300]
        give_up = error == NO_ROUTE or locked.attempts >= MAX_ATTEMPTS
        locked.next_attempt_at = (
            None if give_up else timezone.now() + timedelta(minutes=2 ** (locked.attempts - 1))
        )
        locked.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def _post(order: PlatformOrder, url: str, secret: str) -> str | None:
    return post_signed(url, secret, order_payload(order), delivery=order.reference)


def _mail(order: PlatformOrder) -> str | None:
    # Orders go to platforms in English: the legal text they act on is the unit's English one.
    with translation.override("en"):
        payload = order_payload(order)
        context = {"order": payload, "json": json.dumps(payload, indent=2, ensure_ascii=False)}
        body = render_to_string("cases/decisions/order_mail.txt", context)
        subject = _("Order %(reference)s: %(action)s") % {
            "reference": order.reference,
            "action": order.get_action_display(),
        }
    try:
        send_mail(subject, body, None, [order.email])
    except Exception as error:  # retried like a failed webhook
        log.exception("Could not e-mail order %s", order.reference)
        return str(error) or error.__class__.__name__
    return None
