"""ActivityPub and WebFinger documents of a unit's channel.

The builders are pure: they take plain values (URLs, texts, dates) and return the JSON-ready
dicts that Mastodon and other fediverse servers read. The few functions at the end that know
Django (`channel_urls`, `post_of`) turn a Unit or a Publication into those plain values.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from frontstage.publish.models import Publication

AS = "https://www.w3.org/ns/activitystreams"
SECURITY = "https://w3id.org/security/v1"
PUBLIC = f"{AS}#Public"
ACTIVITY_JSON = "application/activity+json"
LD_JSON = f'application/ld+json; profile="{AS}"'
JRD_JSON = "application/jrd+json"
PAGE_SIZE = 20

JSON = dict[str, Any]


@dataclass(frozen=True)
class ChannelUrls:
    """The absolute URLs of one unit's actor and its collections."""

    actor: str
    inbox: str
    outbox: str
    followers: str
    channel: str

    @property
    def key_id(self) -> str:
        return f"{self.actor}#main-key"


@dataclass(frozen=True)
class Post:
    """What the fediverse sees of a published case report (a Note) or advisory (an Article)."""

    url: str
    kind: str  # "Note" or "Article"
    title_en: str
    title_zh: str
    html_en: str
    html_zh: str
    published: datetime


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def object_id(value: Any) -> str | None:
    """The id of an ActivityPub value given inline (a dict) or by reference (a string)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def same_origin(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc) and bool(a.netloc)


def webfinger(*, subject: str, urls: ChannelUrls) -> JSON:
    return {
        "subject": subject,
        "aliases": [urls.actor, urls.channel],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": urls.actor},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": urls.channel,
            },
        ],
    }


def actor_document(
    urls: ChannelUrls,
    *,
    username: str,
    name_en: str,
    name_zh: str,
    summary_en: str,
    summary_zh: str,
    public_key_pem: str,
) -> JSON:
    document: JSON = {
        "@context": [AS, SECURITY],
        "id": urls.actor,
        "type": "Organization",
        "preferredUsername": username,
        "name": name_en,
        "nameMap": _language_map(name_en, name_zh),
        "summary": summary_en,
        "summaryMap": _language_map(summary_en, summary_zh),
        "url": urls.channel,
        "inbox": urls.inbox,
        "outbox": urls.outbox,
        "followers": urls.followers,
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {"id": urls.key_id, "owner": urls.actor, "publicKeyPem": public_key_pem},
    }
    return document


def post_object(post: Post, urls: ChannelUrls) -> JSON:
    """A Note carries its title in its text; an Article has it as `name`."""
    if post.kind == "Article":
        content_en, content_zh = post.html_en, post.html_zh
        extra: JSON = {
            "name": post.title_en,
            "nameMap": _language_map(post.title_en, post.title_zh),
        }
    else:
        content_en = _titled(post.title_en, post.html_en)
        content_zh = _titled(post.title_zh, post.html_zh) if post.html_zh else ""
        extra = {}
    return {
        "id": post.url,
        "type": post.kind,
        "attributedTo": urls.actor,
        "url": post.url,
        "published": iso(post.published),
        "to": [PUBLIC],
        "cc": [urls.followers],
        "content": content_en,
        "contentMap": _language_map(content_en, content_zh),
        **extra,
    }


def create(post: Post, urls: ChannelUrls) -> JSON:
    return {
        "@context": AS,
        "id": f"{post.url}#create",
        "type": "Create",
        "actor": urls.actor,
        "published": iso(post.published),
        "to": [PUBLIC],
        "cc": [urls.followers],
        "object": post_object(post, urls),
    }


def delete(post_url: str, urls: ChannelUrls) -> JSON:
    return {
        "@context": AS,
        "id": f"{post_url}#delete",
        "type": "Delete",
        "actor": urls.actor,
        "to": [PUBLIC],
        "cc": [urls.followers],
        "object": {"id": post_url, "type": "Tombstone"},
    }


def follow(*, follow_id: str, urls: ChannelUrls, target: str) -> JSON:
    return {
        "@context": AS,
        "id": follow_id,
        "type": "Follow",
        "actor": urls.actor,
        "object": target,
    }


def undo(*, activity: JSON, urls: ChannelUrls) -> JSON:
    inner = {key: value for key, value in activity.items() if key != "@context"}
    return {
        "@context": AS,
        "id": f"{activity['id']}/undo",
        "type": "Undo",
        "actor": urls.actor,
        "object": inner,
    }


def accept(*, accept_id: str, follow_activity: JSON, urls: ChannelUrls) -> JSON:
    inner = {key: value for key, value in follow_activity.items() if key != "@context"}
    return {
        "@context": AS,
        "id": accept_id,
        "type": "Accept",
        "actor": urls.actor,
        "to": [inner.get("actor")],
        "object": inner,
    }


def ordered_collection(collection_id: str, *, total: int, pages: int) -> JSON:
    return {
        "@context": AS,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
        "first": f"{collection_id}?page=1",
        "last": f"{collection_id}?page={max(pages, 1)}",
    }


def collection_page(
    collection_id: str, *, number: int, pages: int, items: Sequence[Any], total: int
) -> JSON:
    page: JSON = {
        "@context": AS,
        "id": f"{collection_id}?page={number}",
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "totalItems": total,
        "orderedItems": list(items),
    }
    if number > 1:
        page["prev"] = f"{collection_id}?page={number - 1}"
    if number < pages:
        page["next"] = f"{collection_id}?page={number + 1}"
    return page


def _language_map(english: str, chinese: str) -> dict[str, str]:
    return {"en": english, **({"zh-Hans": chinese} if chinese else {})}


def _titled(title: str, html: str) -> str:
    from html import escape

    return f"<p><strong>{escape(title)}</strong></p>{html}"


# Django adapters ---------------------------------------------------------------------------


def site_url() -> str:
    """Where this instance is reached from outside, without a trailing slash."""
    from django.conf import settings

    return str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def channel_urls(slug: str, base: str | None = None) -> ChannelUrls:
    from django.urls import reverse

    root = (base or site_url()).rstrip("/")
    return ChannelUrls(
        actor=root + reverse("actor", args=[slug]),
        inbox=root + reverse("inbox", args=[slug]),
        outbox=root + reverse("outbox", args=[slug]),
        followers=root + reverse("followers", args=[slug]),
        channel=root + reverse("channel", args=[slug]),
    )


def post_url(publication: "Publication", base: str | None = None) -> str:
    from django.urls import NoReverseMatch, reverse

    slug = publication.unit.slug
    try:
        path = reverse("publication", args=[slug, publication.pk])
    except NoReverseMatch:  # the public post page belongs to the channel part of the app
        path = f"/u/{slug}/posts/{publication.pk}/"
    return (base or site_url()).rstrip("/") + path


def post_of(publication: "Publication", base: str | None = None) -> Post:
    from frontstage.publish.models import PublicationKind

    if publication.published_at is None:
        raise ValueError(f"{publication.reference} is not published: only published posts federate")
    return Post(
        url=post_url(publication, base),
        kind="Article" if publication.kind == PublicationKind.ADVISORY else "Note",
        title_en=publication.title_en,
        title_zh=publication.title_zh,
        html_en=render_body(publication.body_en),
        html_zh=render_body(publication.body_zh) if publication.body_zh else "",
        published=publication.published_at,
    )


def render_body(text: str) -> str:
    """Markdown → sanitised HTML, the same way the channel page renders it."""
    from frontstage.publish.markdown import render_markdown

    return render_markdown(text)
