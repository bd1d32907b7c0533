"""A unit's channel: the public pages (home, channel, post, Atom feed) and the publisher's
console pages for case reports and advisories. The public sees published posts only."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions.core import CaseError
from frontstage.cases.models import Case
from frontstage.publish.actions.posts import (
    TEXT_FIELDS,
    approve_publication,
    describe,
    draft_advisory,
    draft_case_report,
    edit_publication,
    remaining_personal_data,
    withdraw_publication,
)
from frontstage.publish.feeds import ChannelFeed
from frontstage.publish.markdown import render_markdown
from frontstage.publish.models import (
    Publication,
    PublicationKind,
    PublicationStatus,
    TransparencyReport,
)
from frontstage.units.models import Unit
from frontstage.units.scope import CASEWORK, PUBLISHING, unit_ids
from frontstage.units.tree import ancestors

PAGE_SIZE = 10
CONSOLE_PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    """Every unit's channel, in tree order, indented by depth."""
    units = {unit.pk: unit for unit in Unit.objects.all()}
    parents = {pk: unit.parent_id for pk, unit in units.items()}
    paths = {pk: [units[a].slug for a in reversed(ancestors(parents, pk))] for pk in units}
    entries = [(units[pk], len(paths[pk]) - 1) for pk in sorted(units, key=paths.__getitem__)]
    return render(request, "publish/home.html", {"entries": entries})


def channel(request: HttpRequest, slug: str) -> HttpResponse:
    """The unit's public page: who they are, how to report, its published posts (newest
    first, paginated), its latest published transparency report, feed and fediverse handle."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), slug=slug)
    posts = Publication.objects.filter(unit=unit, status=PublicationStatus.PUBLISHED).order_by(
        "-published_at", "-pk"
    )
    report = (
        TransparencyReport.objects.filter(unit=unit, published_at__isnull=False)
        .order_by("-period")
        .first()
    )
    context = {
        "unit": unit,
        "children": unit.children.order_by("slug"),
        "page": Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page")),
        "report": report,
        "report_url": _report_url(unit, report),
        "handle": f"@{unit.slug}@{request.get_host()}",
    }
    return render(request, "publish/channel.html", context)


def _report_url(unit: Unit, report: TransparencyReport | None) -> str:
    if report is None:
        return ""
    try:
        return reverse("transparency_report", args=[unit.slug, report.period])
    except NoReverseMatch:  # the transparency pages are another part's; until they exist
        return ""


def publication(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published post; a withdrawn one answers 410 Gone saying when and why; a draft does
    not exist for the public (404)."""
    post = get_object_or_404(
        Publication.objects.select_related("unit"),
        pk=pk,
        unit__slug=slug,
        status__in=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN],
    )
    status = 410 if post.status == PublicationStatus.WITHDRAWN else 200
    context = {"post": post, "unit": post.unit, **_rendered(post)}
    return render(request, "publish/publication.html", context, status=status)


def _rendered(post: Publication) -> dict[str, str]:
    return {
        "body_en_html": render_markdown(post.body_en),
        "body_zh_html": render_markdown(post.body_zh),
    }


# The console


@console_view("publish.view_publication")
def publications(request: HttpRequest) -> HttpResponse:
    """Drafts and posts of the viewer's units, newest first, filtered by status and kind."""
    found = Publication.objects.filter(unit_id__in=unit_ids(request.user, CASEWORK)).select_related(
        "unit", "created_by"
    )
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in PublicationStatus.values:
        found = found.filter(status=status)
    if kind in PublicationKind.values:
        found = found.filter(kind=kind)
    context = {
        "page": Paginator(found.order_by("-updated_at", "-pk"), CONSOLE_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "status": status,
        "kind": kind,
        "statuses": PublicationStatus.choices,
        "kinds": PublicationKind.choices,
        "may_write": request.user.has_perm("publish.change_publication"),
    }
    return render(request, "publish/console/publications.html", context)


def _post_for(request: HttpRequest, pk: int, perm: str) -> Publication:
    post = get_object_or_404(Publication.objects.select_related("unit", "case"), pk=pk)
    if not request.user.has_perm("publish.view_publication", post):
        raise Http404
    if perm != "publish.view_publication" and not request.user.has_perm(perm, post):
        raise Http404
    return post


@console_view("publish.view_publication")
def publication_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A post in the console: the edit form of a draft (saved by POST), a live preview, the
    approve and withdraw forms; errors are shown beside the form with the input kept."""
    post = _post_for(request, pk, "publish.view_publication")
    may_change = request.user.has_perm("publish.change_publication", post)
    values = {name: getattr(post, name) for name in TEXT_FIELDS}
    error = ""
    if request.method == "POST":
        if not may_change:
            raise Http404
        values = {name: request.POST.get(name, "") for name in TEXT_FIELDS}
        try:
            edit_publication(publication=post, by=acting_staff(request), **values)
        except CaseError as refused:
            error = str(refused)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("console:publication", post.pk)
    return _console_page(request, post, values, error=error, may_change=may_change)


def _console_page(
    request: HttpRequest,
    post: Publication,
    values: dict[str, str],
    *,
    may_change: bool,
    error: str = "",
    withdraw_error: str = "",
    reason: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {
        "post": post,
        "values": values,
        "error": error,
        "withdraw_error": withdraw_error,
        "reason": reason,
        "may_change": may_change,
        "body_en_html": render_markdown(values["body_en"]),
        "body_zh_html": render_markdown(values["body_zh"]),
        "remaining": describe(remaining_personal_data(post))
        if post.status == PublicationStatus.DRAFT
        else "",
        "removed": describe(post.redactions),
    }
    failed = error or withdraw_error
    return render(
        request, "publish/console/publication.html", context, status=422 if failed else 200
    )


@require_POST
@console_view("publish.change_publication")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx partial of the live preview: the Markdown of the form, sanitised."""
    _post_for(request, pk, "publish.change_publication")
    context = {
        "body_en_html": render_markdown(request.POST.get("body_en", "")),
        "body_zh_html": render_markdown(request.POST.get("body_zh", "")),
        "values": {name: request.POST.get(name, "") for name in TEXT_FIELDS},
    }
    return render(request, "publish/console/publication.html#preview", context)


@require_POST
@console_view("publish.change_publication")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk, "publish.change_publication")
    try:
        approve_publication(publication=post, by=acting_staff(request))
    except CaseError as refused:
        values = {name: getattr(post, name) for name in TEXT_FIELDS}
        return _console_page(request, post, values, error=str(refused), may_change=True)
    messages.success(request, _("The post is published on the channel."))
    return redirect("console:publication", post.pk)


