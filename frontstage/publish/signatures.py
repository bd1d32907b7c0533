"""HTTP signatures as Mastodon uses them (draft-cavage-http-signatures-12, rsa-sha256) with a
SHA-256 Digest of the body. Signing and checking are done by apsig; this module decides which
headers must be signed and how far the Date may stray. No Django here: callers pass `now`.

A request we accept has signed at least (request-target), host, date and, when it has a body,
digest; its Digest matches the body; its Date is within MAX_SKEW of our clock."""

import email.utils
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from apsig.draft.sign import Signer
from apsig.draft.tools import calculate_digest
from apsig.draft.verify import Verifier
from apsig.exceptions import SignatureError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

MAX_SKEW = timedelta(hours=12)
SIGNED_HEADERS = ("(request-target)", "host", "date", "digest")
_PARAM = re.compile(r'(\w+)="([^"]*)"')
# apsig checks the Date itself against the real clock; we check it against ours (see verify),
# so its own window is opened wide enough never to decide.
_APSIG_SKEW_SECONDS = 10 * 365 * 24 * 3600


class SignatureProblem(Exception):
    """The request is not signed the way we require, or the signature does not verify."""


def new_key_pair() -> tuple[str, str]:
    """A fresh RSA 2048 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def sign(
    *,
    method: str,
    url: str,
    body: bytes,
    private_key_pem: str,
    key_id: str,
    now: datetime,
    content_type: str = "application/activity+json",
) -> dict[str, str]:
    """The headers for a request to `url` signed with `private_key_pem` under `key_id`: Date,
    Host, Digest (for a body), Content-Type and Signature."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("Only RSA keys sign ActivityPub requests.")
    headers = {
        "date": email.utils.format_datetime(now.astimezone(UTC), usegmt=True),
        "host": urlsplit(url).netloc,
    }
    wanted = list(SIGNED_HEADERS)
    if method.upper() == "GET":
        wanted.remove("digest")
    else:
        headers["content-type"] = content_type
        headers["digest"] = calculate_digest(body)
    signed = Signer(
        headers=headers,
        private_key=key,
        method=method,
        url=url,
        key_id=key_id,
        body=body,
        signed_headers=wanted,
    ).sign()
    # apsig also copies the signature into Authorization; Mastodon reads Signature, and an
    # Authorization header would confuse proxies that expect credentials there.
    signed.pop("Authorization", None)
    return {name.title() if name != "Signature" else name: value for name, value in signed.items()}


def signature_params(headers: Mapping[str, str]) -> dict[str, str]:
    """The parameters of the Signature header (keyId, algorithm, headers, signature)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    value = lowered.get("signature", "")
    if not value and lowered.get("authorization", "").startswith("Signature "):
        value = lowered["authorization"][len("Signature ") :]
    params = dict(_PARAM.findall(value))
    if not params.get("keyId") or not params.get("signature"):
        raise SignatureProblem("The request has no Signature header with a keyId.")
    return params


def verify(
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    public_key_pem: str,
    now: datetime,
) -> str:
    """Check a request signed by the holder of `public_key_pem`; return its keyId, or raise
    SignatureProblem saying what is wrong."""
    params = signature_params(headers)
    lowered = {name.lower(): value for name, value in headers.items()}
    algorithm = params.get("algorithm", "rsa-sha256")
    if algorithm not in {"rsa-sha256", "hs2019"}:
        raise SignatureProblem(f"Unsupported signature algorithm {algorithm!r}.")
    signed = params.get("headers", "date").lower().split()
    required = [h for h in SIGNED_HEADERS if body or h != "digest"]
    missing = [h for h in required if h not in signed]
    if missing:
        raise SignatureProblem(f"These headers must be signed: {', '.join(missing)}.")
    absent = [h for h in signed if h != "(request-target)" and h not in lowered]
    if absent:
        raise SignatureProblem(f"Signed headers missing from the request: {', '.join(absent)}.")
    if body and lowered.get("digest") != calculate_digest(body):
        raise SignatureProblem("The Digest header does not match the body.")
    _check_date(lowered["date"], now)
    # apsig knows only the algorithm name rsa-sha256; hs2019 with an RSA key is the same maths.
    lowered["signature"] = ",".join(
        f'{name}="{"rsa-sha256" if name == "algorithm" else value}"'
        for name, value in {**params, "algorithm": "rsa-sha256"}.items()
    )
    try:
        Verifier(
            public_pem=public_key_pem,
            method=method,
            url=path,
            headers=lowered,
            body=body,
            clock_skew=_APSIG_SKEW_SECONDS,
        ).verify(raise_on_fail=True)
    except (SignatureError, ValueError, KeyError) as error:
        raise SignatureProblem(f"The signature does not verify: {error}") from error
    return params["keyId"]


def _check_date(value: str, now: datetime) -> None:
    try:
        sent = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError) as error:
        raise SignatureProblem("The Date header is not an HTTP date.") from error
    if sent.tzinfo is None:
        raise SignatureProblem("The Date header has no time zone.")
    if abs(now - sent) > MAX_SKEW:
        raise SignatureProblem("The Date header is more than 12 hours from our clock.")
