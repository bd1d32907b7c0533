"""The Atom feed of a unit's channel: its published posts, newest first, each with the English
title and text followed by the Chinese ones when there are any. Withdrawn posts leave it."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from frontstage.publish.markdown import render_markdown
from frontstage.publish.models import Publication, PublicationStatus
from frontstage.units.models import Unit

FEED_SIZE = 50


class ChannelFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Unit:
        return get_object_or_404(Unit, slug=slug)

    def title(self, obj: Unit) -> str:
        return f"{obj.channel_display_name or obj.name_en} · {obj.name_zh}"

    def subtitle(self, obj: Unit) -> str:
        return obj.channel_about_en

    def link(self, obj: Unit) -> str:
        return reverse("channel", args=[obj.slug])

    def items(self, obj: Unit) -> list[Publication]:
        posts = Publication.objects.filter(unit=obj, status=PublicationStatus.PUBLISHED)
        return list(posts.select_related("unit").order_by("-published_at", "-pk")[:FEED_SIZE])

    def item_title(self, item: Publication) -> str:
        return f"{item.title_en} · {item.title_zh}" if item.title_zh else item.title_en

    def item_description(self, item: Publication) -> str:
        html = render_markdown(item.body_en)
        if item.body_zh:
            html += '<hr><div lang="zh-Hans">' + render_markdown(item.body_zh) + "</div>"
        return html

    def item_link(self, item: Publication) -> str:
        return reverse("publication", args=[item.unit.slug, item.pk])

    def item_pubdate(self, item: Publication) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Publication) -> datetime | None:
        return item.published_at
