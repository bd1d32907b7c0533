"""Appeals against sanctions (DSA Art. 20): the affected user files one from the link in their
statement of reasons; a supervisor who neither decided nor approved the sanction decides it.
A reversal lifts the sanction, removes its strike, orders the platform to restore, and tells
the reporters and the appellant on commit."""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontstage.accounts.models import Staff
from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError, add_case_event
from frontstage.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    CaseEventKind,
    CaseOutcome,
    OrderAction,
    PlatformOrder,
    Sanction,
    SanctionStatus,
    StatementOfReasons,
    Strike,
)
from frontstage.intake.notify import tell_reporters
from frontstage.intake.webhooks import queue_outcomes
from frontstage.lib.actors import Actor

log = logging.getLogger(__name__)

APPEAL_MIN_CHARS = 20
APPEAL_MAX_CHARS = 5000
REASON_MAX_CHARS = 5000
# A reversal can only lift what still binds the user (an expired suspension still left a
# strike and a record, so it is lifted too).
LIFTABLE = frozenset({SanctionStatus.IN_EFFECT, SanctionStatus.EXPIRED})


def file_appeal(*, statement: StatementOfReasons, text: str, email: str = "", by: Actor) -> Appeal:
    """The affected user's appeal against the sanction of `statement`. Refused (CaseError, in the
    active language) when the text is shorter than APPEAL_MIN_CHARS or longer than
    APPEAL_MAX_CHARS, after `statement.appeal_until`, while another appeal is open, or once an
    appeal was decided (the courts and out-of-court bodies remain)."""
    text = text.strip()
    email = email.strip()
    if len(text) < APPEAL_MIN_CHARS:
        raise CaseError(
            _("Explain in at least %(min)d characters why you think the decision is wrong.")
            % {"min": APPEAL_MIN_CHARS}
        )
    if len(text) > APPEAL_MAX_CHARS:
        raise CaseError(
            _("Your explanation is %(length)d characters long; please shorten it to %(max)d.")
            % {"length": len(text), "max": APPEAL_MAX_CHARS}
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CaseError(
                _("“%(email)s” is not an e-mail address; correct it or leave it empty.")
                % {"email": email}
            ) from None
    with transaction.atomic():
        # The statement's row lock makes two appeals sent at once queue, so only one is open.
        statement = (
            StatementOfReasons.objects.select_for_update(of=("self",))
            .select_related("sanction__case__unit")
            .get(pk=statement.pk)
        )
        if timezone.now() > statement.appeal_until:
            raise CaseError(
                _(
                    "The time to appeal ended on %(date)s. You can still go to court or to an "
                    "out-of-court dispute settlement body."
                )
                % {"date": f"{timezone.localtime(statement.appeal_until):%Y-%m-%d}"}
            )
        earlier = statement.appeals.order_by("-filed_at").first()
        if earlier is not None and earlier.status == AppealStatus.OPEN:
            raise CaseError(
                _(
                    "Your appeal against this decision is already being reviewed; you will see "
                    "the outcome on this page."
                )
            )
        if earlier is not None:
            raise CaseError(
                _(
                    "Your appeal against this decision was already decided. You can still go to "
                    "court or to an out-of-court dispute settlement body."
                )
            )
        case = statement.sanction.case
        appeal = Appeal.objects.create(
            statement=statement, case=case, text=text, email=email, filed_at=timezone.now()
        )
        # The text and address stay on the appeal; events carry only references.
        payload = {
            "appeal": str(appeal),
            "statement": statement.puid,
            "sanction": statement.sanction_id,
        }
        add_case_event(case, CaseEventKind.APPEAL_FILED, by=by, payload=payload)
        record(by=by, action="appeal.filed", obj=appeal, unit=case.unit, payload=payload)
    return appeal


def decide_appeal(*, appeal: Appeal, upheld: bool, reason: str, by: Staff) -> Appeal:
    """Decide an open appeal; `reason` (required) is shown to the appellant. `by` must be a
    supervisor covering the case's unit who neither decided the case, proposed the sanction nor
    approved it. A reversal lifts the sanction, removes its strike, issues a RESTORE order when
    the sanction had orders, and sets the case's outcome to reversed when no other sanction of
    the case still stands."""
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Give the reason for your decision; the appellant will read it."))
    if len(reason) > REASON_MAX_CHARS:
        raise CaseError(
            _("The reason is %(length)d characters long; please shorten it to %(max)d.")
            % {"length": len(reason), "max": REASON_MAX_CHARS}
        )
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("case__unit", "statement")
            .get(pk=appeal.pk)
        )
        case = appeal.case
        if not by.has_perm("cases.decide_appeal", case):
            raise CaseError(
                _("Only a supervisor of %(unit)s or a unit above it may decide this appeal.")
                % {"unit": case.unit}
            )
        if appeal.status != AppealStatus.OPEN:
            raise CaseError(
                _("This appeal was already decided: %(status)s.")
                % {"status": appeal.get_status_display()}
            )
        sanction = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("decision__legal_ground", "subject", "case__unit", "case__category")
            .get(pk=appeal.statement.sanction_id)
        )
        _check_reviewer(sanction, by)
        now = timezone.now()
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REVERSED
        appeal.decided_by, appeal.decided_at, appeal.reason = by, now, reason
        appeal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        payload: dict[str, Any] = {"appeal": str(appeal), "status": appeal.status, "reason": reason}
        if not upheld:
            payload.update(_reverse(case=case, sanction=sanction, reason=reason, by=by))
        add_case_event(case, CaseEventKind.APPEAL_DECIDED, by=by, payload=payload)
        record(by=by, action="appeal.decided", obj=appeal, unit=case.unit, payload=payload)
        appeal_id = appeal.pk
        transaction.on_commit(lambda: tell_appellant(appeal_id=appeal_id))
    return appeal


