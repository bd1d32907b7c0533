"""The fediverse face of each channel (WebFinger, actor, outbox, followers, inbox) and the
console page where publishers see followers, follows and deliveries and follow others."""

import json
from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from frontstage.accounts.views import acting_staff, console_view
from frontstage.audit.actions import record
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.publish import activitypub as ap
from frontstage.publish import signatures
from frontstage.publish.actions.federation import FederationError, channel_key, follow, receive
from frontstage.publish.delivery import MAX_BYTES, RemoteError, actor_for_key, may_refresh
from frontstage.publish.models import (
    Delivery,
    Follower,
    Following,
    FollowState,
    Publication,
    PublicationStatus,
    ReceivedPost,
)
from frontstage.units.models import Unit
from frontstage.units.scope import PUBLISHING, unit_ids


def _json(
    document: dict[str, Any], content_type: str = ap.ACTIVITY_JSON, status: int = 200
) -> HttpResponse:
    response = JsonResponse(document, status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept"
    return response


def _problem(status: int, detail: str) -> HttpResponse:
    return JsonResponse(
        {"type": "about:blank", "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


def _page_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("page")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise Http404
    return int(raw)


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    """`acct:<slug>@<host>` (our host as the visitor named it, or as SITE_URL names it), or the
    URL of a channel's actor or page → a JRD with a self link to the actor."""
    resource = request.GET.get("resource", "").strip()
    hosts = {request.get_host(), urlsplit(ap.site_url()).netloc}
    if resource.startswith("acct:"):
        user, at, host = resource[len("acct:") :].lstrip("@").partition("@")
        if not user or not at or not host:
            return _problem(400, "resource must look like acct:name@host")
        if host not in hosts:
            raise Http404
        slug = user
    elif resource.startswith(("http://", "https://")):
        parts = urlsplit(resource)
        pieces = parts.path.strip("/").split("/")
        if parts.netloc not in hosts or len(pieces) not in {2, 3} or pieces[0] != "u":
            raise Http404
        if len(pieces) == 3 and pieces[2] != "actor":
            raise Http404
        slug, host = pieces[1], parts.netloc
    else:
        return _problem(400, "resource must be an acct: URI or the URL of a channel")
    unit = get_object_or_404(Unit, slug=slug)
    document = ap.webfinger(subject=f"acct:{unit.slug}@{host}", urls=ap.channel_urls(unit.slug))
    return _json(document, content_type=ap.JRD_JSON)


@require_GET
def actor(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=slug)
    urls = ap.channel_urls(unit.slug)
    accept = request.headers.get("Accept", "")
    # A person who opens the actor's address in a browser wants the channel page.
    if "text/html" in accept and "activity+json" not in accept and "ld+json" not in accept:
        return HttpResponseRedirect(urls.channel)
    key = channel_key(unit=unit, by=SYSTEM)
    document = ap.actor_document(
        urls,
        username=unit.slug,
        name_en=unit.name_en,
        name_zh=unit.name_zh,
        summary_en=unit.channel_about_en,
        summary_zh=unit.channel_about_zh,
        public_key_pem=key.public_key_pem,
    )
    return _json(document)


def _collection(
    request: HttpRequest, collection_id: str, items: QuerySet[Any], render_item: Any
) -> HttpResponse:
    paginator = Paginator(items, ap.PAGE_SIZE, allow_empty_first_page=True)
    number = _page_number(request)
    total, pages = paginator.count, paginator.num_pages
    if number is None:
        return _json(ap.ordered_collection(collection_id, total=total, pages=pages))
    if number > pages:
        raise Http404
    page = paginator.page(number)
    rendered = [render_item(item) for item in page.object_list]
    document = ap.collection_page(
        collection_id, number=number, pages=pages, items=rendered, total=total
    )
    return _json(document)


@require_GET
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    """Create activities of the channel's published posts, newest first; withdrawn ones are
    gone (their Delete went to the followers)."""
    unit = get_object_or_404(Unit, slug=slug)
    urls = ap.channel_urls(unit.slug)
    posts = (
        Publication.objects.filter(unit=unit, status=PublicationStatus.PUBLISHED)
        .select_related("unit")
        .order_by("-published_at", "-id")
    )
    return _collection(request, urls.outbox, posts, lambda p: ap.create(ap.post_of(p), urls))


@require_GET
def followers(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=slug)
    urls = ap.channel_urls(unit.slug)
    accepted = (
        Follower.objects.filter(unit=unit, state=FollowState.ACCEPTED)
        .select_related("actor")
        .order_by("since", "id")
    )
    return _collection(request, urls.followers, accepted, lambda f: f.actor.uri)


@csrf_exempt  # remote servers sign their requests; they have no CSRF token
@require_POST
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept a signed activity (see actions.federation.receive for which ones). Answers 202
    when done, 401 for a missing or bad signature, 403 when the signer is not the activity's
    actor, 413 for a body over 1 MB, 400 for anything we do not accept."""
    unit = get_object_or_404(Unit, slug=slug)
    length = request.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        return _refuse(unit, 413, "The body is larger than 1 MB.")
    body = request.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        return _refuse(unit, 413, "The body is larger than 1 MB.")
    headers = dict(request.headers)
    try:
        key_id = signatures.signature_params(headers)["keyId"]
    except signatures.SignatureProblem as problem:
        return _refuse(unit, 401, str(problem))
    try:
        activity = json.loads(body)
    except ValueError:
        return _refuse(unit, 400, "The body is not JSON.", key_id=key_id)
    if not isinstance(activity, dict):
        return _refuse(unit, 400, "The body is not a JSON object.", key_id=key_id)

    def check(pem: str) -> None:
        signatures.verify(
            method="POST",
            path=request.path,
            headers=headers,
            body=body,
            public_key_pem=pem,
            now=timezone.now(),
        )

    try:
        signer = actor_for_key(key_id)
        try:
            check(signer.public_key_pem)
        except signatures.SignatureProblem:
            if not may_refresh(signer):
                raise
            # The remote server may have changed its key since we cached it.
            signer = actor_for_key(key_id, refresh=True)
            check(signer.public_key_pem)
    except (RemoteError, signatures.SignatureProblem) as problem:
        return _refuse(unit, 401, str(problem), key_id=key_id)
    if ap.object_id(activity.get("actor")) != signer.uri:
        return _refuse(unit, 403, "The signer is not the activity's actor.", key_id=key_id)
    try:
        receive(unit=unit, signer=signer, activity=activity)
    except FederationError as error:
        return _refuse(unit, error.status, str(error), key_id=key_id)
    return HttpResponse(status=202)


def _refuse(unit: Unit, status: int, detail: str, *, key_id: str = "") -> HttpResponse:
    with transaction.atomic():
        record(
            by=PUBLIC,
            action="federation.inbox_refused",
            unit=unit,
            payload={"status": status, "detail": detail[:300], "key_id": key_id[:500]},
        )
    return _problem(status, detail)


class FollowForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Channel"))
    actor_uri = forms.CharField(
        max_length=500,
        label=gettext_lazy("Follow"),
        help_text=gettext_lazy(
            "The address of a fediverse account or channel: https://example.org/u/name/actor "
            "or @name@example.org. Its posts will arrive here once it accepts."
        ),
    )

    def __init__(self, units: QuerySet[Unit], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = units
        if units.count() == 1:
            field.initial = units.first()


TABS = {
    "deliveries": gettext_lazy("Deliveries"),
    "followers": gettext_lazy("Followers"),
    "follows": gettext_lazy("Follows"),
    "received": gettext_lazy("Received posts"),
}


@console_view("publish.change_publication")
def federation(request: HttpRequest) -> HttpResponse:
    """Followers, follows, received posts and deliveries of the units the person publishes
    for; a form to follow another channel."""
    scope = unit_ids(request.user, PUBLISHING)
    units = Unit.objects.filter(pk__in=scope).order_by("slug")
    form = FollowForm(units, request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not request.user.has_perm("publish.change_publication", unit):
            raise Http404
        try:
            follow(unit=unit, actor_uri=form.cleaned_data["actor_uri"], by=acting_staff(request))
        except FederationError as error:
            form.add_error("actor_uri", str(error))
        else:
            messages.success(
                request,
                _("A follow request went out. Its posts will arrive once it accepts."),
            )
            return redirect("console:federation")
    tab = request.GET.get("show", "deliveries")
    if tab not in TABS:
        tab = "deliveries"
    lists: dict[str, QuerySet[Any]] = {
        "deliveries": Delivery.objects.filter(unit__in=scope)
        .select_related("unit")
        .order_by("-created_at", "-id"),
        "followers": Follower.objects.filter(unit__in=scope)
        .select_related("unit", "actor")
        .order_by("-since", "-id"),
        "follows": Following.objects.filter(unit__in=scope)
        .select_related("unit", "actor")
        .order_by("-since", "-id"),
        "received": ReceivedPost.objects.filter(unit__in=scope)
        .select_related("unit", "actor")
        .order_by("-received_at", "-id"),
    }
    page = Paginator(lists[tab], 25).get_page(request.GET.get("page"))
    counts = {name: items.count() for name, items in lists.items()}
    failed = Delivery.objects.filter(unit__in=scope, given_up_at__isnull=False).count()
    context = {
        "form": form,
        "tab": tab,
        "tabs": [(name, label, counts[name]) for name, label in TABS.items()],
        "page": page,
        "failed": failed,
        "units": units,
    }
    return render(request, "publish/federation.html", context)


urlpatterns: list[URLPattern] = [
    path(".well-known/webfinger", webfinger, name="webfinger"),
    path("u/<slug:slug>/actor", actor, name="actor"),
    path("u/<slug:slug>/outbox", outbox, name="outbox"),
    path("u/<slug:slug>/followers", followers, name="followers"),
    path("u/<slug:slug>/inbox", inbox, name="inbox"),
]
console_urlpatterns: list[URLPattern] = [
    path("federation/", federation, name="federation"),
]