@require_POST
@console_view("publish.change_publication")
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk, "publish.change_publication")
    reason = request.POST.get("reason", "")
    try:
        withdraw_publication(publication=post, by=acting_staff(request), reason=reason)
    except CaseError as refused:
        values = {name: getattr(post, name) for name in TEXT_FIELDS}
        return _console_page(
            request, post, values, withdraw_error=str(refused), reason=reason, may_change=True
        )
    messages.success(request, _("The post is withdrawn; its page now says why."))
    return redirect("console:publication", post.pk)


@console_view("publish.change_publication")
def new_advisory(request: HttpRequest) -> HttpResponse:
    """Write an advisory for one of the viewer's units, optionally from a case of a campaign
    (?case=<pk>), whose figures it then carries."""
    by = acting_staff(request)
    units = Unit.objects.filter(pk__in=unit_ids(by, PUBLISHING)).order_by("slug")
    source = request.GET.get("case") or request.POST.get("case") or ""
    campaign_of = _campaign_case(request, source)
    values = {name: request.POST.get(name, "") for name in TEXT_FIELDS}
    chosen = request.POST.get("unit", str(campaign_of.unit_id) if campaign_of else "")
    error = ""
    if request.method == "POST":
        unit = units.filter(pk=chosen).first() if chosen.isdigit() else None
        try:
            if unit is None:
                raise CaseError(_("Choose the unit whose channel the advisory goes on."))
            post = draft_advisory(unit=unit, by=by, campaign_of=campaign_of, **values)
        except CaseError as refused:
            error = str(refused)
        else:
            messages.success(request, _("The advisory is saved as a draft; approve it to publish."))
            return redirect("console:publication", post.pk)
    context = {
        "units": units,
        "values": values,
        "chosen": chosen,
        "case": campaign_of,
        "error": error,
    }
    return render(
        request, "publish/console/new_advisory.html", context, status=422 if error else 200
    )


def _campaign_case(request: HttpRequest, source: str) -> Case | None:
    if not source:
        return None
    case = Case.objects.filter(pk=source).first() if source.isdigit() else None
    if case is None or not request.user.has_perm("cases.view_case", case):
        raise Http404
    return case


@require_POST
@console_view("publish.change_publication")
def draft_case_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """From the case page: a draft case report of a closed, decided case."""
    case = get_object_or_404(Case.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("publish.change_publication", case):
        raise Http404
    try:
        post = draft_case_report(case=case, by=acting_staff(request))
    except CaseError as refused:
        messages.error(request, str(refused))
        return redirect("console:case", case.pk)
    messages.success(request, _("A case report is drafted; check it, then approve it."))
    return redirect("console:publication", post.pk)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("u/<slug:slug>/", channel, name="channel"),
    path("u/<slug:slug>/posts/<int:pk>/", publication, name="publication"),
    path("u/<slug:slug>/feed.atom", ChannelFeed(), name="channel_feed"),
]
console_urlpatterns: list[URLPattern] = [
    path("publications/", publications, name="publications"),
    path("publications/new-advisory/", new_advisory, name="new_advisory"),
    path("publications/<int:pk>/", publication_page, name="publication"),
    path("publications/<int:pk>/preview/", preview, name="preview_publication"),
    path("publications/<int:pk>/approve/", approve, name="approve_publication"),
    path("publications/<int:pk>/withdraw/", withdraw, name="withdraw_publication"),
    path("cases/<int:pk>/case-report/", draft_case_report_view, name="draft_case_report"),
]
