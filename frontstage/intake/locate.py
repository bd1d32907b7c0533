"""Canonical keys for what a report is about, so that every report about the same thing finds
the same subject: one URL typed thirty ways, a number with or without its country code, a
profile link or "x:@handle" all give one key per kind. Pure Python apart from `gettext`, because
the errors are shown to the reporter in their language.

Each kind's key is stable text that never needs the network (tldextract reads only the suffix
list bundled with it).
"""

import hashlib
import ipaddress
import re
import unicodedata
from enum import StrEnum
from functools import cache
from urllib.parse import unquote

import phonenumbers
import tldextract
from django.utils.translation import gettext as _

from frontstage.lib.safe_browsing import NotAUrl, canonicalize, host_of

MAX_KEY_LENGTH = 2000  # Subject.key's column
MAX_OTHER_LENGTH = 500

# Query parameters that say how a link travelled, never what it points to. Dropping one that
# did identify content would merge two subjects, so only names used almost only for tracking.
TRACKING_PREFIXES = ("utm_",)  # Google Analytics campaign tags
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid",  # Google Ads
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X
        "ttclid",  # TikTok
        "igshid", "igsh",  # Instagram shares
        "si",  # YouTube and Spotify shares
        "mc_cid", "mc_eid",  # Mailchimp
        "_hsenc", "_hsmi",  # HubSpot
        "ref_src", "ref_url",  # X embeds
        "spm", "scm",  # Alibaba (Taobao, Tmall, AliExpress)
        "share_source", "share_medium", "share_plat", "share_tag",  # Bilibili shares
        "vd_source",  # Bilibili
        "from", "isappinstalled",  # WeChat and Weibo shares
    }
)  # fmt: skip


class SubjectKind(StrEnum):
    """The kinds of subject; the values are those of `cases.models.SubjectKind`."""

    URL = "url"
    ACCOUNT = "account"
    PHONE = "phone"
    DOMAIN = "domain"
    WALLET = "wallet"
    OTHER = "other"


PLATFORMS = (
    "weibo", "wechat", "douyin", "x", "facebook", "instagram", "tiktok", "telegram", "qq",
    "xiaohongshu", "youtube", "other",
)  # fmt: skip


class LocationError(ValueError):
    """The text cannot name a subject of that kind; `str(error)` tells the reporter what was
    wrong and how to fix it."""


