"""Case reports and advisories: drafted, edited, approved (published) and withdrawn by a
publisher covering the unit. Nothing is public before approval, and approval redacts the text
again and refuses while personal data remains. Errors people can fix raise CaseError."""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontstage.accounts.models import Staff
from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError, add_case_event
from frontstage.cases.models import (
    Appeal,
    Case,
    CaseEventKind,
    CaseStatus,
    Decision,
    SanctionStatus,
    SubjectKind,
)
from frontstage.cases.related import related_cases
from frontstage.intake.models import Report
from frontstage.publish.actions.federation import announce
from frontstage.publish.models import Publication, PublicationKind, PublicationStatus
from frontstage.publish.redact import MARKERS, Kind, redact
from frontstage.units.models import Unit
from frontstage.units.scope import PUBLISHING, descendants_of, unit_ids

TEXT_FIELDS = ("title_en", "title_zh", "body_en", "body_zh")
CAMPAIGN_DAYS = 7


def draft_case_report(*, case: Case, by: Staff) -> Publication:
    """A draft case report on the channel of `case`'s unit, pre-filled in English and Chinese
    from its newest decision and redacted; `redactions` counts what was removed from the
    English text, by kind. The case must be closed with a decision."""
    _check_publisher(by, case.unit)
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
        decision = case.decisions.select_related("legal_ground").first()
        if case.status != CaseStatus.CLOSED or decision is None:
            raise CaseError(_("Only a closed case with a decision can have a case report."))
        known, keep = personal_strings(case)
        texts: dict[str, str] = {}
        found: dict[str, int] = {}
        for language in ("en", "zh"):
            with translation.override("zh-hans" if language == "zh" else "en"):
                title, body = _case_report_text(case, decision)
            for name, text in (("title", title), ("body", body)):
                cleaned = redact(text, keep=keep, known=known, language=language)
                texts[f"{name}_{language}"] = cleaned.text
                if language == "en":
                    for kind, count in cleaned.found.items():
                        found[kind] = found.get(kind, 0) + count
        now = timezone.now()
        publication = Publication.objects.create(
            unit=case.unit,
            kind=PublicationKind.CASE_REPORT,
            case=case,
            redactions=found,
            created_by=by,
            created_at=now,
            updated_at=now,
            **texts,
        )
        _case_note(case, publication, "drafted", by=by)
        payload = {"kind": publication.kind, "case": case.pk, "redactions": found}
        record(
            by=by, action="publication.drafted", obj=publication, unit=case.unit, payload=payload
        )
    return publication


def _case_report_text(case: Case, decision: Decision) -> tuple[str, str]:
    """Title and Markdown body in the active language, before redaction."""
    category = case.category.name if case.category else _("Illegal content")
    sanctions = decision.sanctions.exclude(
        status__in=[SanctionStatus.REJECTED, SanctionStatus.AWAITING_APPROVAL]
    )
    counts: dict[str, int] = {}
    for sanction in sanctions:
        label = str(sanction.get_kind_display())
        counts[label] = counts.get(label, 0) + 1
    title = _("%(category)s: %(outcome)s") % {
        "category": category,
        "outcome": (case.get_outcome_display() or decision.get_outcome_display()).lower(),
    }
    lines = [decision.facts]
    if decision.explanation:
        lines.append(decision.explanation)
    if counts:
        measures = [f"- {label} × {count}" for label, count in sorted(counts.items())]
        lines.append(_("**Measures taken:**") + "\n\n" + "\n".join(measures))
    if decision.legal_ground:
        ground = decision.legal_ground
        lines.append(
            _("**Legal ground:** %(reference)s — %(title)s")
            % {
                "reference": ground.reference,
                "title": ground.title,
            }
        )
    lines.append(
        _("Case opened %(opened)s, decided %(decided)s, closed %(closed)s.")
        % {
            "opened": f"{timezone.localtime(case.opened_at):%Y-%m-%d}",
            "decided": f"{timezone.localtime(decision.decided_at):%Y-%m-%d}",
            "closed": f"{timezone.localtime(case.closed_at):%Y-%m-%d}" if case.closed_at else "—",
        }
    )
    return title[:200], "\n\n".join(lines)