def _check_reviewer(sanction: Sanction, by: Staff) -> None:
    # Art. 20 wants a fresh pair of eyes: nobody reviews their own decision or approval.
    if by.pk in (sanction.decision.decided_by_id, sanction.proposed_by_id):
        raise CaseError(
            _(
                "You decided this case, so you cannot decide the appeal against it; another "
                "supervisor must."
            )
        )
    if by.pk == sanction.approved_by_id:
        raise CaseError(
            _(
                "You approved this sanction, so you cannot decide the appeal against it; "
                "another supervisor must."
            )
        )


def _reverse(*, case: Case, sanction: Sanction, reason: str, by: Staff) -> dict[str, Any]:
    """Undo `sanction` inside the caller's transaction; returns what changed for the events."""
    now = timezone.now()
    lifted = sanction.status in LIFTABLE
    if lifted:
        sanction.status = SanctionStatus.LIFTED
        sanction.lifted_at, sanction.lifted_reason = now, reason
        sanction.save(update_fields=["status", "lifted_at", "lifted_reason"])
    strikes = Strike.objects.select_for_update().filter(sanction=sanction, removed_at=None)
    strike_removed = strikes.update(removed_at=now, removed_reason=reason) > 0
    restore = None
    if PlatformOrder.objects.filter(sanction=sanction).exclude(action=OrderAction.RESTORE).exists():
        from frontstage.cases.actions.orders import issue_order

        restore = issue_order(sanction=sanction, action=OrderAction.RESTORE, by=by)
    changes: dict[str, Any] = {
        "sanction": sanction.pk,
        "kind": sanction.kind,
        "strike_removed": strike_removed,
        "restore_order": restore.reference if restore else None,
    }
    if lifted:
        lift = {**changes, "reason": reason}
        add_case_event(case, CaseEventKind.SANCTION_LIFTED, by=by, payload=lift)
        record(by=by, action="sanction.lifted", obj=sanction, unit=case.unit, payload=lift)
    changes["outcome"] = _set_outcome_reversed(case, sanction)
    return changes


def _set_outcome_reversed(case: Case, sanction: Sanction) -> str:
    """The case's outcome after the reversal: reversed unless another sanction still stands."""
    standing = case.sanctions.exclude(pk=sanction.pk).filter(
        status__in=[SanctionStatus.IN_EFFECT, SanctionStatus.AWAITING_APPROVAL]
    )
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if standing.exists() or locked.outcome == CaseOutcome.REVERSED:
        return locked.outcome
    # Only the outcome changes: the case keeps its status and clocks.
    locked.outcome = CaseOutcome.REVERSED
    locked.save(update_fields=["outcome"])
    queue_outcomes(locked)
    case_id = locked.pk
    transaction.on_commit(lambda: tell_reporters(case_id=case_id))
    return locked.outcome


def tell_appellant(*, appeal_id: int) -> None:
    """E-mail the appellant the outcome in the statement's language, if they gave an address.
    Runs after commit; a failed mail is logged, and the outcome stays on their page."""
    appeal = Appeal.objects.select_related("statement", "case").get(pk=appeal_id)
    if not appeal.email:
        return
    statement = appeal.statement
    link = settings.SITE_URL + reverse("statement", args=[statement.token])
    with translation.override(statement.language):
        subject = _("The outcome of your appeal")
        body = render_to_string(
            "cases/appeals/mail_outcome.txt",
            {"appeal": appeal, "reversed": appeal.status == AppealStatus.REVERSED, "link": link},
        )
    try:
        send_mail(subject, body, None, [appeal.email])
    except Exception:  # the outcome is on the statement page; the mail can be sent by hand
        log.exception("Could not e-mail the outcome of appeal %s", appeal.pk)


def appeal_figures(unit_ids: Iterable[int], since: datetime, until: datetime) -> dict[str, int]:
    """Appeals of cases at `unit_ids` in [since, until): `filed`, `upheld` and `reversed`
    (decided in the period), and `open` (filed before `until` and not decided by then).
    `reversed` is the count of reversals the transparency report publishes."""
    appeals = Appeal.objects.filter(case__unit_id__in=list(unit_ids))
    decided_in = Q(decided_at__gte=since, decided_at__lt=until)
    figures = appeals.aggregate(
        filed=Count("pk", filter=Q(filed_at__gte=since, filed_at__lt=until)),
        upheld=Count("pk", filter=decided_in & Q(status=AppealStatus.UPHELD)),
        reversed=Count("pk", filter=decided_in & Q(status=AppealStatus.REVERSED)),
        open=Count(
            "pk",
            filter=Q(filed_at__lt=until) & (Q(status=AppealStatus.OPEN) | Q(decided_at__gte=until)),
        ),
    )
    return {key: int(value) for key, value in figures.items()}
