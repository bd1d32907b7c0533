"""The console's rules page: each rule's mode, recent hits and measured precision; switching
modes (audited); a backtest of an uploaded labelled file."""

from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.accounts.views import acting_staff, console_view
from frontstage.cases.models import CaseOutcome
from frontstage.patrol.actions import PatrolError, set_rule_mode
from frontstage.patrol.backtest import backtest
from frontstage.patrol.backtest_report import as_text
from frontstage.patrol.jsonl import read_posts
from frontstage.patrol.models import PatrolHit, RuleSetting
from frontstage.patrol.pack import current_pack
from frontstage.patrol.scan import evaluate_reporting

MAX_UPLOAD = 5 * 1024 * 1024


@console_view("patrol.view_rules")
def rules_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _switch(request)
    now = timezone.now()
    figures = {
        row["rule"]: row
        for row in PatrolHit.objects.values("rule").annotate(
            day=Count("pk", filter=Q(recorded_at__gte=now - timedelta(days=1))),
            week=Count("pk", filter=Q(recorded_at__gte=now - timedelta(days=7))),
            decided=Count("pk", filter=~Q(report__case__outcome="") & Q(report__isnull=False)),
            actioned=Count("pk", filter=Q(report__case__outcome=CaseOutcome.ACTION_TAKEN)),
        )
    }
    modes = dict(RuleSetting.objects.values_list("rule", "mode"))
    rows = []
    for rule in current_pack().rules:
        row = figures.get(rule.id, {})
        decided = row.get("decided", 0)
        rows.append(
            {
                "rule": rule,
                "mode": modes.get(rule.id, rule.mode.value),
                "day": row.get("day", 0),
                "week": row.get("week", 0),
                "decided": decided,
                "precision": row.get("actioned", 0) / decided if decided else None,
            }
        )
    context = {
        "rows": rows,
        "may_change": request.user.has_perm("patrol.change_rule"),
        "report": "",
    }
    return render(request, "patrol/rules.html", context)


@console_view("patrol.view_rules")
def backtest_page(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("labelled")
    if request.method != "POST" or upload is None:
        messages.error(request, _("Choose a labelled JSON Lines file to backtest."))
        return redirect("console:patrol_rules")
    if upload.size and upload.size > MAX_UPLOAD:
        messages.error(
            request,
            _("The file is larger than 5 MB; backtest it with “frontstage patrol backtest”."),
        )
        return redirect("console:patrol_rules")
    pack, err = current_pack(), StringIO()
    examples = []
    for line in read_posts(BytesIO(upload.read()), images_from=Path("/nonexistent"), labelled=True):
        if line.post is None or line.label is None:
            err.write(f"line {line.number}: skipped: {line.problem}\n")
            continue
        examples.append(
            (line.post.id, line.label, evaluate_reporting(pack, line.post, line.number, err))
        )
    result = backtest(examples, pack.rules, count_shadow=bool(request.POST.get("with_shadow")))
    report = as_text(result, max_ids=10) + err.getvalue()
    return render(request, "patrol/backtest.html", {"report": report, "name": upload.name})


def _switch(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("patrol.change_rule"):
        raise PermissionDenied
    try:
        set_rule_mode(
            rule=request.POST.get("rule", ""),
            mode=request.POST.get("mode", ""),
            reason=request.POST.get("reason", ""),
            by=acting_staff(request),
        )
    except (PatrolError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The rule's mode was changed."))
    return redirect("console:patrol_rules")