def canonical_key(kind: str, raw: str, *, region: str = "") -> str:
    """The key under which reports about `raw` meet: equal keys mean the same subject.

    `region` is an ISO 3166 code such as "CN" or "CN-GD"; it is used only to read phone numbers
    written without their country code. Raises LocationError for text that names no subject
    of that kind."""
    try:
        subject_kind = SubjectKind(kind)
    except ValueError:
        raise LocationError(_("“%(kind)s” is not a kind of subject.") % {"kind": kind}) from None
    # Text copied from apps often carries invisible characters that would split a subject.
    text = _INVISIBLE.sub("", raw).strip()
    if not text:
        raise LocationError(_("This is empty. Say what the report is about."))
    match subject_kind:
        case SubjectKind.URL:
            return _url_key(text)
        case SubjectKind.PHONE:
            return _phone_key(text, region)
        case SubjectKind.DOMAIN:
            return _domain_key(text)
        case SubjectKind.ACCOUNT:
            return _account_key(text)
        case SubjectKind.WALLET:
            return _wallet_key(text)
        case SubjectKind.OTHER:
            return _other_key(text)


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)
_HOST = re.compile(r"^(?:[a-z0-9_-]+\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


def _url_key(text: str) -> str:
    """The Safe Browsing v4 canonical URL without its scheme and tracking parameters, e.g.
    `shop.example.com/pay?id=42`. Without the scheme because http, https and no scheme at all
    reach the same page, and because it is the expression by which URL lists name it."""
    text = _refang(text).removeprefix("//")
    scheme = _SCHEME.match(text)
    if scheme and scheme[1].lower() not in ("http", "https"):
        raise LocationError(
            _("Only web addresses starting with http:// or https:// can be reported as a link.")
        )
    try:
        canonical = canonicalize(text)
    except NotAUrl:
        raise _not_a_url(text) from None
    rest = canonical.split("://", 1)[1]
    host, _slash, tail = rest.partition("/")
    if not (_HOST.match(host) or _is_ip(host)):
        raise _not_a_url(text)
    path, _question, query = tail.partition("?")
    kept = [p for p in query.split("&") if p and not _is_tracking(p)]
    key = f"{host}/{path}" + ("?" + "&".join(kept) if kept else "")
    if len(key) > MAX_KEY_LENGTH:
        raise LocationError(
            _("This web address is too long: it has %(count)s characters, at most %(limit)s.")
            % {"count": len(key), "limit": MAX_KEY_LENGTH}
        )
    return key


def _refang(text: str) -> str:
    """Undo the defanging of trusted flaggers' indicators: `hxxps://shop[.]example[.]com`."""
    text = re.sub(r"\[\.\]|\(\.\)|\{\.\}", ".", text)
    return re.sub(r"^hxxp(s?)(?=:)", r"http\1", text, flags=re.IGNORECASE)


def _is_tracking(parameter: str) -> bool:
    name = parameter.split("=", 1)[0].lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _not_a_url(text: str) -> LocationError:
    return LocationError(
        _(
            "“%(text)s” is not a web address. Copy it from the browser's address bar, "
            "for example https://example.com/page."
        )
        % {"text": _shown(text)}
    )


def _phone_key(text: str, region: str) -> str:
    """The number in E.164, e.g. `+8613800138000`. Numbers without a country code are read
    in `region`'s country; with no region they need one, as `+` or the common `00` prefix."""
    text = unicodedata.normalize("NFKC", text)
    country = region[:2].upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        country = ""
        text = "+" + text[2:] if text.startswith("00") else text
        if not text.startswith("+"):
            raise LocationError(
                _(
                    "Write the number with its country code, starting with +, "
                    "for example +86 138 0013 8000."
                )
            )
    shown = {"text": _shown(text)}
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        raise LocationError(
            _("“%(text)s” is not a phone number. Write the digits, for example +86 138 0013 8000.")
            % shown
        ) from None
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        raise LocationError(
            _("“%(text)s” has too few digits for a phone number. Check that none is missing.")
            % shown
        )
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        raise LocationError(
            _("“%(text)s” has too many digits. Check for an extra digit and the country code.")
            % shown
        )
    raise LocationError(
        _("“%(text)s” is not a valid phone number. Check the digits and the country code.") % shown
    )


def _domain_key(text: str) -> str:
    """The registrable domain in punycode, e.g. `example.co.uk` for `WWW.Shop.Example.co.uk.`
    or for a link to it. Private suffixes count as public (`scam.blogspot.com` stays whole,
    since each site under them has a different owner). An IP address has no domain and is its
    own key. A name whose suffix the bundled list does not know yet (a new or reserved TLD)
    is taken as registered under its last label."""
    try:
        host = text if _is_ip(text) else host_of(_refang(text))
    except NotAUrl:
        host = ""
    if _is_ip(host):
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]")).compressed
    if not _HOST.match(host):
        raise LocationError(
            _("“%(text)s” is not a domain name. Write it like example.com, or paste a link.")
            % {"text": _shown(text)}
        )
    parts = _public_suffixes()(host)
    if not parts.suffix:
        return ".".join(host.rsplit(".", 2)[-2:])
    if not parts.domain:
        raise LocationError(
            _(
                "“%(host)s” is shared by many sites. Give the full name of the site, "
                "for example example.%(host)s."
            )
            % {"host": host}
        )
    return parts.top_domain_under_public_suffix


@cache
def _public_suffixes() -> tldextract.TLDExtract:
    # No URLs and no cache directory: only the list bundled with the package, never a fetch.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


