"""Markdown written by publishers → HTML safe to show to anyone.

CommonMark without raw HTML (markdown-it-py), then nh3 with an allow-list: whatever the
Markdown parser lets through, only these tags and attributes reach a page, a feed or an
ActivityPub activity."""

from functools import cache

import nh3
from markdown_it import MarkdownIt

TAGS = frozenset(
    {"p", "a", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre"}
    | {"h2", "h3", "h4", "hr", "br"}
)
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _parser() -> MarkdownIt:
    # "html": False turns raw HTML into text; headings h1 and h5-h6 are not in the allow-list,
    # so nh3 keeps their text only.
    return MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str) -> str:
    """Sanitised HTML for the Markdown `text`. Links keep only http, https and mailto targets
    and get rel="nofollow noopener"; everything else (scripts, event handlers, styles, images,
    javascript: links) is dropped."""
    return nh3.clean(
        _parser().render(text),
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        clean_content_tags={"script", "style"},
    )
