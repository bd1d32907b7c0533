"""Evidence: capture with hashes, chain of custody, export packages.

An evidence item keeps exactly the bytes it was captured with and the SHA-256 of those bytes;
nothing changes it afterwards. Everything that happens to it (captured, viewed, exported,
verified) is a custody entry, which the database keeps append-only."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError, add_case_event
from frontstage.cases.models import (
    Case,
    CaseEventKind,
    Category,
    CustodyAction,
    CustodyEntry,
    EvidenceItem,
    EvidenceKind,
)
from frontstage.cases.package import Package, PackageItem, build_package
from frontstage.intake.models import Attachment, Report
from frontstage.lib.actors import Actor, actor_label, actor_user
from frontstage.patrol.models import PatrolHit

# Items kept as a hash only carry no bytes; this content type says so wherever they go.
HASH_ONLY = "application/x-frontstage-hash-only"
JSON = "application/json"
CHILD_SEXUAL_ABUSE = "child_sexual_abuse"


def capture_report_evidence(*, case: Case, report: Report, by: Actor) -> list[EvidenceItem]:
    """Keep the report's text and attachments as evidence items of `case`. Call inside the
    transaction that records the report. Returns the items captured now (none when they were
    captured before). Attachments of child sexual abuse material are kept as the hash of the
    file received, never its bytes."""
    hash_only = never_in_the_clear(report.category) or never_in_the_clear(case.category)
    text = {
        "report": report.pk,
        "source": report.source,
        "category": report.category.code if report.category else None,
        "explanation": report.explanation,
        "locations": report.locations,
        "language": report.language,
        "seen_on": report.seen_on.isoformat() if report.seen_on else None,
        "received_at": report.received_at.isoformat(),
    }
    label = _("Text of report #%(report)s") % {"report": report.pk}
    found = [_Found(EvidenceKind.REPORT_TEXT, f"report:{report.pk}", label, _json_bytes(text))]
    for number, shot in enumerate(report.attachments.order_by("pk"), start=1):
        found.append(_attachment(shot, report, number, hash_only=hash_only))
    return _capture(case, found, by=by, payload={"report": report.pk})


def capture_hit_evidence(*, case: Case, hit: PatrolHit, by: Actor) -> EvidenceItem | None:
    """Keep a snapshot of a patrol hit (the post as the patrol saw it and why it matched) as
    evidence of `case`; None when it was captured before."""
    snapshot = {
        "source": hit.source,
        "post_id": hit.post_id,
        "text": hit.text,
        "author": hit.author,
        "urls": hit.urls,
        "posted_at": hit.posted_at.isoformat() if hit.posted_at else None,
        "rule": hit.rule,
        "version": hit.rule_version,
        "category": hit.category,
        "score": hit.score,
        "mode": hit.mode,
        "evidence": hit.evidence,
        "recorded_at": hit.recorded_at.isoformat(),
    }
    label = _("Patrol snapshot: rule %(rule)s v%(version)s on post %(post)s") % {
        "rule": hit.rule,
        "version": hit.rule_version,
        "post": hit.post_id,
    }
    found = _Found(EvidenceKind.PATROL_SNAPSHOT, f"hit:{hit.pk}", label, _json_bytes(snapshot))
    captured = _capture(case, [found], by=by, payload={"hit": hit.pk})
    return captured[0] if captured else None


def record_view(*, item: EvidenceItem, by: Actor) -> CustodyEntry:
    """Someone looked at `item`'s content: a custody entry and an audit event."""
    with transaction.atomic():
        entry = _custody(item, CustodyAction.VIEWED, by=by)
        payload = {"case": item.case_id, "origin": item.origin, "sha256": item.sha256}
        record(by=by, action="evidence.viewed", obj=item, unit=item.case.unit, payload=payload)
    return entry


def record_attachment_view(*, attachment: Attachment, by: Actor) -> None:
    """A screenshot was shown from its report: the evidence items kept of it (in the case it
    was captured in, even if the report moved since) record the view. The caller writes the
    audit event of the view, in the same transaction."""
    for item in EvidenceItem.objects.filter(origin=f"attachment:{attachment.pk}"):
        _custody(item, CustodyAction.VIEWED, by=by)


@dataclass(frozen=True)
class Mismatch:
    """An item whose stored bytes no longer hash to the SHA-256 recorded at capture."""

    item: EvidenceItem
    recorded: str
    found: str


