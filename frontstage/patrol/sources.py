"""Where posts come from: JSON Lines (a file or stdin) and RSS/Atom feeds polled politely."""

import html
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO

from frontstage.patrol.engine import Post
from frontstage.patrol.jsonl import read_posts

ATOM = "{http://www.w3.org/2005/Atom}"
USER_AGENT = "Frontstage-patrol/1 (+https://github.com/frontstage)"
_TAGS = re.compile(r"<[^>]+>")


def jsonl_posts(stream: IO[bytes], *, images_from: Path, problems: list[str]) -> Iterator[Post]:
    """Posts of a JSON Lines stream as they arrive; bad lines go to `problems`."""
    for line in read_posts(stream, images_from=images_from):
        if line.post is None:
            problems.append(f"line {line.number}: skipped: {line.problem}")
            continue
        yield line.post


@dataclass(frozen=True)
class Fetched:
    """A feed poll: its posts (empty when unchanged) and the validators for the next poll."""

    posts: list[Post]
    etag: str
    last_modified: str
    changed: bool


def poll_feed(url: str, *, source: str, etag: str = "", last_modified: str = "") -> Fetched:
    """Fetch a feed with If-None-Match / If-Modified-Since; a 304 returns no posts."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/atom+xml, application/rss+xml"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - a configured feed
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read(20 * 1024 * 1024)
            new_etag = response.headers.get("ETag", "")
            new_modified = response.headers.get("Last-Modified", "")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched([], etag, last_modified, changed=False)
        raise
    return Fetched(parse_feed(body, source=source), new_etag, new_modified, changed=True)


def parse_feed(body: bytes, *, source: str) -> list[Post]:
    """Atom entries or RSS items as posts: id from the entry id/guid (else its link), text
    from title and summary with markup removed, the entry link as its URL."""
    root = ET.fromstring(body)  # noqa: S314 - feeds are size-capped; no DTDs are resolved
    if root.tag == f"{ATOM}feed":
        return [_atom_post(entry, source) for entry in root.iter(f"{ATOM}entry")]
    return [_rss_post(item, source) for item in root.iter("item")]


def _atom_post(entry: ET.Element, source: str) -> Post:
    link = next(
        (
            e.get("href", "")
            for e in entry.iter(f"{ATOM}link")
            if e.get("rel", "alternate") == "alternate"
        ),
        "",
    )
    text = " ".join(
        _plain(entry.findtext(f"{ATOM}{tag}") or "") for tag in ("title", "summary", "content")
    )
    when = entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")
    author = entry.findtext(f"{ATOM}author/{ATOM}name")
    return Post(
        id=entry.findtext(f"{ATOM}id") or link,
        text=" ".join(text.split()),
        urls=[link] if link else [],
        source=source,
        author=author,
        posted_at=_iso(when),
    )


def _rss_post(item: ET.Element, source: str) -> Post:
    link = (item.findtext("link") or "").strip()
    text = " ".join(_plain(item.findtext(tag) or "") for tag in ("title", "description"))
    return Post(
        id=(item.findtext("guid") or link).strip(),
        text=" ".join(text.split()),
        urls=[link] if link else [],
        source=source,
        author=item.findtext("author"),
        posted_at=_rfc822(item.findtext("pubDate")),
    )


def _plain(markup: str) -> str:
    return html.unescape(_TAGS.sub(" ", markup))


def _iso(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _rfc822(text: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError):
        return None
