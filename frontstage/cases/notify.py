"""Telling the affected user: the statement of reasons for a sanction, at a link only they are
given, e-mailed when an address is known, in their language. Runs after commit; a mail failure
is logged and never undoes the sanction (the link can be sent again by hand)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontstage.cases.models import StatementOfReasons

log = logging.getLogger(__name__)


def statement_url(token: str) -> str:
    """The absolute link to the affected user's statement page (the public route "statement")."""
    try:
        path = reverse("statement", args=[token])
    except NoReverseMatch:  # the appeals part serves the page; until it does, its agreed path
        path = f"/statement/{token}/"
    return f"{settings.SITE_URL}{path}"


def send_statement(*, statement_id: int) -> bool:
    """E-mail the statement's link to the affected user, when their address is known; returns
    whether a mail went out, and then records when."""
    statement = StatementOfReasons.objects.select_related("sanction").get(pk=statement_id)
    address = statement.sanction.affected_email
    if not address:
        return False
    with translation.override(statement.language):
        context = {
            "url": statement_url(statement.token),
            "appeal_until": statement.appeal_until,
            "sanction": statement.sanction.get_kind_display(),
            "unit": statement.content.get("unit", {}).get(
                "name_zh" if statement.language.startswith("zh") else "name_en", ""
            ),
        }
        subject = _("A decision about your content or account")
        body = render_to_string("cases/decisions/statement_mail.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # the statement is safe; the link can be sent again by hand
        log.exception("Could not e-mail the statement of reasons %s", statement.puid)
        return False
    # Bookkeeping after the fact, not a change of the sanction: a plain update is enough.
    StatementOfReasons.objects.filter(pk=statement.pk).update(emailed_at=timezone.now())
    return True
