"""The platform-facing API, mounted at /api/v1/platform-orders: a platform (an ApiClient of kind
`platform`, with its bearer token) lists the orders addressed to it, acknowledges them and says
whether it complied or refused. Errors have the intake API's shape (Problem)."""

from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from frontstage.cases.actions.core import CaseError
from frontstage.cases.actions.orders import acknowledge_order, answer_order, compliance_seconds
from frontstage.cases.models import OrderStatus, PlatformOrder
from frontstage.intake.api import ClientToken, Problem
from frontstage.intake.models import ApiClient, ClientKind, ClientStatus
from frontstage.lib.actors import client_actor

router = Router(tags=["platform orders"])
platform_token = ClientToken(ClientKind.PLATFORM)
PAGE_SIZE = 50

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class OrderOut(Schema):
    id: int
    reference: str
    case: str
    action: str
    item: str
    legal_basis: str
    deadline: datetime
    status: str
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    answered_at: datetime | None
    answer: str
    compliance_seconds: int | None


class OrderPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrderOut]


class RefusalIn(Schema):
    reason: str = Field(min_length=3, max_length=2000, description="Why the order is refused")


class ComplianceIn(Schema):
    note: str = Field("", max_length=2000, description="What was done, optionally")


def _out(order: PlatformOrder) -> OrderOut:
    return OrderOut(
        id=order.pk,
        reference=order.reference,
        case=order.case.reference,
        action=order.action,
        item=order.item,
        legal_basis=order.legal_basis,
        deadline=order.deadline,
        status=order.status,
        created_at=order.created_at,
        sent_at=order.sent_at,
        acknowledged_at=order.acknowledged_at,
        answered_at=order.answered_at,
        answer=order.answer,
        compliance_seconds=compliance_seconds(order),
    )


def _client(request: HttpRequest) -> ApiClient:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    return client


def _refused(client: ApiClient) -> Status[Any] | None:
    if client.status == ClientStatus.SUSPENDED:
        return Status(403, Problem(detail=_("Your access is suspended; contact the unit.")))
    return None


def _order(client: ApiClient, order_id: int) -> PlatformOrder | None:
    return PlatformOrder.objects.select_related("case").filter(pk=order_id, client=client).first()


def _not_found() -> Status[Any]:
    return Status(404, Problem(detail=_("No order with this id was sent to you.")))


@router.get(
    "",
    response={200: OrderPage, **ERRORS},
    auth=platform_token,
    summary="The orders sent to you, newest first (filter by status; 50 a page)",
)
def list_orders(request: HttpRequest, status: str = "", page: int = 1) -> Status[Any]:
    client = _client(request)
    refused = _refused(client)
    if refused is not None:
        return refused
    orders = PlatformOrder.objects.filter(client=client).select_related("case")
    if status:
        if status not in OrderStatus.values:
            message = _("Unknown status “%(status)s”; use one of: %(statuses)s.") % {
                "status": status,
                "statuses": ", ".join(OrderStatus.values),
            }
            return Status(
                400, Problem(detail=message, errors=[{"field": "status", "message": message}])
            )
        orders = orders.filter(status=status)
    paginator = Paginator(orders, PAGE_SIZE)
    current = paginator.get_page(page)
    return Status(
        200,
        OrderPage(
            count=paginator.count,
            page=current.number,
            pages=paginator.num_pages,
            results=[_out(order) for order in current],
        ),
    )


@router.get(
    "/{order_id}", response={200: OrderOut, **ERRORS}, auth=platform_token, summary="One order"
)
def get_order(request: HttpRequest, order_id: int) -> Status[Any]:
    client = _client(request)
    refused = _refused(client)
    if refused is not None:
        return refused
    order = _order(client, order_id)
    return _not_found() if order is None else Status(200, _out(order))


@router.post(
    "/{order_id}/acknowledge",
    response={200: OrderOut, **ERRORS},
    auth=platform_token,
    summary="Confirm that you received the order",
)
def acknowledge(request: HttpRequest, order_id: int) -> Status[Any]:
    return _answer(request, order_id, lambda order, by: acknowledge_order(order=order, by=by))


@router.post(
    "/{order_id}/comply",
    response={200: OrderOut, **ERRORS},
    auth=platform_token,
    summary="Say that you carried the order out",
)
def comply(request: HttpRequest, order_id: int, body: ComplianceIn | None = None) -> Status[Any]:
    note = body.note if body is not None else ""
    return _answer(
        request,
        order_id,
        lambda order, by: answer_order(order=order, complied=True, answer=note, by=by),
    )


@router.post(
    "/{order_id}/refuse",
    response={200: OrderOut, **ERRORS},
    auth=platform_token,
    summary="Refuse the order, saying why",
)
def refuse(request: HttpRequest, order_id: int, body: RefusalIn) -> Status[Any]:
    return _answer(
        request,
        order_id,
        lambda order, by: answer_order(order=order, complied=False, answer=body.reason, by=by),
    )


def _answer(request: HttpRequest, order_id: int, act: Any) -> Status[Any]:
    client = _client(request)
    refused = _refused(client)
    if refused is not None:
        return refused
    order = _order(client, order_id)
    if order is None:
        return _not_found()
    try:
        with transaction.atomic():
            order = act(order, client_actor(client.pk))
    except CaseError as error:
        return Status(422, Problem(detail=str(error)))
    return Status(200, _out(order))
