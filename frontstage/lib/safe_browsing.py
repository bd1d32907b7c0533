"""URLs the Safe Browsing v4 way: canonical form and the host-suffix/path-prefix lookup
expressions, so URL lists interoperate with other tools. Pure Python, no Django.

Works on bytes, as the specification does: a `str` is taken as its UTF-8 bytes.
"""

import re
from collections.abc import Iterable
from urllib.parse import unquote_to_bytes

_SCHEME = re.compile(rb"^([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)$", re.DOTALL)
_MAX_HOST_SUFFIXES = 4  # besides the exact host
_MAX_PATH_PREFIXES = 4  # besides the exact path, with and without query


class NotAUrl(ValueError):
    """The text cannot be read as a URL (for example it has no host)."""


def canonicalize(url: str | bytes) -> str:
    """The canonical form of `url`, e.g. `http://www.GOOgle.com:80/a/../b#x` →
    `http://www.google.com/b`. Raises NotAUrl when no host is left."""
    raw = url.encode("utf-8") if isinstance(url, str) else url
    raw = raw.strip(b" \t\r\n\x0b\x0c")
    raw = raw.replace(b"\t", b"").replace(b"\r", b"").replace(b"\n", b"")
    raw = raw.split(b"#", 1)[0]
    raw = _unescape_fully(raw)
    match = _SCHEME.match(raw)
    scheme, rest = (match.group(1).lower(), match.group(2)) if match else (b"http", raw)
    authority, path, query = _split(rest)
    host = _canonical_host(authority)
    if not host:
        raise NotAUrl(f"{url!r} has no host")
    canonical = scheme + b"://" + _escape(host) + _escape(_canonical_path(path))
    if query is not None:
        canonical += b"?" + _escape(query)
    return canonical.decode("ascii")


def lookup_expressions(url: str | bytes) -> list[str]:
    """The host-suffix/path-prefix expressions under which a list may name `url`, most
    specific first, e.g. `a.b.c/1/2.html?x`, `a.b.c/1/2.html`, `a.b.c/`, `a.b.c/1/`, `b.c/…`."""
    canonical = canonicalize(url)
    rest = canonical.split("://", 1)[1]
    host, _slash, tail = rest.partition("/")
    path, question, query = tail.partition("?")
    return _dedupe(
        h + p for h in _host_suffixes(host) for p in _path_prefixes(path, question, query)
    )


def host_of(url: str | bytes) -> str:
    """The canonical host of `url`."""
    return canonicalize(url).split("://", 1)[1].split("/", 1)[0]


def _unescape_fully(raw: bytes) -> bytes:
    while True:
        unescaped = unquote_to_bytes(raw)
        if unescaped == raw:
            return raw
        raw = unescaped


def _split(rest: bytes) -> tuple[bytes, bytes, bytes | None]:
    cut = len(rest)
    for separator in (b"/", b"?"):
        index = rest.find(separator)
        if index != -1:
            cut = min(cut, index)
    authority, remainder = rest[:cut], rest[cut:]
    path, question, query = remainder.partition(b"?")
    return authority, path, (query if question else None)


def _canonical_host(authority: bytes) -> bytes:
    host = authority.rpartition(b"@")[2]  # drop any user:password@
    if re.search(rb":\d*$", host):
        host = host.rsplit(b":", 1)[0]
    host = re.sub(rb"\.{2,}", b".", host.strip(b".")).lower()
    ip = _as_ipv4(host)
    if ip is not None:
        return ip
    try:
        return host.decode("utf-8").encode("idna") if not host.isascii() else host
    except UnicodeError:
        return host


def _as_ipv4(host: bytes) -> bytes | None:
    """Hosts that inet_aton would read as an IPv4 address, in dotted-decimal form."""
    parts = host.split(b".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        try:
            if part.startswith((b"0x", b"0X")):
                numbers.append(int(part[2:] or b"0", 16))
            elif part.startswith(b"0") and len(part) > 1:
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return b".".join(str((value >> shift) & 255).encode() for shift in (24, 16, 8, 0))


def _canonical_path(path: bytes) -> bytes:
    segments: list[bytes] = []
    for segment in path.split(b"/"):
        if segment in (b"", b"."):
            continue
        if segment == b"..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    ends_in_slash = path.endswith((b"/", b"/.", b"/..")) and bool(segments)
    return b"/" + b"/".join(segments) + (b"/" if ends_in_slash else b"")


def _escape(raw: bytes) -> bytes:
    return b"".join(
        b"%%%02X" % byte if byte <= 0x20 or byte >= 0x7F or byte in b"#%" else bytes([byte])
        for byte in raw
    )


def _host_suffixes(host: str) -> list[str]:
    if _as_ipv4(host.encode()) == host.encode():
        return [host]
    labels = host.split(".")
    tail = labels[-5:]
    suffixes = [".".join(tail[i:]) for i in range(len(tail) - 1)]
    return _dedupe([host, *suffixes[-_MAX_HOST_SUFFIXES:]])


def _path_prefixes(path: str, question: str, query: str) -> list[str]:
    exact = "/" + path
    found = [exact + question + query] if question else []
    found.append(exact)
    directories = path.split("/")[:-1]
    prefix = "/"
    found.append(prefix)
    for directory in directories[: _MAX_PATH_PREFIXES - 1]:
        prefix += directory + "/"
        found.append(prefix)
    return _dedupe(found)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
