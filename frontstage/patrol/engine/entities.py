"""Entities in a post: links, domains, e-mail addresses, phone numbers, chat handles and
wallets. Read from the `plain` layer (case and digits intact); spans are of the original text.
Each entity becomes a subject in casework, so values are canonical (E.164, lower case, …)."""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import phonenumbers

from frontstage.lib.safe_browsing import NotAUrl, canonicalize
from frontstage.patrol.engine import wallets
from frontstage.patrol.engine.domains import bare_domains, registrable_domain
from frontstage.patrol.engine.normalise import Normalised
from frontstage.patrol.engine.vocabulary import EntityKind

_I = re.IGNORECASE
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]{}，。、；：！？（）【】「」《》]+", _I)
_URL_TAIL = ".,;:!?'\"*"
_EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}", _I | re.A
)
_CN_MOBILE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]{4}){2}(?![0-9])"
)
_CN_MOBILE_PREFIX = re.compile("1[3-9][0-9]")  # in every match; found far faster
_SEP = r"[\s.*_\-]?"  # one separator inside a trigger word: `v.x`, `v x`
_WECHAT = re.compile(
    rf"(?<![a-z])(?:we{_SEP}chat|wei{_SEP}xin|v{_SEP}x|w{_SEP}x|v{_SEP}信|[微薇威徽维卫喂]{_SEP}信"
    r"|加\s*v)\s*(?:号|id)?\s*[:：=]?\s*([a-z][-_a-z0-9]{5,19}|1[3-9][0-9]{9})(?![-_a-z0-9])",
    _I,
)
_TELEGRAM = re.compile(
    r"(?:(?<![a-z])(?:telegram|tg)|电报|纸?飞机|✈)"
    r"\s*[:：]?\s*@?([a-z][a-z0-9_]{4,31})(?![a-z0-9_])",
    _I,
)
_QQ = re.compile(
    r"(?:(?<![a-z])qq|扣扣|企鹅)\s*(?:号码|号)?\s*[:：]?\s*([1-9][0-9]{4,11})(?![0-9])", _I
)
# Base58 and bech32 alphabets; a checksum decides, so case-insensitive matching is safe.
_BTC = re.compile(
    r"(?<![a-z0-9])([13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[ac-hj-np-z02-9]{11,71})(?![a-z0-9])", _I
)
_ETH = re.compile(r"(?<![a-z0-9])(0x[a-f0-9]{40})(?![a-z0-9])", _I)
_TRON = re.compile(r"(?<![a-z0-9])(T[1-9A-HJ-NP-Za-km-z]{33})(?![a-z0-9])")


@dataclass(frozen=True)
class Entity:
    """`span` is in the original post text; None for an entity given beside it (post.urls)."""

    kind: EntityKind
    value: str
    span: tuple[int, int] | None


def extract_entities(
    text: Normalised, urls: Sequence[str] = (), region: str | None = None
) -> list[Entity]:
    """Every entity once per place it occurs. `region` (e.g. "GB") lets phone numbers be read
    without their country code; Chinese mobile numbers are read whatever the region."""
    plain = text.plain
    found = [
        Entity(kind, value, plain.original_span(start, end))
        for finder in (_links, _emails, _handles)
        for kind, value, start, end in finder(plain.text)
    ]
    found += [
        Entity(EntityKind.PHONE, number, plain.original_span(start, end))
        for start, end, number in _phones(plain.text, region)
    ]
    found += [Entity(kind, value, None) for url in urls for kind, value in _url_entities(url)]
    return found


_Found = Iterator[tuple[EntityKind, str, int, int]]  # kind, value, span in the plain text


def _links(text: str) -> _Found:
    # every match holds `://` or `www.`: most posts need no scan for links with a scheme
    maybe = "://" in text or "www." in text.lower()
    with_scheme = list(_URL.finditer(text)) if maybe else []
    for match in with_scheme:
        raw = match[0].rstrip(_URL_TAIL)
        for kind, value in _url_entities(raw):
            yield kind, value, match.start(), match.start() + len(raw)
    for start, end in bare_domains(text, taken=[m.span() for m in with_scheme]):
        for kind, value in _url_entities(text[start:end]):
            yield kind, value, start, end


def _emails(text: str) -> _Found:
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        yield EntityKind.EMAIL, match[0].lower(), match.start(), match.end()


def _handles(text: str) -> _Found:
    folded = text.lower()
    for kind, pattern, value_of, needles in _HANDLES:
        if needles and not any(needle in folded for needle in needles):
            continue
        for match in pattern.finditer(text):
            value = value_of(match[1])
            if value is not None:
                yield kind, value, match.start(), match.end()


def _url_entities(raw: str) -> Iterator[tuple[EntityKind, str]]:
    try:
        canonical = canonicalize(raw)
    except NotAUrl:
        return
    yield EntityKind.URL, canonical
    host = canonical.split("://", 1)[1].split("/", 1)[0]
    yield EntityKind.DOMAIN, registrable_domain(host)
    telegram = re.match(
        r"https?://(?:t|telegram)\.me/([a-z][a-z0-9_]{4,31})(?:[/?]|$)", canonical, _I
    )
    if telegram:
        yield EntityKind.TELEGRAM, "@" + telegram[1].lower()


def _phones(text: str, region: str | None) -> Iterator[tuple[int, int, str]]:
    taken: list[tuple[int, int]] = []
    mobiles = _CN_MOBILE.finditer(text) if _CN_MOBILE_PREFIX.search(text) else ()
    for mobile in mobiles:
        number = _valid(mobile[0], "CN")
        if number:
            taken.append(mobile.span())
            yield mobile.start(), mobile.end(), number
    if region is None and "+" not in text:
        return  # without a region only numbers written with +country can be read
    for found in phonenumbers.PhoneNumberMatcher(text, region or "ZZ"):
        if not any(s < found.end and found.start < e for s, e in taken):
            e164 = phonenumbers.format_number(found.number, phonenumbers.PhoneNumberFormat.E164)
            yield found.start, found.end, e164


def _valid(raw: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _lower(handle: str) -> str:
    return handle.lower()


def _at(handle: str) -> str:
    return "@" + handle.lower()


def _checked(test: Callable[[str], bool], fold: bool = False) -> Callable[[str], str | None]:
    def value(address: str) -> str | None:
        return (address.lower() if fold else address) if test(address) else None

    return value


def _btc(address: str) -> bool:
    if address[:3].lower() == "bc1":
        return wallets.is_btc_segwit(address)
    return wallets.is_btc_legacy(address)


# Each handle's pattern, its value, and the needles (in lower case) one of which every match
# holds, so that most posts skip the scan; none: always scanned.
_HANDLES: list[tuple[EntityKind, re.Pattern[str], Callable[[str], str | None], tuple[str, ...]]] = [
    (EntityKind.WECHAT, _WECHAT, _lower, ()),
    (EntityKind.TELEGRAM, _TELEGRAM, _at, ("telegram", "tg", "电报", "飞机", "✈")),
    (EntityKind.QQ, _QQ, _lower, ("qq", "扣扣", "企鹅")),
    (EntityKind.BTC, _BTC, _checked(_btc), ()),
    (EntityKind.ETH, _ETH, _checked(lambda a: True, fold=True), ("0x",)),
    (EntityKind.TRON, _TRON, _checked(wallets.is_tron), ()),
]
