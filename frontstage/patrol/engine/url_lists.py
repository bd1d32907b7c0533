"""URL and domain lists matched the Safe Browsing v4 way: a list names host-suffix/path-prefix
expressions (`evil.example/`, `shop.example/login`), and a URL matches when one of its lookup
expressions is on the list — so `evil.example/` covers every page of every subdomain."""

from collections.abc import Iterable

from frontstage.lib.safe_browsing import NotAUrl, canonicalize, lookup_expressions


def list_expression(entry: str) -> str:
    """The expression an entry stands for: `Evil.Example` → `evil.example/`. Raises NotAUrl."""
    return canonicalize(entry).split("://", 1)[1]


class UrlList:
    def __init__(self, name: str, entries: Iterable[str]) -> None:
        self.name = name
        self.expressions = frozenset(list_expression(entry) for entry in entries)

    def __len__(self) -> int:
        return len(self.expressions)

    def match(self, url: str) -> str | None:
        """The most specific listed expression covering `url`, or None."""
        try:
            candidates = lookup_expressions(url)
        except NotAUrl:
            return None
        return next((e for e in candidates if e in self.expressions), None)
