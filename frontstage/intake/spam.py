"""Spam protection without third-party CAPTCHAs: a proof-of-work challenge (ALTCHA), a
honeypot field, and a signed token that a form was not filled in too fast or too long ago."""

import base64
import binascii
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import altcha
from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.intake.models import SpentChallenge

CHALLENGE_LIFETIME = timedelta(minutes=20)
FORM_MIN_SECONDS = 3
FORM_MAX_AGE = timedelta(hours=3)
HONEYPOT_FIELD = "website"
_SIGNER_SALT = "frontstage.intake.form-started"


class SpamRefused(Exception):
    """A submission refused as likely automated; the message says what the person can do."""


@dataclass(frozen=True)
class Challenge:
    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str


def new_challenge() -> Challenge:
    made = altcha.create_challenge_v1(
        algorithm="SHA-256",
        max_number=settings.ALTCHA_MAX_NUMBER,
        salt_length=12,
        hmac_key=_hmac_key(),
        salt="",
        number=None,
        expires=timezone.now() + CHALLENGE_LIFETIME,
        params=None,
    )
    return Challenge(made.algorithm, made.challenge, made.max_number, made.salt, made.signature)


def check_proof_of_work(payload: str) -> None:
    """Accept a solved challenge once; raise SpamRefused when it is missing, wrong, expired
    or already used."""
    if not payload:
        raise SpamRefused(
            _("Please wait until the anti-spam check shows it is verified, then send again.")
        )
    try:
        decoded: dict[str, Any] = json.loads(base64.b64decode(payload, validate=True))
    except (ValueError, binascii.Error):
        raise SpamRefused(_("The anti-spam check could not be read; please try again.")) from None
    ok, _error = altcha.verify_solution_v1(payload, _hmac_key(), True)
    if not ok:
        raise SpamRefused(_("The anti-spam check failed or expired; please let it run again."))
    spent = hashlib.sha256(str(decoded.get("signature", "")).encode()).hexdigest()
    if not _spend(spent):
        raise SpamRefused(_("This anti-spam check was already used; please let it run again."))
    if secrets.randbelow(100) == 0:  # expired rows only take space; sweep now and then
        SpentChallenge.objects.filter(expires_at__lt=timezone.now()).delete()


def _spend(digest: str) -> bool:
    """Mark a solution used; False when it already was. Inside a caller's transaction the mark
    commits or rolls back with it; a concurrent use of the same solution waits for that."""
    expires_at = connection.ops.adapt_datetimefield_value(timezone.now() + CHALLENGE_LIFETIME)
    with connection.cursor() as cursor:
        cursor.execute(_SPEND, [digest, expires_at])
        return cursor.fetchone() is not None


# ON CONFLICT DO NOTHING rather than catching IntegrityError: no savepoint is needed to keep a
# caller's transaction usable, so spending costs one statement (Postgres; SQLite >= 3.35).
_SPEND = (
    'INSERT INTO "intake_spentchallenge" ("digest", "expires_at") VALUES (%s, %s) '
    'ON CONFLICT ("digest") DO NOTHING RETURNING "id"'
)


def form_token() -> str:
    """A token for a freshly rendered form; it carries the time it was made."""
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(f"{timezone.now().timestamp():.3f}")


def check_form_token(token: str) -> None:
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        started = float(signer.unsign(token, max_age=FORM_MAX_AGE))
    except signing.SignatureExpired:
        raise SpamRefused(
            _("This form was open for too long; please check it and send it again.")
        ) from None
    except (signing.BadSignature, ValueError):
        raise SpamRefused(
            _("This form could not be checked; please reload the page and send it again.")
        ) from None
    if timezone.now().timestamp() - started < FORM_MIN_SECONDS:
        raise SpamRefused(_("This form was sent very quickly; please check it and send it again."))


def check_honeypot(value: str) -> None:
    if value:
        raise SpamRefused(_("This form could not be sent."))


def _hmac_key() -> str:
    return hashlib.sha256(f"altcha:{settings.SECRET_KEY}".encode()).hexdigest()
