"""The affected user's statement page with the appeal form (public, reached by the link in
the statement of reasons), and the console pages where supervisors decide appeals."""

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.actions.appeals import APPEAL_MAX_CHARS, decide_appeal, file_appeal
from frontstage.cases.actions.core import CaseError
from frontstage.cases.models import Appeal, AppealStatus, SanctionKind, StatementOfReasons
from frontstage.intake import throttle
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PUBLIC
from frontstage.lib.i18n import localised
from frontstage.units.scope import SUPERVISION, unit_ids

PAGE_SIZE = 25
# Appeals per client address and hour; the token already keeps strangers out, this keeps a
# script from flooding one statement's form.
APPEALS_PER_HOUR = int(getattr(settings, "APPEALS_PER_HOUR", 10))
# The tokens issued are token_urlsafe(24); anything else is answered like an unknown token.
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

# How each report source reads in "the decision followed …" (Art. 17(3)(b)).
NOTICE_PHRASES = {
    ReportSource.PUBLIC: gettext_lazy("a report from a member of the public"),
    ReportSource.TRUSTED_FLAGGER: gettext_lazy("a notice from a trusted flagger"),
    ReportSource.AUTHORITY_ORDER: gettext_lazy("an order from a public authority"),
}


class AppealForm(forms.Form):
    # Lengths are checked by file_appeal, so the person reads one message in their language.
    text = forms.CharField(
        label=gettext_lazy("Why do you think the decision is wrong?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": APPEAL_MAX_CHARS}),
        help_text=gettext_lazy("Between 20 and 5,000 characters. Add anything the unit missed."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        required=False,
        help_text=gettext_lazy("Used only to tell you the outcome of your appeal."),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (AppealStatus.UPHELD, gettext_lazy("Uphold: the sanction stands")),
            (AppealStatus.REVERSED, gettext_lazy("Reverse: lift the sanction and its strike")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The appellant reads this reason."),
    )


@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, token: str) -> HttpResponse:
    """The statement of reasons (DSA Art. 17) and the appeal form (Art. 20), no login."""
    found = (
        StatementOfReasons.objects.select_related("sanction").filter(token=token).first()
        if TOKEN.fullmatch(token)
        else None
    )
    if found is None:
        return _private(render(request, "cases/appeals/statement_missing.html", status=404))
    _use_language(request, found.language)
    form = AppealForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        key = throttle.client_key(request, "appeal")
        if not throttle.allow(key, limit=APPEALS_PER_HOUR, per=timedelta(hours=1)):
            form.add_error(
                None, _("Too many attempts from your connection; please try again in an hour.")
            )
            status = 429
        else:
            try:
                file_appeal(
                    statement=found,
                    text=form.cleaned_data["text"],
                    email=form.cleaned_data["email"],
                    by=PUBLIC,
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your appeal was received. A reviewer who did not take the decision "
                        "will look at it."
                    ),
                )
                return redirect("statement", token)
    if form.errors and status == 200:
        status = 400
    appeal = found.appeals.order_by("-filed_at").first()
    context = {
        "statement": found,
        "s": statement_display(found.content),
        "sanction": found.sanction,
        "appeal": appeal,
        "may_appeal": appeal is None and timezone.now() <= found.appeal_until,
        "form": form,
    }
    return _private(render(request, "cases/statement.html", context, status=status))


