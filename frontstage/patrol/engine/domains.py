"""Domains written without a scheme (`luckybet88.com`), checked against the public suffix
list bundled with tldextract — never fetched."""

import re
from collections.abc import Iterator
from functools import cache

import tldextract

_BARE = re.compile(
    r"(?<![a-z0-9@.\-_/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
    r"(?![a-z0-9\-_@]|\.[a-z0-9])(?:/[^\s<>\"'()\[\]{}，。、；：！？（）【】「」《》]*)?",
    re.IGNORECASE | re.ASCII,
)
_DOT_LETTER = re.compile(r"\.[a-z]", re.IGNORECASE | re.ASCII)  # before the suffix of any match
_PATH_TAIL = ".,;:!?'\"*"


@cache
def _extract() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def bare_domains(text: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Spans of domains (with any path) outside the spans in `taken`, whose suffix is public."""
    if not _DOT_LETTER.search(text):  # most posts: no scan, which is slow on every word
        return
    for match in _BARE.finditer(text):
        start, end = match.start(), match.start() + len(match[0].rstrip(_PATH_TAIL))
        if any(s <= start < e for s, e in taken):
            continue
        host = match[0].split("/", 1)[0]
        parts = _extract()(host)
        if parts.suffix and parts.domain:
            yield start, end


def registrable_domain(host: str) -> str:
    """`shop.example.co.uk` → `example.co.uk`; an IP address or unknown suffix is kept whole."""
    parts = _extract()(host)
    return f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else host
