"""Statements of reasons for the EU DSA Transparency Database: preparing them from the frozen
statements (with the facts the content does not hold, and personal data removed), sending the
undelivered ones in batches, recording each delivery, and the figures the transparency report
reconciles.

A delivery is bookkeeping about a statement, not a change to its case, so it is written to the
audit log only (like intake's webhook deliveries), not to the case history. A statement counts
as delivered when its StatementDelivery has `delivered_at`; a PUID the database already holds
counts too (`duplicate`). A statement the database refused keeps a StatementDelivery with its
reasons and no `delivered_at`, and is sent again by the next run."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from frontstage.audit.actions import record
from frontstage.cases.models import (
    Appeal,
    Sanction,
    SanctionKind,
    StatementOfReasons,
    SubjectKind,
)
from frontstage.intake.models import Report, ReportSource
from frontstage.lib.actors import SYSTEM, Actor
from frontstage.publish.models import StatementDelivery
from frontstage.publish.sor import NotExportable, tdb_statement
from frontstage.publish.sor_client import MAX_BATCH, TdbClient, TdbUnavailable
from frontstage.publish.sor_validate import Problem, validate

ORGANISATION_SOURCES = (ReportSource.TRUSTED_FLAGGER, ReportSource.AUTHORITY_ORDER)
# The redaction kind (frontstage.publish.redact.Kind) of each subject kind's key.
SUBJECT_KINDS: dict[str, str] = {
    SubjectKind.ACCOUNT: "account",
    SubjectKind.PHONE: "phone",
    SubjectKind.URL: "link",
    SubjectKind.DOMAIN: "link",
}


@dataclass
class Prepared:
    """One statement as the database would get it (`tdb`), or why it cannot be sent
    (`problems`: (field, reason); `tdb` is None then)."""

    statement: StatementOfReasons
    tdb: dict[str, Any] | None
    problems: list[Problem]

    @property
    def puid(self) -> str:
        return self.statement.puid


@dataclass
class Submitted:
    """The counts of one `submit` run, and what stopped it, if anything."""

    sent: int = 0
    duplicates: int = 0
    refused: dict[str, list[str]] = field(default_factory=dict)
    invalid: list[Prepared] = field(default_factory=list)
    stopped: str = ""


def prepare(*, since: datetime | None = None, pending_only: bool = False) -> Iterator[Prepared]:
    """Every statement issued since `since` (all when None), oldest first, mapped and validated;
    `pending_only` leaves out those already delivered."""
    statements = StatementOfReasons.objects.select_related(
        "sanction__case__category", "sanction__case__unit"
    ).order_by("issued_at", "id")
    if since is not None:
        statements = statements.filter(issued_at__gte=since)
    if pending_only:
        statements = statements.exclude(delivery__delivered_at__isnull=False)
    for statement in statements.iterator(chunk_size=200):
        try:
            tdb = _tdb(statement)
        except NotExportable as refusal:
            yield Prepared(statement, None, [("statement", str(refusal))])
            continue
        problems = validate(tdb)
        yield Prepared(statement, None if problems else tdb, problems)


def submit(
    *, client: TdbClient, since: datetime | None = None, batch: int = MAX_BATCH, by: Actor = SYSTEM
) -> Submitted:
    """Send every valid undelivered statement in batches of `batch` (at most 100) and record
    what the database says. A batch refused for some statements is sent again without them
    (duplicates are recorded as delivered, refusals with their reasons). When the database
    cannot be reached the run stops: what was recorded stays, the rest waits for the next run."""
    batch = max(1, min(batch, MAX_BATCH))
    result = Submitted()
    valid: list[Prepared] = []
    for item in prepare(since=since, pending_only=True):
        (valid if item.tdb is not None else result.invalid).append(item)
    for start in range(0, len(valid), batch):
        remaining = valid[start : start + batch]
        while remaining:
            try:
                answer = client.post([item.tdb for item in remaining if item.tdb is not None])
            except TdbUnavailable as error:
                result.stopped = str(error)
                return result
            for item in remaining:
                if item.puid in answer.created:
                    record_delivered(
                        statement=item.statement, by=by, remote_uuid=answer.created[item.puid]
                    )
                    result.sent += 1
                elif item.puid in answer.duplicates:
                    record_delivered(statement=item.statement, by=by, duplicate=True)
                    result.duplicates += 1
                elif item.puid in answer.rejected:
                    record_refused(
                        statement=item.statement, by=by, reasons=answer.rejected[item.puid]
                    )
                    result.refused[item.puid] = answer.rejected[item.puid]
            done = answer.created.keys() | answer.duplicates | answer.rejected.keys()
            remaining = [item for item in remaining if item.puid not in done]
    return result


def record_delivered(
    *, statement: StatementOfReasons, by: Actor, remote_uuid: str = "", duplicate: bool = False
) -> StatementDelivery:
    """Record that the database holds `statement`: sent now (`remote_uuid` its id there) or
    found there already (`duplicate`)."""
    with transaction.atomic():
        delivery = _locked(statement)
        delivery.attempts += 1
        delivery.delivered_at = timezone.now()
        delivery.duplicate = duplicate
        delivery.remote_uuid = remote_uuid[:64]
        delivery.last_error = ""
        delivery.save()
        payload = {"puid": statement.puid, "duplicate": duplicate, "uuid": remote_uuid}
        record(
            by=by,
            action="statement.delivered",
            obj=statement,
            unit=statement.sanction.case.unit,
            payload=payload,
        )
    return delivery


def record_refused(
    *, statement: StatementOfReasons, by: Actor, reasons: Iterable[str]
) -> StatementDelivery:
    """Record that the database refused `statement`, with its reasons; it stays undelivered."""
    reasons = list(reasons)
    with transaction.atomic():
        delivery = _locked(statement)
        delivery.attempts += 1
        delivery.last_error = "; ".join(reasons)[:500]
        delivery.save()
        record(
            by=by,
            action="statement.refused",
            obj=statement,
            unit=statement.sanction.case.unit,
            payload={"puid": statement.puid, "reasons": reasons},
        )
    return delivery


def sor_figures(unit_ids: Iterable[int], since: datetime, until: datetime) -> dict[str, int]:
    """For the transparency report, of sanctions that took effect in [since, until) in the
    units: how many there were (prosecution referrals left out: they get no statement by
    design), how many statements of reasons were issued for them, and how many of those the
    DSA database holds now."""
    units = list(unit_ids)
    sanctions = Sanction.objects.filter(
        case__unit_id__in=units, starts_at__gte=since, starts_at__lt=until
    ).exclude(kind=SanctionKind.PROSECUTE)
    statements = StatementOfReasons.objects.filter(sanction__in=sanctions)
    return {
        "sanctions": sanctions.count(),
        "statements": statements.count(),
        "delivered": statements.filter(delivery__delivered_at__isnull=False).count(),
    }


def _locked(statement: StatementOfReasons) -> StatementDelivery:
    # The statement's row is the lock: two runs recording the same statement queue up here.
    StatementOfReasons.objects.select_for_update().get(pk=statement.pk)
    delivery, _created = StatementDelivery.objects.select_for_update().get_or_create(
        statement=statement
    )
    return delivery


def _tdb(statement: StatementOfReasons) -> dict[str, Any]:
    """The database's statement, with the facts only the case knows."""
    sanction = statement.sanction
    case = sanction.case
    reports = list(
        Report.objects.filter(case=case).select_related("client").order_by("received_at", "id")
    )
    organisations: dict[str, str] = {}
    for report in reports:
        if report.source in ORGANISATION_SOURCES and report.client is not None:
            organisations.setdefault(report.source, report.client.name)
    return tdb_statement(
        statement.content,
        clean=_cleaner(_personal_strings(statement, reports)),
        keywords=list(case.category.dsa_keywords) if case.category else [],
        content_date=_first_seen(reports),
        # We do not record the language of the content itself (a report's language is the
        # reporter's); a guess would mislead, and the field may be null.
        content_language=None,
        organisations=organisations,
    )