def personal_strings(case: Case) -> tuple[dict[Kind, list[str]], list[str]]:
    """What the case knows to be personal (names and e-mails of reporters, appellants' and
    affected users' e-mails, its account, phone, URL and wallet subjects), and what may stay:
    the legal ground's reference and the bare domains the unit sanctioned."""
    reports = Report.objects.filter(case=case)
    known: dict[Kind, list[str]] = {
        Kind.NAME: [n for n in reports.values_list("reporter_name", flat=True) if n],
        Kind.EMAIL: [e for e in reports.values_list("reporter_email", flat=True) if e],
    }
    known[Kind.EMAIL] += [
        e for e in Appeal.objects.filter(case=case).values_list("email", flat=True) if e
    ]
    known[Kind.EMAIL] += [e for e in case.sanctions.values_list("affected_email", flat=True) if e]
    by_kind = {
        SubjectKind.ACCOUNT: Kind.ACCOUNT,
        SubjectKind.WALLET: Kind.ACCOUNT,
        SubjectKind.PHONE: Kind.PHONE,
        SubjectKind.URL: Kind.LINK,
    }
    for kind, key in case.subjects.values_list("kind", "key"):
        if kind in by_kind:
            known.setdefault(by_kind[SubjectKind(kind)], []).append(key)
    keep = list(
        case.sanctions.filter(subject__kind=SubjectKind.DOMAIN)
        .exclude(status=SanctionStatus.REJECTED)
        .values_list("subject__key", flat=True)
    )
    keep += [
        d.legal_ground.reference
        for d in case.decisions.select_related("legal_ground")
        if d.legal_ground
    ]
    return known, keep


def draft_advisory(
    *,
    unit: Unit,
    by: Staff,
    campaign_of: Case | None = None,
    title_en: str,
    body_en: str,
    title_zh: str = "",
    body_zh: str = "",
) -> Publication:
    """A draft advisory (Markdown) on `unit`'s channel. From a case of a campaign, `campaign`
    records the campaign's figures: {"cases", "reports" (received in the last CAMPAIGN_DAYS
    days), "since" (ISO), "linked_by" (kinds of what links them)} — never the subjects."""
    _check_publisher(by, unit)
    values = _checked(
        {"title_en": title_en, "title_zh": title_zh, "body_en": body_en, "body_zh": body_zh}
    )
    with transaction.atomic():
        campaign: dict[str, Any] = {}
        if campaign_of is not None:
            if campaign_of.unit_id not in descendants_of(unit):
                raise CaseError(
                    _("That case is not in this unit's scope; start from one of its own cases.")
                )
            campaign = _campaign_figures(campaign_of, unit)
        now = timezone.now()
        publication = Publication.objects.create(
            unit=unit,
            kind=PublicationKind.ADVISORY,
            case=campaign_of,
            campaign=campaign,
            created_by=by,
            created_at=now,
            updated_at=now,
            **values,
        )
        payload = {"kind": publication.kind, "campaign": campaign}
        record(by=by, action="publication.drafted", obj=publication, unit=unit, payload=payload)
    return publication


def _campaign_figures(case: Case, unit: Unit) -> dict[str, Any]:
    campaign = related_cases(case, scope_ids=descendants_of(unit))
    since = timezone.now() - timedelta(days=CAMPAIGN_DAYS)
    ids = [case.pk, *(r.case.pk for r in campaign.related)]
    return {
        "cases": campaign.case_count,
        "reports": Report.objects.filter(case_id__in=ids, received_at__gte=since).count(),
        "since": since.isoformat(),
        "linked_by": sorted({link.kind for link in campaign.links}),
    }


def edit_publication(*, publication: Publication, by: Staff, **fields: str) -> Publication:
    """Change the texts of a draft (any of TEXT_FIELDS); a published post is withdrawn and
    written anew, never changed."""
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"edit_publication() got unknown fields {sorted(unknown)}")
    _check_publisher(by, publication.unit)
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status != PublicationStatus.DRAFT:
            raise CaseError(_("Only a draft can be edited; this post is no longer a draft."))
        current = {name: getattr(publication, name) for name in TEXT_FIELDS}
        values = _checked({**current, **fields})
        changed = sorted(name for name in TEXT_FIELDS if values[name] != current[name])
        if not changed:
            return publication
        for name in changed:
            setattr(publication, name, values[name])
        publication.updated_at = timezone.now()
        publication.save(update_fields=[*changed, "updated_at"])
        payload = {"fields": changed}
        record(
            by=by,
            action="publication.edited",
            obj=publication,
            unit=publication.unit,
            payload=payload,
        )
    return publication


