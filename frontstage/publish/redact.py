"""Finding and removing personal data from text meant for the public. Pure: no Django, no
database, no network (presidio runs on blank spaCy pipelines; tldextract on its bundled list).

What is found, as the kinds of `Kind`: phone numbers in any format (phonenumbers for CN, US
and international numbers, plus Chinese mobiles written with spaces or dashes), Chinese
resident ID numbers (18 characters with a valid checksum, or the old 15-digit form), bank
cards (12–19 digits passing Luhn, grouped or not), e-mail addresses, chat handles (@name,
WeChat/QQ/Telegram ids), URLs and domains (all of them, except a bare domain listed in
`keep`), IP addresses, and the strings the caller knows to be personal (names of private
persons, account handles). Presidio's PERSON needs NER that we do not ship, so names come
only from what the case knows.

Each finding is replaced by a marker of its kind, in the language of the text: "[phone]" in
English text, "【电话】" in Chinese text. The caller keeps only the counts (`Redacted.found`),
never the values.
"""

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

import phonenumbers
import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IpRecognizer,
    UrlRecognizer,
)
from stdnum import luhn
from stdnum.cn import ric


class Kind(StrEnum):
    ID_NUMBER = "id_number"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    LINK = "link"
    ACCOUNT = "account"
    IP_ADDRESS = "ip_address"
    PHONE = "phone"
    NAME = "name"
    NUMBER = "number"


# (English, Chinese). Order of Kind is also the order of preference when two findings of the
# same length overlap: an ID number is not also a phone number.
MARKERS: dict[Kind, tuple[str, str]] = {
    Kind.ID_NUMBER: ("[ID number]", "【身份证号】"),
    Kind.BANK_CARD: ("[bank card]", "【银行卡号】"),
    Kind.EMAIL: ("[e-mail]", "【邮箱】"),
    Kind.LINK: ("[link]", "【链接】"),
    Kind.ACCOUNT: ("[account]", "【账号】"),
    Kind.IP_ADDRESS: ("[IP address]", "【IP地址】"),
    Kind.PHONE: ("[phone]", "【电话】"),
    Kind.NAME: ("[name]", "【姓名】"),
    Kind.NUMBER: ("[number]", "【号码】"),
}
_RANK = {kind: rank for rank, kind in enumerate(Kind)}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: Kind


@dataclass(frozen=True)
class Redacted:
    """`text` with every finding replaced; `found` counts the findings by kind (values of
    Kind), empty when the text was clean."""

    text: str
    found: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.found


def redact(
    text: str,
    *,
    keep: Iterable[str] = (),
    known: Mapping[Kind, Iterable[str]] | None = None,
    language: str | None = None,
) -> Redacted:
    """`text` without personal data. `keep`: strings left as they are wherever they occur
    whole (a scam domain the unit decided to name, a statute reference); a finding larger than
    a kept string (a URL on the kept domain) is still removed. `known`: strings the caller knows
    to be personal, by kind (names, account handles, phone numbers of the case). `language`
    ("en"/"zh...") picks the markers; guessed from the text when not given."""
    spans = find(text, keep=keep, known=known)
    chinese = (language or _guess_language(text)).startswith("zh")
    parts: list[str] = []
    found: dict[str, int] = {}
    at = 0
    for span in spans:
        parts += [text[at : span.start], MARKERS[span.kind][1 if chinese else 0]]
        found[span.kind.value] = found.get(span.kind.value, 0) + 1
        at = span.end
    parts.append(text[at:])
    return Redacted("".join(parts), dict(sorted(found.items())))


def find(
    text: str, *, keep: Iterable[str] = (), known: Mapping[Kind, Iterable[str]] | None = None
) -> list[Span]:
    """The findings in `text`, in order and without overlaps: of overlapping candidates the
    longest wins, then the earlier kind of `Kind`."""
    candidates: list[tuple[int, int, Kind]] = [
        *presidio_spans(text),
        *_pattern_spans(text),
        *_phone_spans(text),
        *_known_spans(text, known or {}),
    ]
    kept = _occurrences(text, [k for k in keep if k.strip()])
    spans = [
        Span(s, e, Kind(k))
        for s, e, k in candidates
        if e > s and not any(ks <= s and e <= ke for ks, ke in kept)
    ]
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda c: (c.start - c.end, _RANK[c.kind], c.start)):
        if all(span.end <= c.start or c.end <= span.start for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda c: c.start)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]+")


