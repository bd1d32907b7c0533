"""Every change intake makes: reports received, messages, abuse controls, API clients."""

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontstage.audit.actions import record
from frontstage.cases.actions import add_case_event, open_case
from frontstage.cases.actions.evidence import (
    HASH_ONLY,
    capture_report_evidence,
    never_in_the_clear,
)
from frontstage.cases.actions.queue import rescore_case
from frontstage.cases.models import Case, CaseEventKind, CaseStatus, Category, Severity, Subject
from frontstage.intake import receipts
from frontstage.intake.attachments import CleanImage
from frontstage.intake.locate import canonical_key
from frontstage.intake.models import (
    ApiClient,
    Attachment,
    ClientKind,
    ClientStatus,
    Direction,
    Report,
    ReportMessage,
    ReportSource,
)
from frontstage.intake.notify import send_receipt
from frontstage.lib.actors import Actor, actor_user
from frontstage.units.models import Unit
from frontstage.units.routing import unit_for_region

NOWHERE = gettext_lazy(
    "Say where the content is: a link, an account, a phone number, a domain or a wallet."
)


class IntakeError(ValueError):
    """A submission that cannot be accepted; the message says why, for people."""


class IdempotencyConflict(IntakeError):
    """The same idempotency key was used before for a different submission."""


@dataclass
class Submission:
    """What a reporter, flagger, authority or the patrol sends. `locations` are
    (subject kind, text as typed) pairs."""

    source: str
    locations: Sequence[tuple[str, str]]
    explanation: str
    category: Category | None = None
    region_code: str = ""
    language: str = "en"
    seen_on: date | None = None
    reporter_name: str = ""
    reporter_email: str = ""
    good_faith: bool = False
    attachments: Sequence[CleanImage] = ()
    client: ApiClient | None = None
    external_ref: str = ""
    legal_basis: str = ""
    deadline: datetime | None = None
    idempotency_key: str = ""
    request_digest: str = ""
    unit: Unit | None = None
    severity: str = Severity.MEDIUM
    priority: int = 50
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    report: Report
    code: str | None
    created: bool


def submit_report(*, submission: Submission, by: Actor) -> Receipt:
    """Record a report and put it in the case about its subjects: the open case of any of them,
    else a new case at the unit that handles the reporter's region. Durable when this returns.

    A retry with the same idempotency key returns the first report (and the same receipt code)
    and writes nothing; the same key with a different request raises IdempotencyConflict."""
    s = submission
    keys = [(kind, canonical_key(kind, raw, region=s.region_code)) for kind, raw in s.locations]
    if not keys:
        raise IntakeError(str(NOWHERE))
    scope = _idempotency_scope(s)
    code = _receipt_code(s, scope)
    with transaction.atomic():
        if s.idempotency_key:
            earlier = Report.objects.filter(
                idempotency_scope=scope, idempotency_key=s.idempotency_key
            ).first()
            if earlier is not None:
                if earlier.request_digest != s.request_digest:
                    raise IdempotencyConflict(
                        _("This Idempotency-Key was already used for a different report.")
                    )
                return Receipt(earlier, code, created=False)
        subjects = _locked_subjects(keys)
        case = _open_case_about(subjects)
        joined = case is not None
        if case is None:
            case = open_case(
                unit=s.unit or unit_for_region(s.region_code),
                category=s.category,
                subjects=subjects,
                severity=s.severity,
                priority=s.priority,
                summary=s.explanation[:200],
                by=by,
            )
        else:
            case.subjects.add(*subjects)
            if s.priority > case.priority:  # a trusted source raises the case's priority
                case.priority = s.priority
                case.save(update_fields=["priority"])
        report = Report.objects.create(
            source=ReportSource(s.source),
            case=case,
            category=s.category,
            locations=[{"kind": k, "key": key} for k, key in keys],
            explanation=s.explanation,
            seen_on=s.seen_on,
            region_code=s.region_code.upper(),
            language=s.language,
            reporter_name=s.reporter_name,
            reporter_email=s.reporter_email,
            good_faith=s.good_faith,
            receipt_digest=receipts.digest(code) if code else None,
            client=s.client,
            external_ref=s.external_ref,
            legal_basis=s.legal_basis,
            deadline=s.deadline,
            idempotency_scope=scope,
            idempotency_key=s.idempotency_key,
            request_digest=s.request_digest,
            received_at=timezone.now(),
        )
        report.subjects.add(*subjects)  # a new report: add needs no look-up of links
        # Child sexual abuse material is never kept in the clear: the hashes stand for it.
        hash_only = never_in_the_clear(s.category) or never_in_the_clear(case.category)
        for image in s.attachments:
            Attachment.objects.create(
                report=report,
                content=b"" if hash_only else image.content,
                content_type=HASH_ONLY if hash_only else image.content_type,
                width=image.width,
                height=image.height,
                sha256=image.sha256,
                original_sha256=image.original_sha256,
                added_at=report.received_at,
            )
        payload = {"report": report.pk, "source": report.source, "joined": joined}
        add_case_event(case, CaseEventKind.REPORT_ADDED, by=by, payload=payload)
        record(by=by, action="report.received", obj=report, unit=case.unit, payload=payload)
        capture_report_evidence(case=case, report=report, by=by)
        rescore_case(case=case, by=by)
        if code and s.reporter_email:
            report_id = report.pk
            transaction.on_commit(lambda: send_receipt(report_id=report_id, code=code))
    return Receipt(report, code, created=True)