def approve_publication(*, publication: Publication, by: Staff) -> Publication:
    """Publish a draft. Its texts are redacted again first (a publisher may have pasted
    personal data): while anything is found, approval is refused with a message naming the
    kinds, and nothing changes."""
    _check_publisher(by, publication.unit)
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status != PublicationStatus.DRAFT:
            raise CaseError(_("Only a draft can be approved; this post is no longer a draft."))
        found = remaining_personal_data(publication)
        if found:
            raise CaseError(
                _(
                    "Personal data remains in the text: %(kinds)s. Remove it, or replace it by a "
                    "marker such as [phone], then approve again."
                )
                % {"kinds": describe(found)}
            )
        publication.status = PublicationStatus.PUBLISHED
        publication.approved_by = by
        publication.published_at = timezone.now()
        publication.save(update_fields=["status", "approved_by", "published_at"])
        announce(publication=publication, by=by)
        if publication.case is not None and publication.kind == PublicationKind.CASE_REPORT:
            _case_note(publication.case, publication, "published", by=by)
        payload = {"kind": publication.kind}
        record(
            by=by,
            action="publication.approved",
            obj=publication,
            unit=publication.unit,
            payload=payload,
        )
    return publication


def remaining_personal_data(publication: Publication) -> dict[str, int]:
    """Kinds and counts of personal data found in the texts of `publication` now."""
    known: Mapping[Kind, Iterable[str]] = {}
    keep: list[str] = []
    if publication.case_id is not None and publication.case is not None:
        known, keep = personal_strings(publication.case)
    found: dict[str, int] = {}
    for name in TEXT_FIELDS:
        language = "zh" if name.endswith("_zh") else "en"
        for kind, count in redact(
            getattr(publication, name), keep=keep, known=known, language=language
        ).found.items():
            found[kind] = found.get(kind, 0) + count
    return found


def describe(found: Mapping[str, int]) -> str:
    """“phone (2), e-mail (1)” in the active language, for messages to people."""
    chinese = (translation.get_language() or "").startswith("zh")
    return ", ".join(
        f"{MARKERS[Kind(kind)][1 if chinese else 0]} ({count})"
        for kind, count in sorted(found.items())
    )


def withdraw_publication(*, publication: Publication, by: Staff, reason: str) -> Publication:
    """Take a published post off its channel and feeds; the post stays, saying when and why."""
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Say why the post is withdrawn: the reason is shown in its place."))
    _check_publisher(by, publication.unit)
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status != PublicationStatus.PUBLISHED:
            raise CaseError(_("Only a published post can be withdrawn."))
        publication.status = PublicationStatus.WITHDRAWN
        publication.withdrawn_by = by
        publication.withdrawn_at = timezone.now()
        publication.withdrawal_reason = reason
        publication.save(
            update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason"]
        )
        announce(publication=publication, by=by)
        if publication.case_id and publication.case is not None:
            _case_note(publication.case, publication, "withdrawn", by=by)
        payload = {"kind": publication.kind, "reason": reason}
        record(
            by=by,
            action="publication.withdrawn",
            obj=publication,
            unit=publication.unit,
            payload=payload,
        )
    return publication


def _check_publisher(by: Staff, unit: Unit) -> None:
    if unit.pk not in unit_ids(by, PUBLISHING):
        raise CaseError(_("Only a publisher of %(unit)s may do this.") % {"unit": unit})


def _checked(values: dict[str, str]) -> dict[str, str]:
    values = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    if not values["title_en"] or not values["body_en"]:
        raise CaseError(_("A post needs an English title and text; the Chinese ones are optional."))
    if any(len(values[name]) > 200 for name in ("title_en", "title_zh")):
        raise CaseError(_("A title has at most 200 characters; shorten it."))
    return values


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("unit", "case")
        .get(pk=publication.pk)
    )


def _case_note(case: Case, publication: Publication, what: str, *, by: Staff) -> None:
    # The case's history says what became of it in public; the text is the post's reference.
    text = f"Case report {publication.reference} {what}"
    add_case_event(
        case, CaseEventKind.NOTE, by=by, payload={"text": text, "publication": publication.pk}
    )
