"""The intake API: public reports with proof of work, trusted-flagger notices and authority
orders with bearer tokens, and status lookups."""

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from frontstage.cases.actions import CaseError
from frontstage.cases.models import Category
from frontstage.intake import receipts, spam, throttle
from frontstage.intake.actions import (
    IdempotencyConflict,
    IntakeError,
    Submission,
    submit_report,
    token_digest,
)
from frontstage.intake.locate import LocationError
from frontstage.intake.models import ApiClient, ClientKind, ClientStatus, Report, ReportSource
from frontstage.intake.tracking import status_of, timeline
from frontstage.lib.actors import PUBLIC, client_actor

router = Router(tags=["intake"])


class Problem(Schema):
    """An error: `detail` for people; `errors` names each wrong field and why."""

    detail: str
    errors: list[dict[str, str]] = []


ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    413: Problem,
    422: Problem,
    429: Problem,
}


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str


class LocationIn(Schema):
    kind: str = Field(description="url, account, phone, domain, wallet or other")
    value: str = Field(max_length=2000)


class ReportIn(Schema):
    locations: list[LocationIn] = Field(min_length=1, max_length=20)
    category: str | None = Field(None, description="A category code, or null when not sure")
    explanation: str = Field(min_length=10, max_length=5000)
    seen_on: date | None = None
    region: str = ""
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    good_faith: bool
    altcha: str = Field("", description="The solved proof of work from GET /challenge")


class ReceiptOut(Schema):
    receipt: str
    track_url: str


class StepOut(Schema):
    at: datetime
    status: str
    label: str


class StatusOut(Schema):
    status: str
    timeline: list[StepOut]
    messages: list[dict[str, Any]]


class NoticeIn(ReportIn):
    reference: str = Field("", max_length=200, description="Your own id for this notice")
    altcha: str = ""


class OrderIn(NoticeIn):
    legal_basis: str = Field(min_length=5, max_length=2000)
    deadline: datetime


class FiledOut(Schema):
    id: int
    status_url: str


class FiledStatusOut(Schema):
    id: int
    reference: str
    status: str
    outcome: str | None
    timeline: list[StepOut]


class ClientToken(HttpBearer):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return ApiClient.objects.filter(token_digest=token_digest(token), kind=self.kind).first()


flagger_token = ClientToken(ClientKind.TRUSTED_FLAGGER)
authority_token = ClientToken(ClientKind.AUTHORITY)


@router.get(
    "/challenge",
    response={200: ChallengeOut, **ERRORS},
    url_name="challenge",
    auth=None,
    summary="A proof-of-work challenge to solve before POST /reports",
)
def challenge(request: HttpRequest) -> Status[Any]:
    # Making a challenge costs a signature and no database write; the work is on the
    # client's side, and spending it is limited where reports are accepted.
    made = spam.new_challenge()
    return Status(200, ChallengeOut(**made.__dict__))


@router.post(
    "/reports", response={201: ReceiptOut, **ERRORS}, auth=None, summary="Report illegal content"
)
def create_report(request: HttpRequest, body: ReportIn) -> Status[Any]:
    key = request.headers.get("Idempotency-Key", "")
    earlier = _replay(request, body, key, scope="source:public")
    if earlier is not None:
        return earlier
    # Counted on its own and committed at once: the count is one row per address, and
    # holding its lock for a whole report would make one address's reports queue.
    if not throttle.allow(
        throttle.client_key(request, "report-api"),
        limit=settings.INTAKE_REPORTS_PER_HOUR,
        per=timedelta(hours=1),
    ):
        return Status(
            429,
            Problem(
                detail=_("Too many reports from your connection; please try again in an hour.")
            ),
        )
    # One transaction and one commit for the spent proof of work and the report. A refusal
    # returns normally, so the spent proof still commits; only the report is left out
    # (submit_report rolls back to its own savepoint when it refuses).
    with transaction.atomic():
        try:
            spam.check_proof_of_work(body.altcha)
        except spam.SpamRefused as refused:
            message = str(refused)
            return Status(
                422, Problem(detail=message, errors=[{"field": "altcha", "message": message}])
            )
        return _file(request, body, key, ReportSource.PUBLIC, client=None)


@router.get(
    "/reports/{receipt}",
    response={200: StatusOut, **ERRORS},
    auth=None,
    summary="The status of a report, by its receipt code",
)
def report_status(request: HttpRequest, receipt: str) -> Status[Any]:
    if not throttle.allow(
        throttle.client_key(request, "track-api"),
        limit=settings.INTAKE_LOOKUPS_PER_HOUR,
        per=timedelta(hours=1),
    ):
        return Status(429, Problem(detail=_("Too many lookups; please try again in an hour.")))
    code = receipts.clean(receipt)
    report = Report.objects.filter(receipt_digest=receipts.digest(code)).first() if code else None
    if report is None:
        return Status(404, Problem(detail=_("No report has this receipt code.")))
    messages = [
        {"at": m.at, "from": "unit" if m.direction == "to_reporter" else "you", "body": m.body}
        for m in report.messages.all()
    ]
    steps = [StepOut(**step.__dict__) for step in timeline(report)]
    return Status(200, StatusOut(status=status_of(report), timeline=steps, messages=messages))


@router.post(
    "/notices",
    response={201: FiledOut, **ERRORS},
    auth=flagger_token,
    summary="A trusted flagger's notice (handled with priority)",
)
def create_notice(request: HttpRequest, body: NoticeIn) -> Status[Any]:
    return _filed(request, body, ReportSource.TRUSTED_FLAGGER, "notices")