def reply_as_reporter(*, report: Report, body: str, by: Actor) -> ReportMessage:
    """More information from the reporter, added on the tracking page."""
    text = body.strip()
    if not text:
        raise IntakeError(_("Write a message before sending it."))
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report, direction=Direction.FROM_REPORTER, body=text, at=timezone.now()
        )
        record(by=by, action="report.reporter_replied", obj=report, unit=report.case.unit)
    return message


def message_reporter(*, report: Report, body: str, by: Actor) -> ReportMessage:
    """A message from the unit, shown to the reporter on the tracking page."""
    text = body.strip()
    if not text:
        raise IntakeError(_("Write a message before sending it."))
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report,
            direction=Direction.TO_REPORTER,
            author=actor_user(by),
            body=text,
            at=timezone.now(),
        )
        record(by=by, action="report.messaged", obj=report, unit=report.case.unit)
    return message


def mark_unfounded(*, report: Report, by: Actor, reason: str) -> Report:
    """Staff judge a report manifestly unfounded (DSA Art. 23); counted against its sender."""
    if not reason.strip():
        raise IntakeError(_("Say why the report is manifestly unfounded."))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.unfounded_at is None:
            report.unfounded_at = timezone.now()
            report.save(update_fields=["unfounded_at"])
            payload = {"reason": reason.strip(), "client": report.client_id}
            record(
                by=by,
                action="report.marked_unfounded",
                obj=report,
                unit=report.case.unit,
                payload=payload,
            )
    return report


@dataclass(frozen=True)
class IssuedClient:
    client: ApiClient
    token: str  # shown once; only its digest is kept


def issue_api_client(
    *,
    name: str,
    kind: str,
    unit: Unit,
    webhook_url: str = "",
    platform: str = "",
    domains: Sequence[str] = (),
    email: str = "",
    by: Actor,
) -> IssuedClient:
    """A new client and its token (shown once). A platform, which receives orders, names the
    platform code its account subjects use (`weibo` in `weibo:handle`) and/or the hosts it
    serves, so that orders about a subject find it; orders go to its webhook, else to `email`.
    Raises IntakeError for an address that is not one."""
    client_kind = ClientKind(kind)
    code, hosts = platform_identity(client_kind, platform, domains)
    address = email.strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise IntakeError(
                _("“%(email)s” is not an e-mail address.") % {"email": address}
            ) from None
    token = "fs_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            kind=client_kind,
            unit=unit,
            token_digest=token_digest(token),
            token_hint=token[:7],
            webhook_url=webhook_url,
            webhook_secret=secrets.token_hex(32) if webhook_url else "",
            platform=code,
            domains=hosts,
            email=address,
        )
        payload = {"name": name, "kind": client.kind, "platform": code, "domains": hosts}
        if address:
            payload["email"] = address
        record(by=by, action="api_client.issued", obj=client, unit=unit, payload=payload)
    return IssuedClient(client, token)


def platform_identity(kind: str, platform: str, domains: Sequence[str]) -> tuple[str, list[str]]:
    """The platform code and hosts of a client, cleaned; raises IntakeError when a platform
    has neither or a host is not a domain name."""
    hosts = sorted({d.strip().lower().strip(".") for d in domains if d.strip()})
    code = platform.strip().lower()
    if kind == ClientKind.PLATFORM and not (code or hosts):
        raise IntakeError(
            _("A platform needs its platform code (as in weibo:handle) or the domains it serves.")
        )
    bad = [h for h in hosts if not _HOST.match(h)]
    if bad:
        raise IntakeError(_("“%(host)s” is not a domain name.") % {"host": bad[0]})
    return code, hosts


_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def set_client_status(*, client: ApiClient, status: str, reason: str, by: Actor) -> ApiClient:
    """Warn, suspend or reinstate a flagger or authority. Suspension needs a warning first
    (DSA Art. 23) and a reason."""
    new = ClientStatus(status)
    if not reason.strip():
        raise IntakeError(_("Give the reason; it is recorded and told to the sender."))
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if new == ClientStatus.SUSPENDED and client.status != ClientStatus.WARNED:
            raise IntakeError(_("A sender is warned before being suspended."))
        payload = {"from": client.status, "to": new.value, "reason": reason.strip()}
        client.status = new
        client.save(update_fields=["status"])
        record(
            by=by, action="api_client.status_changed", obj=client, unit=client.unit, payload=payload
        )
    return client


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _idempotency_scope(s: Submission) -> str:
    return f"client:{s.client.pk}" if s.client is not None else f"source:{s.source}"


def _receipt_code(s: Submission, scope: str) -> str | None:
    if s.source == ReportSource.PATROL:
        return None
    if s.idempotency_key:
        return receipts.code_for(f"{scope}:{s.idempotency_key}")
    return receipts.new_code()


def _locked_subjects(keys: list[tuple[str, str]]) -> list[Subject]:
    """The subjects for `keys`, created when new, locked in id order so that two reports
    about the same new thing cannot both open a case."""
    wanted = sorted(set(keys))
    # Two statements whatever the number of subjects: insert the missing ones (sorted, so that
    # two reports creating the same subjects wait for each other in one order), then lock.
    Subject.objects.bulk_create(
        [Subject(kind=kind, key=key) for kind, key in wanted], ignore_conflicts=True
    )
    matches = Q()
    for kind, key in wanted:
        matches |= Q(kind=kind, key=key)
    return list(Subject.objects.select_for_update().filter(matches).order_by("pk"))


def _open_case_about(subjects: list[Subject]) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .filter(subjects__in=subjects)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("opened_at", "pk")
        .first()
    )