def verify_evidence(*, case: Case, by: Actor) -> list[Mismatch]:
    """Hash every item of `case` again and record the result in its custody trail. Returns
    the items that no longer match (empty when all is well). Items kept as a hash only have no
    bytes to hash; their entry says so."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
        mismatches: list[Mismatch] = []
        for item in case.evidence.all():
            if item.content_type == HASH_ONLY:
                _custody(item, CustodyAction.VERIFIED, by=by, note=_("Hash only: nothing to hash."))
                continue
            found = hashlib.sha256(bytes(item.content)).hexdigest()
            ok = found == item.sha256
            if not ok:
                mismatches.append(Mismatch(item, item.sha256, found))
            note = (
                _("Matches.")
                if ok
                else _("MISMATCH: the bytes now hash to %(found)s.") % {"found": found}
            )
            _custody(item, CustodyAction.VERIFIED, by=by, note=note)
        payload = {
            "custody": CustodyAction.VERIFIED.value,
            "items": case.evidence.count(),
            "mismatches": [m.item.origin for m in mismatches],
        }
        add_case_event(case, CaseEventKind.EVIDENCE, by=by, payload=payload)
        record(by=by, action="evidence.verified", obj=case, unit=case.unit, payload=payload)
    return mismatches


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    sha256: str


def export_evidence(*, case: Case, by: Actor) -> Export:
    """The evidence package of `case` (see `frontstage.cases.package`), with an EXPORTED
    custody entry on every item and one audit event "evidence.exported". The manifest shows
    each item's custody trail as it stood before this export. Raises CaseError when the case
    has no evidence."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("unit", "category")
            .get(pk=case.pk)
        )
        trail = CustodyEntry.objects.select_related("actor")
        items = list(case.evidence.prefetch_related(Prefetch("custody", queryset=trail)))
        if not items:
            raise CaseError(_("%(case)s has no evidence to export yet.") % {"case": case})
        now = timezone.now()
        content = build_package(_package(case, items, exported_at=now, by=by))
        digest = hashlib.sha256(content).hexdigest()
        note = _("In package %(sha256)s") % {"sha256": digest}
        for item in items:
            _custody(item, CustodyAction.EXPORTED, by=by, note=note, at=now)
        payload = {
            "custody": CustodyAction.EXPORTED.value,
            "items": len(items),
            "package_sha256": digest,
        }
        add_case_event(case, CaseEventKind.EVIDENCE, by=by, payload=payload)
        record(by=by, action="evidence.exported", obj=case, unit=case.unit, payload=payload)
    return Export(content, f"{case.reference}-evidence.zip", digest)


def parse_case_reference(text: str) -> int | None:
    """The case id in "123", "C-000123" or "c-123"; None when `text` is neither."""
    raw = text.strip().upper().removeprefix("C-")
    return int(raw) if raw.isdigit() else None


@dataclass(frozen=True)
class _Found:
    kind: str
    origin: str
    label: str
    content: bytes
    content_type: str = JSON
    sha256: str = ""  # set only for items kept as a hash only
    note: str = ""


def _attachment(shot: Attachment, report: Report, number: int, *, hash_only: bool) -> _Found:
    names = {"number": number, "report": report.pk, "original": shot.original_sha256}
    if hash_only:
        return _Found(
            EvidenceKind.ATTACHMENT,
            f"attachment:{shot.pk}",
            _("Screenshot %(number)s of report #%(report)s (hash only)") % names,
            b"",
            HASH_ONLY,
            sha256=shot.original_sha256,
            note=_(
                "Child sexual abuse material: only the SHA-256 of the file as received is "
                "kept; it is never stored or shown in the clear."
            ),
        )
    return _Found(
        EvidenceKind.ATTACHMENT,
        f"attachment:{shot.pk}",
        _("Screenshot %(number)s of report #%(report)s") % names,
        bytes(shot.content),
        shot.content_type,
        note=_(
            "Re-encoded on receipt without metadata; the file as received had SHA-256 %(original)s."
        )
        % names,
    )


def _capture(
    case: Case, found: Iterable[_Found], *, by: Actor, payload: dict[str, Any]
) -> list[EvidenceItem]:
    found = list(found)
    with transaction.atomic():
        known = set(
            EvidenceItem.objects.filter(
                case=case, origin__in=[f.origin for f in found]
            ).values_list("origin", flat=True)
        )
        now = timezone.now()
        captured = []
        for f in found:
            if f.origin in known:
                continue
            item = EvidenceItem.objects.create(
                case=case,
                kind=f.kind,
                origin=f.origin,
                label=f.label[:200],
                content=f.content,
                content_type=f.content_type,
                sha256=f.sha256 or hashlib.sha256(f.content).hexdigest(),
                captured_at=now,
            )
            _custody(item, CustodyAction.CAPTURED, by=by, note=f.note, at=now)
            captured.append(item)
        if captured:
            payload = {**payload, "items": {i.origin: i.sha256 for i in captured}}
            add_case_event(case, CaseEventKind.EVIDENCE, by=by, payload=payload)
            record(by=by, action="evidence.captured", obj=case, unit=case.unit, payload=payload)
    return captured


def _custody(
    item: EvidenceItem, action: str, *, by: Actor, note: str = "", at: datetime | None = None
) -> CustodyEntry:
    return CustodyEntry.objects.create(
        item=item,
        at=at or timezone.now(),
        actor=actor_user(by),
        actor_label=actor_label(by),
        action=action,
        note=note[:500],
    )


def _who(by: Actor) -> str:
    """Packages leave the system, so they name people by username, not by staff id."""
    user = actor_user(by)
    return user.get_username() if user is not None else actor_label(by)


def never_in_the_clear(category: Category | None) -> bool:
    """Material of this category is kept as hashes only: never stored or shown in the clear."""
    return category is not None and (
        category.code == CHILD_SEXUAL_ABUSE or category.patrol_hash_only
    )


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8")


def _package(case: Case, items: list[EvidenceItem], *, exported_at: datetime, by: Actor) -> Package:
    return Package(
        case=case.reference,
        unit=case.unit.slug,
        category=case.category.code if case.category else None,
        exported_at=exported_at,
        exporter=_who(by),
        items=[
            PackageItem(
                kind=item.kind,
                origin=item.origin,
                label=item.label,
                content=None if item.content_type == HASH_ONLY else bytes(item.content),
                content_type=item.content_type,
                sha256=item.sha256,
                captured_at=item.captured_at,
                custody=[
                    {
                        "at": entry.at.isoformat(),
                        "action": entry.action,
                        "by": entry.actor.get_username() if entry.actor else entry.actor_label,
                        "note": entry.note,
                    }
                    for entry in item.custody.all()
                ],
            )
            for item in items
        ],
    )