@router.get(
    "/notices/{notice_id}",
    response={200: FiledStatusOut, **ERRORS},
    auth=flagger_token,
    summary="The outcome of one of your notices",
)
def notice_status(request: HttpRequest, notice_id: int) -> Status[Any]:
    return _filed_status(request, notice_id)


@router.post(
    "/orders",
    response={201: FiledOut, **ERRORS},
    auth=authority_token,
    summary="An authority's order to act against content, with its legal basis and deadline",
)
def create_order(request: HttpRequest, body: OrderIn) -> Status[Any]:
    if body.deadline <= timezone.now():
        message = _("The deadline must be in the future.")
        return Status(
            422, Problem(detail=message, errors=[{"field": "deadline", "message": message}])
        )
    return _filed(request, body, ReportSource.AUTHORITY_ORDER, "orders")


@router.get(
    "/orders/{order_id}",
    response={200: FiledStatusOut, **ERRORS},
    auth=authority_token,
    summary="The status of one of your orders",
)
def order_status(request: HttpRequest, order_id: int) -> Status[Any]:
    return _filed_status(request, order_id)


def _filed(request: HttpRequest, body: NoticeIn, source: str, path: str) -> Status[Any]:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if client.status == ClientStatus.SUSPENDED:
        return Status(403, Problem(detail=_("Your access is suspended; contact the unit.")))
    key = request.headers.get("Idempotency-Key", "")
    earlier = _replay(request, body, key, scope=f"client:{client.pk}", path=path)
    if earlier is not None:
        return earlier
    return _file(request, body, key, source, client=client, path=path)


def _filed_status(request: HttpRequest, report_id: int) -> Status[Any]:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    report = Report.objects.select_related("case").filter(pk=report_id, client=client).first()
    if report is None:
        return Status(404, Problem(detail=_("You sent no notice or order with this id.")))
    steps = [StepOut(**step.__dict__) for step in timeline(report)]
    outcome = report.case.outcome or None
    return Status(
        200,
        FiledStatusOut(
            id=report.pk,
            reference=report.external_ref,
            status=status_of(report),
            outcome=outcome,
            timeline=steps,
        ),
    )


def _file(
    request: HttpRequest,
    body: ReportIn,
    key: str,
    source: str,
    *,
    client: ApiClient | None,
    path: str = "",
) -> Status[Any]:
    category = None
    if body.category:
        category = _active_category(body.category)
        if category is None:
            message = _("Unknown category “%(code)s”.") % {"code": body.category}
            return Status(
                422, Problem(detail=message, errors=[{"field": "category", "message": message}])
            )
    if not body.good_faith:
        message = _(
            "Confirm that you believe in good faith that the report is accurate and complete."
        )
        return Status(
            422, Problem(detail=message, errors=[{"field": "good_faith", "message": message}])
        )
    is_csam = body.category == "child_sexual_abuse"
    submission = Submission(
        source=source,
        locations=[(loc.kind, loc.value) for loc in body.locations],
        explanation=body.explanation,
        category=category,
        region_code=body.region,
        language=get_language() or "en",
        seen_on=body.seen_on,
        reporter_name="" if is_csam else body.name,
        reporter_email="" if is_csam else body.email,
        good_faith=body.good_faith,
        client=client,
        external_ref=getattr(body, "reference", ""),
        legal_basis=getattr(body, "legal_basis", ""),
        deadline=getattr(body, "deadline", None),
        idempotency_key=key,
        request_digest=_digest(body),
        unit=client.unit if client is not None else None,
        priority=80 if source == ReportSource.AUTHORITY_ORDER else 70 if client else 50,
    )
    try:
        receipt = submit_report(submission=submission, by=_actor(client))
    except IdempotencyConflict as conflict:
        return Status(
            422,
            Problem(
                detail=str(conflict),
                errors=[{"field": "Idempotency-Key", "message": str(conflict)}],
            ),
        )
    except (LocationError, IntakeError) as error:
        return Status(
            422, Problem(detail=str(error), errors=[{"field": "locations", "message": str(error)}])
        )
    except CaseError as error:  # a unit's own category, chosen for a region outside that unit
        return Status(
            422, Problem(detail=str(error), errors=[{"field": "category", "message": str(error)}])
        )
    return _created(receipt.report, receipt.code, path)


def _active_category(code: str) -> Category | None:
    # The same row as filter(code=…, active=True).first() at half the CPU time: building the
    # ORM query costs more than running it, and every report pays for this one.
    found = Category.objects.raw(
        'SELECT * FROM "cases_category" WHERE "code" = %s AND "active"', [code]
    )
    return next(iter(found), None)


def _replay(
    request: HttpRequest, body: ReportIn, key: str, *, scope: str, path: str = ""
) -> Status[Any] | None:
    """The answer to a retry: the first report again, when the key was seen with this body."""
    if not key:
        return None
    earlier = Report.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.request_digest != _digest(body):
        message = _("This Idempotency-Key was already used for a different report.")
        return Status(
            422, Problem(detail=message, errors=[{"field": "Idempotency-Key", "message": message}])
        )
    return _created(earlier, receipts.code_for(f"{scope}:{key}") if not path else None, path)


def _created(report: Report, code: str | None, path: str) -> Status[Any]:
    if path or code is None:
        return Status(201, FiledOut(id=report.pk, status_url=f"/api/v1/{path}/{report.pk}"))
    return Status(
        201, ReceiptOut(receipt=receipts.pretty(code), track_url=f"{settings.SITE_URL}/track/")
    )


def _digest(body: ReportIn) -> str:
    fields = body.model_dump(mode="json", exclude={"altcha"})
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _actor(client: ApiClient | None) -> str:
    return PUBLIC if client is None else client_actor(client.pk)
