"""Orders to platforms: issuing them for sanctions (and RESTORE orders for reversed ones), the
platform's answers through the API, delivery bookkeeping and expiry.

`issue_order` is the one entry point for other parts (appeals call it with OrderAction.RESTORE
when a sanction is reversed). Orders are written in the caller's transaction with status
pending and delivered afterwards by `frontstage orders deliver` (orders_delivery.py), like the
outcome webhooks of intake: a slow platform never holds up a decision."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError, add_case_event
from frontstage.cases.models import (
    CaseEventKind,
    OrderAction,
    OrderStatus,
    PlatformOrder,
    Sanction,
    SanctionKind,
    Subject,
    SubjectKind,
)
from frontstage.intake.models import ApiClient, ClientKind, ClientStatus
from frontstage.lib.actors import Actor

# How long a platform has to carry an order out: taking content down or suspending an account
# (and undoing a reversed sanction) is urgent; restricting or labelling may take longer.
URGENT = frozenset({OrderAction.REMOVE, OrderAction.DISABLE, OrderAction.SUSPEND})
URGENT_HOURS = 24
OTHER_HOURS = 72
RESTORE_HOURS = 24

# The order that carries out each sanction kind; warnings and prosecution referrals need no
# platform to act.
ORDER_FOR_SANCTION: dict[str, OrderAction] = {
    SanctionKind.REMOVE: OrderAction.REMOVE,
    SanctionKind.DISABLE: OrderAction.DISABLE,
    SanctionKind.RESTRICT: OrderAction.RESTRICT,
    SanctionKind.LABEL: OrderAction.LABEL,
    SanctionKind.SUSPEND: OrderAction.SUSPEND,
    SanctionKind.SUSPEND_PERMANENTLY: OrderAction.SUSPEND,
}

# Statuses in which the platform still owes an answer.
OPEN_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.SENT, OrderStatus.ACKNOWLEDGED})


def host_of(subject: Subject) -> str | None:
    """The host a URL or domain subject lives on (`shop.example.com` for the URL key
    `shop.example.com/pay?id=1`), or None for other kinds."""
    if subject.kind == SubjectKind.DOMAIN:
        return subject.key.lower()
    if subject.kind == SubjectKind.URL:
        host = subject.key.split("/", 1)[0].lower()
        return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return None


def platform_for(subject: Subject) -> ApiClient | None:
    """The platform client hosting `subject`: for accounts, the client whose `platform` is the
    key's prefix (`weibo` in `weibo:handle`); for URLs and domains, the client listing the host
    or its nearest parent domain. Suspended clients receive nothing. None when unknown."""
    clients = ApiClient.objects.filter(kind=ClientKind.PLATFORM).exclude(
        status=ClientStatus.SUSPENDED
    )
    if subject.kind == SubjectKind.ACCOUNT:
        prefix = subject.key.split(":", 1)[0].lower()
        return clients.filter(platform=prefix).order_by("pk").first() if prefix else None
    host = host_of(subject)
    if not host:
        return None
    labels = host.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels))]  # nearest first
    # Platform clients are few; matching in Python works the same on SQLite and Postgres.
    listed = [(c, {str(d).lower().strip(".") for d in c.domains or []}) for c in clients]
    for candidate in candidates:
        for client, domains in sorted(listed, key=lambda pair: pair[0].pk):
            if candidate in domains:
                return client
    return None


def issue_order(
    *, sanction: Sanction, action: str, by: Actor, email: str = ""
) -> PlatformOrder | None:
    """Order the platform hosting the sanction's subject to carry out `action` (an OrderAction
    value). Returns None, writing nothing, when no platform is registered for the subject: the
    analyst then acts by other means. `email` overrides delivery to an address instead of the
    client's webhook; a client without a webhook gets the order at its own address. Runs inside
    the caller's transaction when there is one."""
    order_action = OrderAction(action)
    subject = sanction.subject
    client = platform_for(subject)
    if client is None:
        return None
    now = timezone.now()
    if order_action == OrderAction.RESTORE:
        hours = RESTORE_HOURS
    else:
        hours = URGENT_HOURS if order_action in URGENT else OTHER_HOURS
    with transaction.atomic():
        case = sanction.case
        order = PlatformOrder.objects.create(
            sanction=sanction,
            case=case,
            platform=client.platform or client.name,
            client=client,
            email=email or ("" if client.webhook_url else client.email),
            item=subject.key,
            action=order_action,
            legal_basis=legal_basis_of(sanction),
            deadline=now + timedelta(hours=hours),
            status=OrderStatus.PENDING,
            created_at=now,
            next_attempt_at=now,
        )
        payload = {
            "order": order.reference,
            "action": order_action.value,
            "platform": order.platform,
            "item": order.item,
            "status": order.status,
            "deadline": order.deadline.isoformat(),
        }
        add_case_event(case, CaseEventKind.ORDER, by=by, payload=payload)
        record(by=by, action="order.issued", obj=order, unit=case.unit, payload=payload)
    return order