_PLATFORM_ALIASES = {
    "twitter": "x", "微博": "weibo", "微信": "wechat", "weixin": "wechat", "抖音": "douyin",
    "小红书": "xiaohongshu", "rednote": "xiaohongshu", "fb": "facebook", "ig": "instagram",
    "tg": "telegram", "yt": "youtube", "其他": "other",
}  # fmt: skip
# Profile hosts → platform and the path segments that come before the handle.
_PROFILE_HOSTS = {
    "weibo.com": ("weibo", {"u", "n"}),
    "weibo.cn": ("weibo", {"u", "n", "profile"}),
    "douyin.com": ("douyin", {"user"}),
    "x.com": ("x", set()),
    "twitter.com": ("x", set()),
    "facebook.com": ("facebook", set()),
    "fb.com": ("facebook", set()),
    "instagram.com": ("instagram", set()),
    "tiktok.com": ("tiktok", set()),
    "t.me": ("telegram", {"s"}),
    "telegram.me": ("telegram", {"s"}),
    "qzone.qq.com": ("qq", set()),
    "xiaohongshu.com": ("xiaohongshu", {"user", "profile"}),
    "youtube.com": ("youtube", {"channel", "c", "user"}),
}
# First path segments of links to posts, searches and pages that are not a profile.
_NOT_PROFILES = {
    "home", "i", "search", "explore", "hashtag", "intent", "share", "watch", "shorts", "p",
    "reel", "reels", "status", "video", "discover", "messages", "settings", "login",
}  # fmt: skip
_PREFIXED = re.compile(r"^([^\s:/@.]+)\s*:\s*(?!//)(.+)$")
_HANDLE = re.compile(r"^[\w.+-]{1,100}$")


def _account_key(text: str) -> str:
    """`platform:handle` in lower case, e.g. `x:handle` for `x:@Handle` or
    `https://x.com/Handle`, `weibo:123` for `weibo.com/u/123`. A bare handle is refused: the
    same name on two platforms is two accounts."""
    text = unicodedata.normalize("NFKC", text)
    prefixed = _PREFIXED.match(text)
    if prefixed:
        platform = _PLATFORM_ALIASES.get(prefixed[1].lower(), prefixed[1].lower())
        if platform not in PLATFORMS:
            raise LocationError(
                _("“%(platform)s” is not a platform we know. Use one of: %(platforms)s.")
                % {"platform": _shown(prefixed[1]), "platforms": ", ".join(PLATFORMS)}
            )
        # A form that asks for the platform apart may still get a profile link as the handle.
        if "/" in prefixed[2]:
            return _account_from_link(prefixed[2])
        return _account(platform, prefixed[2])
    if text.startswith("@") or ("/" not in text and "." not in text):
        raise LocationError(
            _(
                "Say which platform the account is on: write platform:handle, for example "
                "weibo:handle, or paste the link to the profile."
            )
        )
    return _account_from_link(text)


def _account_from_link(text: str) -> str:
    try:
        canonical = canonicalize(_refang(text))
    except NotAUrl:
        raise _not_a_url(text) from None
    host, _slash, tail = canonical.split("://", 1)[1].partition("/")
    path, _question, query = tail.partition("?")
    found = next(
        (v for h, v in _PROFILE_HOSTS.items() if host == h or host.endswith("." + h)), None
    )
    if found is None:
        raise LocationError(
            _("%(host)s is not a platform we know. Write other:handle, or report it as a link.")
            % {"host": _shown(host)}
        )
    platform, before_handle = found
    segments = [unquote(s) for s in path.split("/") if s]
    while segments and segments[0].lower() in before_handle:
        segments.pop(0)
    if segments and segments[0] == "profile.php":  # facebook.com/profile.php?id=…
        segments = [p[3:] for p in query.split("&") if p.startswith("id=")]
    if not segments or segments[0].lower() in _NOT_PROFILES:
        raise LocationError(
            _("This link does not lead to a profile. Open the account's page and copy its link.")
        )
    return _account(platform, segments[0])


def _account(platform: str, handle: str) -> str:
    handle = handle.strip().removeprefix("@").casefold()
    if not _HANDLE.match(handle):
        raise LocationError(
            _(
                "“%(handle)s” is not an account name. Write it as the profile shows it, "
                "without spaces."
            )
            % {"handle": _shown(handle)}
        )
    return f"{platform}:{handle}"


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BITCOIN_BASE58 = re.compile(rf"^[13][{_BASE58}]{{24,33}}$")
_BITCOIN_BECH32 = re.compile(rf"^bc1[{_BECH32}]{{8,87}}$")
_TRON = re.compile(rf"^T[{_BASE58}]{{33}}$")
_ETHEREUM = re.compile(r"^0x[0-9a-f]{40}$")
_ANY_WALLET = re.compile(r"^(?=.*[0-9])(?=.*[a-zA-Z])[a-zA-Z0-9]{25,100}$")
_PAYMENT_URI = re.compile(r"^(?:bitcoin|ethereum|tron):", re.IGNORECASE)


