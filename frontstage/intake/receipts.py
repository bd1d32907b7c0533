"""Receipt codes: 16 digits shown once to a reporter; only a keyed digest is stored."""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

DIGITS = 16


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


def code_for(idempotency: str) -> str:
    """The receipt code for a retried submission: derived from its idempotency scope and key
    with the server's secret, so a retry gets the same code without the code being stored."""
    mac = hmac.new(_key(b"receipt-code"), idempotency.encode("utf-8"), hashlib.sha256)
    return str(int.from_bytes(mac.digest(), "big"))[-DIGITS:].zfill(DIGITS)


def digest(code: str) -> str:
    return hmac.new(_key(b"receipt-digest"), code.encode("ascii"), hashlib.sha256).hexdigest()


def clean(text: str) -> str | None:
    """The 16 digits of a code as typed (spaces and dashes allowed), or None."""
    digits = re.sub(r"[\s\-]", "", text or "")
    return digits if re.fullmatch(rf"\d{{{DIGITS}}}", digits) else None


def pretty(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, DIGITS, 4))


def _key(purpose: bytes) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), purpose, hashlib.sha256).digest()