def _first_seen(reports: list[Report]) -> date | None:
    days = [r.seen_on or r.received_at.date() for r in reports]
    return min(days) if days else None


def _personal_strings(statement: StatementOfReasons, reports: list[Report]) -> dict[str, list[str]]:
    """What the case knows that names or reaches a person, by redaction kind: reporters, the
    affected user, the appellants and the subjects (handles, phones, exact URLs)."""
    sanction = statement.sanction
    appellants = Appeal.objects.filter(statement=statement).values_list("email", flat=True)
    known: dict[str, set[str]] = {
        "name": {r.reporter_name for r in reports},
        "email": {r.reporter_email for r in reports} | {sanction.affected_email, *appellants},
    }
    for kind, key in sanction.case.subjects.values_list("kind", "key"):
        known.setdefault(SUBJECT_KINDS.get(kind, "account"), set()).add(key)
    return {kind: sorted(v for v in values if v) for kind, values in known.items()}


def _cleaner(known: dict[str, list[str]]) -> Callable[[str], str]:
    try:
        from frontstage.publish.redact import Kind, redact
    except ImportError as missing:
        raise NotExportable("redaction unavailable") from missing
    by_kind = {Kind(kind): values for kind, values in known.items()}

    def clean(text: str) -> str:
        return redact(text, known=by_kind).text if text else ""

    return clean