def _guess_language(text: str) -> str:
    # A Chinese sentence often carries a URL or an e-mail: count Latin words, not letters.
    cjk, latin = len(_CJK.findall(text)), len(_WORD.findall(text))
    return "zh" if cjk and cjk >= latin else "en"


# Boundaries by ASCII letters and digits only: Chinese characters are \w to `re`, and a
# phone number written right after 电话 has no \b before it.
_A = r"(?<![A-Za-z0-9])"
_Z = r"(?![A-Za-z0-9])"
_DIGITS = re.compile(r"\d")

_EMAIL = re.compile(_A + r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}" + _Z)
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'，。、；！？）】」》]+"
    r"|"
    + _A
    + r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}(?:/[^\s<>\"'，。、；！？）】」》]*)?"
    + _Z
    + r"/?"
)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_HANDLE = re.compile(r"(?<![A-Za-z0-9._%+\-@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,30}" + _Z)
_CHAT_ID = re.compile(
    r"(?i)(?:微信号?|vx|wx|v信|wechat|weixin|telegram|tg|line|whatsapp|skype|signal|kik)"
    r"\s*(?:号|id|账号)?\s*[:：]\s*[A-Za-z0-9][A-Za-z0-9_.-]{3,29}"
    r"|(?:微信号?|vx|wx|v信)\s*[A-Za-z][A-Za-z0-9_-]{4,19}" + _Z
)
_QQ = re.compile(r"(?i)" + _A + r"qq\s*(?:号码?|number|no\.?|id)?\s*[:：]?\s*\d{5,11}(?!\d)")
_ID18 = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
_ID15 = re.compile(r"(?<!\d)\d{15}(?!\d)")
# 12–19 digits, bare or in groups of 3 to 6 split by a space or a dash.
_CARD = re.compile(r"(?<![\d-])\d{3,6}(?:[ -]?\d{3,6}){1,5}(?![\d-])")
_CN_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
# A last net for numbers a person writes: 7–15 digits in groups; dates are not phones.
_NUMBERISH = re.compile(r"(?<![A-Za-z0-9-])\+?\(?\d[\d\s().-]{5,22}\d(?![\d])")
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$")


def _pattern_spans(text: str) -> list[tuple[int, int, Kind]]:
    spans: list[tuple[int, int, Kind]] = []
    for pattern, kind in [
        (_EMAIL, Kind.EMAIL),
        (_URL, Kind.LINK),
        (_IPV4, Kind.IP_ADDRESS),
        (_HANDLE, Kind.ACCOUNT),
        (_CHAT_ID, Kind.ACCOUNT),
        (_QQ, Kind.ACCOUNT),
    ]:
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    for m in _ID18.finditer(text):
        if _is_ric(m.group()):
            spans.append((m.start(), m.end(), Kind.ID_NUMBER))
    for m in _ID15.finditer(text):
        if _has_birth_date("19" + m.group()[6:12]):
            spans.append((m.start(), m.end(), Kind.ID_NUMBER))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 12 <= len(digits) <= 19:
            kind = Kind.BANK_CARD if luhn.is_valid(digits) else Kind.NUMBER
            spans.append((m.start(), m.end(), kind))
    return spans


def _is_ric(number: str) -> bool:
    """A resident ID number by its checksum and birth date; the birthplace is not checked, so
    numbers of counties renamed since still count."""
    number = number.upper()
    return ric.calc_check_digit(number) == number[-1] and _has_birth_date(number[6:14])


def _has_birth_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def _phone_spans(text: str) -> list[tuple[int, int, Kind]]:
    spans = [(m.start(), m.end(), Kind.PHONE) for m in _CN_MOBILE.finditer(text)]
    for region in _REGIONS:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
        spans += [(m.start, m.end, Kind.PHONE) for m in matcher if _phone_like(m.raw_string)]
    spans += [
        (m.start(), m.end(), Kind.PHONE) for m in _NUMBERISH.finditer(text) if _phone_like(m[0])
    ]
    return [_balanced(text, *span) for span in spans]


def _balanced(text: str, start: int, end: int, kind: Kind) -> tuple[int, int, Kind]:
    """Without a bracket that opens or closes outside the number: "(139…)" loses neither."""
    raw = text[start:end]
    if raw.startswith("(") and ")" not in raw:
        start += 1
    if raw.endswith(")") and "(" not in raw:
        end -= 1
    return start, end, kind


_REGIONS = ("CN", "US", "GB")


def _phone_like(raw: str) -> bool:
    digits = len(_DIGITS.findall(raw))
    return 7 <= digits <= 15 and not _DATE.match(raw.strip())


def _known_spans(text: str, known: Mapping[Kind, Iterable[str]]) -> list[tuple[int, int, Kind]]:
    spans: list[tuple[int, int, Kind]] = []
    for kind, values in known.items():
        forms = [form for value in values for form in _forms(Kind(kind), value)]
        spans += [(s, e, Kind(kind)) for s, e in _occurrences(text, forms)]
    return spans


def _forms(kind: Kind, value: str) -> list[str]:
    """The ways `value` may be written: an account `platform:handle` also as @handle and
    handle; a name also in reverse order, and a Chinese name also by its given name."""
    value = value.strip()
    if not value:
        return []
    forms = [value]
    if kind == Kind.ACCOUNT and ":" in value:
        handle = value.split(":", 1)[1].lstrip("@")
        if "/" not in handle and len(handle) >= 3:
            forms += [f"@{handle}", handle]
    elif kind == Kind.NAME:
        words = value.split()
        if len(words) > 1:
            forms.append(" ".join(reversed(words)))
        if _CJK.fullmatch(value[:1] or " ") and len(value) >= 3 and " " not in value:
            forms.append(value[1:])
    return forms


def _occurrences(text: str, strings: Iterable[str]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for string in sorted(set(strings), key=len, reverse=True):
        found += [(m.start(), m.end()) for m in _literal(string).finditer(text)]
    return found


@cache
def _literal(string: str) -> re.Pattern[str]:
    # ASCII-bounded when the string starts/ends with a letter or digit, so that the name "Ann"
    # does not take the "ann" out of "announce".
    head = _A if re.match(r"[A-Za-z0-9]", string) else ""
    tail = _Z if re.search(r"[A-Za-z0-9]$", string) else ""
    return re.compile(head + re.escape(string) + tail, re.IGNORECASE)


# Presidio, offline: its pattern recognizers on blank spaCy pipelines (no model to download).
_PRESIDIO_KINDS = {
    "EMAIL_ADDRESS": Kind.EMAIL,
    "CREDIT_CARD": Kind.BANK_CARD,
    "IP_ADDRESS": Kind.IP_ADDRESS,
    "URL": Kind.LINK,
}
_LANGUAGES = ("en", "zh")


class _BlankSpacy(SpacyNlpEngine):
    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": lang, "model_name": "blank"} for lang in _LANGUAGES])

    def load(self) -> None:
        self.nlp = {lang: spacy.blank(lang) for lang in _LANGUAGES}  # type: ignore[assignment]


class _OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer checks the domain with tldextract, which would fetch the
    public suffix list; this one uses the list bundled with tldextract."""

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_suffixes()(pattern_text.rsplit("@", 1)[-1]).suffix)


@cache
def _suffixes() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@cache
def _analyzer() -> AnalyzerEngine:
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)  # one line per recognizer
    registry = RecognizerRegistry(supported_languages=list(_LANGUAGES))
    for lang in _LANGUAGES:
        for recognizer in (
            _OfflineEmailRecognizer,
            CreditCardRecognizer,
            IpRecognizer,
            UrlRecognizer,
        ):
            registry.add_recognizer(recognizer(supported_language=lang))
    return AnalyzerEngine(
        registry=registry, nlp_engine=_BlankSpacy(), supported_languages=list(_LANGUAGES)
    )


def presidio_spans(text: str) -> list[tuple[int, int, Kind]]:
    language = "zh" if _guess_language(text) == "zh" else "en"
    results = _analyzer().analyze(text, language=language, entities=list(_PRESIDIO_KINDS))
    return [(r.start, r.end, _PRESIDIO_KINDS[r.entity_type]) for r in results]