def _wallet_key(text: str) -> str:
    """The address: Ethereum (and other EVM chains') `0x…` and Bitcoin `bc1…` in lower case,
    Bitcoin `1…`/`3…` and TRON `T…` as written, since base58 is case-sensitive.

    Bitcoin and TRON checksums are verified (base58check, bech32/bech32m), so a mistyped
    character is caught instead of opening a second subject; Ethereum's mixed-case EIP-55
    checksum is not, as it needs Keccak, which the standard library lacks. Addresses of other
    chains are kept as written if they look like one: 25-100 letters and digits."""
    # A payment URI from a QR code: "bitcoin:<address>?amount=…", "ethereum:<address>@1".
    address = re.split(r"[?@/]", _PAYMENT_URI.sub("", text), maxsplit=1)[0].strip()
    folded = address.lower()
    if folded.startswith("0x"):
        if not _ETHEREUM.match(folded):
            raise LocationError(
                _(
                    "An Ethereum address is 0x followed by 40 characters 0-9 and a-f. "
                    "Check “%(text)s” for a missing or mistyped character."
                )
                % {"text": _shown(address)}
            )
        return folded
    if folded.startswith("bc1"):
        # Bech32 is written all in lower or all in upper case, never mixed.
        well_formed = bool(_BITCOIN_BECH32.match(folded)) and address in (folded, folded.upper())
        return _checked(folded, "Bitcoin", well_formed and _bech32_checksum_matches(folded))
    if _BITCOIN_BASE58.match(address):
        return _checked(address, "Bitcoin", _base58check_version(address) in (0x00, 0x05))
    if _TRON.match(address):
        return _checked(address, "TRON", _base58check_version(address) == 0x41)
    if _ANY_WALLET.match(address):
        return address
    raise LocationError(
        _(
            "“%(text)s” is not a wallet address. Copy it exactly as shown: for example 0x "
            "and 40 characters, or an address starting with 1, 3, bc1 or T."
        )
        % {"text": _shown(text)}
    )


def _checked(address: str, network: str, valid: bool) -> str:
    if not valid:
        raise LocationError(
            _(
                "“%(text)s” looks like a %(network)s address, but its check characters do not "
                "match: one is probably mistyped. Copy it again."
            )
            % {"text": _shown(address), "network": network}
        )
    return address


def _base58check_version(address: str) -> int | None:
    """The version byte of a 25-byte base58check address, or None if the checksum fails."""
    number = 0
    for char in address:
        number = number * 58 + _BASE58.index(char)
    try:
        raw = number.to_bytes(25, "big")
    except OverflowError:
        return None
    leading_zeros = len(raw) - len(raw.lstrip(b"\0"))
    if leading_zeros != len(address) - len(address.lstrip("1")):
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return raw[0]


def _bech32_checksum_matches(address: str) -> bool:
    """BIP 173 (segwit v0) or BIP 350 (bech32m, v1 and later) checksum of a lower-case address."""
    hrp, _one, data = address.rpartition("1")
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    values += [_BECH32.index(c) for c in data]
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            check ^= generator if (top >> i) & 1 else 0
    return check in (1, 0x2BC830A3)


def _other_key(text: str) -> str:
    """The text with runs of white space made one space, in NFKC and case-folded, so that
    full-width and half-width or upper- and lower-case spellings meet."""
    key = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    if len(key) > MAX_OTHER_LENGTH:
        raise LocationError(
            _("Describe it in at most %(limit)s characters; this has %(count)s.")
            % {"limit": MAX_OTHER_LENGTH, "count": len(key)}
        )
    return key


def _shown(text: str) -> str:
    """`text` short enough to quote back in a message."""
    return text if len(text) <= 80 else text[:79] + "…"