def legal_basis_of(sanction: Sanction) -> str:
    """The statute the order relies on: the decision's legal ground, else the category's."""
    ground = sanction.decision.legal_ground
    if ground is not None:
        return f"{ground.reference} — {ground.title_en}"
    category = sanction.case.category
    return category.legal_basis_en if category is not None else ""


def acknowledge_order(*, order: PlatformOrder, by: Actor) -> PlatformOrder:
    """The platform confirms it received the order. Acknowledging twice changes nothing."""
    with transaction.atomic():
        order = _locked(order)
        if order.status == OrderStatus.ACKNOWLEDGED:
            return order
        if order.status not in (OrderStatus.PENDING, OrderStatus.SENT):
            raise CaseError(
                _("This order is already “%(status)s”; it cannot be acknowledged.")
                % {"status": order.get_status_display()}
            )
        now = timezone.now()
        # A platform that fetched the order through the API before any delivery received it now.
        order.sent_at = order.sent_at or now
        order.acknowledged_at = now
        order.status = OrderStatus.ACKNOWLEDGED
        order.next_attempt_at = None
        order.save(update_fields=["sent_at", "acknowledged_at", "status", "next_attempt_at"])
        _log(order, by=by, action="order.acknowledged")
    return order


def answer_order(
    *, order: PlatformOrder, complied: bool, answer: str = "", by: Actor
) -> PlatformOrder:
    """The platform says it complied, or refused with a reason (required). The compliance time
    is `answered_at - sent_at`."""
    answer = answer.strip()
    if not complied and not answer:
        raise CaseError(_("Say why the order is refused."))
    with transaction.atomic():
        order = _locked(order)
        if order.status not in OPEN_STATUSES:
            raise CaseError(
                _("This order is already “%(status)s”; it cannot be answered again.")
                % {"status": order.get_status_display()}
            )
        now = timezone.now()
        order.sent_at = order.sent_at or now
        order.acknowledged_at = order.acknowledged_at or now
        order.answered_at = now
        order.answer = answer
        order.status = OrderStatus.COMPLIED if complied else OrderStatus.REFUSED
        order.next_attempt_at = None
        order.save(
            update_fields=[
                "sent_at",
                "acknowledged_at",
                "answered_at",
                "answer",
                "status",
                "next_attempt_at",
            ]
        )
        extra = {"answer": answer, "seconds": compliance_seconds(order)}
        _log(order, by=by, action=f"order.{order.status}", extra=extra)
    return order


def mark_sent(*, order: PlatformOrder, by: Actor) -> PlatformOrder:
    """Delivery succeeded: pending → sent (later statuses are kept: the platform may have
    answered through the API already)."""
    with transaction.atomic():
        order = _locked(order)
        order.attempts += 1
        order.last_error = ""
        order.next_attempt_at = None
        fields = ["attempts", "last_error", "next_attempt_at"]
        if order.status == OrderStatus.PENDING:
            order.status = OrderStatus.SENT
            order.sent_at = timezone.now()
            fields += ["status", "sent_at"]
        order.save(update_fields=fields)
        if "status" in fields:
            _log(order, by=by, action="order.sent", extra={"attempts": order.attempts})
    return order


def expire_overdue(*, by: Actor) -> int:
    """Orders past their deadline without an answer become expired; returns how many."""
    now = timezone.now()
    overdue = PlatformOrder.objects.filter(status__in=OPEN_STATUSES, deadline__lt=now)
    expired = 0
    for order_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            order = PlatformOrder.objects.select_for_update().get(pk=order_id)
            if order.status not in OPEN_STATUSES or order.deadline >= now:
                continue
            order.status = OrderStatus.EXPIRED
            order.next_attempt_at = None
            order.save(update_fields=["status", "next_attempt_at"])
            _log(order, by=by, action="order.expired")
            expired += 1
    return expired


def compliance_seconds(order: PlatformOrder) -> int | None:
    """Seconds from sending to the platform's answer, or None while unanswered."""
    if order.answered_at is None or order.sent_at is None:
        return None
    return int((order.answered_at - order.sent_at).total_seconds())


def _locked(order: PlatformOrder) -> PlatformOrder:
    return (
        PlatformOrder.objects.select_for_update(of=("self",))
        .select_related("case__unit", "client")
        .get(pk=order.pk)
    )


def _log(order: PlatformOrder, *, by: Actor, action: str, extra: dict | None = None) -> None:
    payload = {"order": order.reference, "status": order.status, **(extra or {})}
    add_case_event(order.case, CaseEventKind.ORDER, by=by, payload=payload)
    record(by=by, action=action, obj=order, unit=order.case.unit, payload=payload)