def statement_display(content: dict[str, Any]) -> dict[str, Any]:
    """The statement's content as the page shows it, in the active language."""
    kind = content.get("sanction", "")
    sources = list(content.get("source_types") or [])
    category = content.get("category") or {}
    ground = content.get("legal_ground") or {}
    unit = content.get("unit") or {}
    return {
        "sanction": SanctionKind(kind).label if kind in SanctionKind.values else kind,
        "permanent_account": kind == SanctionKind.SUSPEND_PERMANENTLY,
        "days": content.get("days"),
        "starts_at": _date(content.get("starts_at")),
        "ends_at": _date(content.get("ends_at")),
        "decided_at": _date(content.get("decided_at")),
        "subject": content.get("subject") or {},
        "territory": content.get("territory") or [],
        "unit": localised(unit.get("name_en", ""), unit.get("name_zh", "")),
        "category": localised(category.get("name_en", ""), category.get("name_zh", "")),
        "facts": content.get("facts", ""),
        "explanation": content.get("explanation", ""),
        "notices": [NOTICE_PHRASES[s] for s in sources if s in NOTICE_PHRASES],
        "patrol": ReportSource.PATROL in sources,
        "automated_detection": bool(content.get("automated_detection")),
        "ground": {
            "reference": ground.get("reference", ""),
            "title": localised(ground.get("title_en", ""), ground.get("title_zh", "")),
            "elements": localised(ground.get("elements_en", ""), ground.get("elements_zh", "")),
            "url": ground.get("url", ""),
        },
        "case": content.get("case", ""),
        "puid": content.get("puid", ""),
    }


@console_view("cases.decide_appeal")
def appeal_list(request: HttpRequest) -> HttpResponse:
    """Open appeals in the person's units, oldest first; decided ones below, filterable."""
    appeals = Appeal.objects.filter(
        case__unit_id__in=unit_ids(request.user, SUPERVISION)
    ).select_related("case__unit", "statement__sanction", "decided_by")
    waiting = appeals.filter(status=AppealStatus.OPEN).order_by("filed_at", "pk")
    outcome = request.GET.get("outcome", "")
    decided = appeals.exclude(status=AppealStatus.OPEN).order_by("-decided_at", "-pk")
    if outcome in (AppealStatus.UPHELD, AppealStatus.REVERSED):
        decided = decided.filter(status=outcome)
    context = {
        "page": Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page")),
        "decided": Paginator(decided, PAGE_SIZE).get_page(request.GET.get("decided_page")),
        "outcome": outcome,
        "outcomes": [
            (AppealStatus.UPHELD, AppealStatus.UPHELD.label),
            (AppealStatus.REVERSED, AppealStatus.REVERSED.label),
        ],
    }
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    template = "cases/appeals/list.html#decided" if htmx else "cases/appeals/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@console_view("cases.decide_appeal")
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related(
            "case__unit",
            "decided_by",
            "statement__sanction__decision__decided_by",
            "statement__sanction__decision__legal_ground",
            "statement__sanction__proposed_by",
            "statement__sanction__approved_by",
            "statement__sanction__subject",
        ),
        pk=pk,
    )
    if not request.user.has_perm("cases.decide_appeal", appeal.case):
        raise Http404
    form = AppealDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decide_appeal(
                appeal=appeal,
                upheld=form.cleaned_data["outcome"] == AppealStatus.UPHELD,
                reason=form.cleaned_data["reason"],
                by=acting_staff(request),
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The appeal is decided; the appellant can read the outcome.")
            )
            return redirect("console:appeal", appeal.pk)
    sanction = appeal.statement.sanction
    me = request.user.pk
    context = {
        "appeal": appeal,
        "statement": appeal.statement,
        "s": statement_display(appeal.statement.content),
        "sanction": sanction,
        "decision": sanction.decision,
        "involved": me
        in (sanction.decision.decided_by_id, sanction.proposed_by_id, sanction.approved_by_id),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "cases/appeals/detail.html", context, status=status)


def _use_language(request: HttpRequest, language: str) -> None:
    """Show the page in the statement's language unless the visitor chose one."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    try:
        chosen = translation.get_supported_language_variant(language)
    except LookupError:
        return
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen


def _private(response: HttpResponse) -> HttpResponse:
    # The page is the affected user's alone: no caches, no search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _date(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


urlpatterns: list[URLPattern] = [
    path("appeals/", appeal_list, name="appeals"),
    path("appeals/<int:pk>/", appeal_detail, name="appeal"),
]
# The affected user's pages: no login, reached by the link in their statement of reasons.
public_urlpatterns: list[URLPattern] = [
    path("statement/<str:token>/", statement, name="statement"),
]
