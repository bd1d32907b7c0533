"""What a transparency report shows: its figures in sections, with labels in the active
language, a description of the rows behind each figure, and charts. Shared by the HTML page,
the console and the PDF."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import TextChoices
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontstage.cases.models import (
    AppealStatus,
    CaseOutcome,
    CaseStatus,
    Category,
    OrderAction,
    OrderStatus,
    SanctionKind,
    SubjectKind,
)
from frontstage.intake.models import ReportSource
from frontstage.publish import charts
from frontstage.publish.models import PublicationKind, TransparencyReport
from frontstage.units.models import Unit

L = gettext_lazy

# (title, figures) in the order of the minimum figure set of transparency-figures.md.
SECTIONS: list[tuple[Promise, list[str]]] = [
    (
        L("Reports received"),
        ["reports_by_source", "reports_by_category", "authority_orders_received"],
    ),
    (
        L("Cases"),
        [
            "unique_subjects",
            "cases_opened",
            "cases_closed",
            "cases_merged",
            "cases_pending",
            "time_to_acknowledge",
            "time_to_act",
            "decisions_by_outcome",
        ],
    ),
    (L("Sanctions"), ["sanctions_by_kind", "sanctions_by_ground", "sanctions_by_category"]),
    (L("Automation"), ["automated_detection", "automated_decision"]),
    (
        L("Appeals and reinstatements"),
        [
            "appeals_filed",
            "appeals_decided",
            "appeals_decided_automation_flagged",
            "sanctions_lifted",
        ],
    ),
    (L("Orders to platforms"), ["orders_issued", "orders_answered", "order_compliance_time"]),
    (
        L("Referrals and publications"),
        ["referrals", "escalations", "referral_answers", "publications"],
    ),
    (L("Statements of reasons"), ["statements_of_reasons"]),
]

# What each figure counts: the query behind it, in words.
FIGURES: dict[str, tuple[Promise, Promise]] = {
    "reports_by_source": (
        L("Reports by source"),
        L("“Report added” case events, by the report's source."),
    ),
    "reports_by_category": (
        L("Reports by category"),
        L("“Report added” case events, by the case's category."),
    ),
    "authority_orders_received": (
        L("Authority orders received"),
        L("Reports from authorities, by category."),
    ),
    "unique_subjects": (
        L("Unique items reported"),
        L(
            "Distinct subjects of the cases opened, by kind (after merging duplicate "
            "reports). Not additive."
        ),
    ),
    "cases_opened": (L("Cases opened"), L("“Case opened” events, by category.")),
    "cases_closed": (
        L("Cases closed"),
        L("Cases moved to closed, by category; merged cases are left out."),
    ),
    "cases_merged": (L("Duplicate cases merged"), L("Cases closed by merging them into another.")),
    "cases_pending": (
        L("Cases pending at the end of the period"),
        L("Cases opened before the period's end and not closed then, by status."),
    ),
    "time_to_acknowledge": (
        L("Median time to acknowledge"),
        L("Hours from opening to the first assignment, triage or status change."),
    ),
    "time_to_act": (
        L("Median time to decide"),
        L("Hours from opening to the case's first decision."),
    ),
    "decisions_by_outcome": (
        L("Decisions by outcome"),
        L("“Decision recorded” events, by outcome."),
    ),
    "sanctions_by_kind": (
        L("Sanctions by type"),
        L("Sanctions that took effect (proposed in effect, or approved), by type."),
    ),
    "sanctions_by_ground": (
        L("Sanctions by legal ground"),
        L("Sanctions that took effect, by the statute of the decision."),
    ),
    "sanctions_by_category": (
        L("Sanctions by category"),
        L("Sanctions that took effect, by the case's category."),
    ),
    "automated_detection": (
        L("Detected by automation"),
        L("Sanctions that took effect, by whether the content was detected by the patrol."),
    ),
    "automated_decision": (
        L("Decided by automation"),
        L("Sanctions that took effect, by whether a person or a machine decided."),
    ),
    "appeals_filed": (
        L("Appeals filed"),
        L("“Appeal filed” events, by how the content was detected."),
    ),
    "appeals_decided": (L("Appeals decided"), L("“Appeal decided” events, by result.")),
    "appeals_decided_automation_flagged": (
        L("Appeals decided, content detected by automation"),
        L("Appeals decided about sanctions on content the patrol detected, by result."),
    ),
    "sanctions_lifted": (
        L("Sanctions lifted"),
        L("Sanctions lifted on appeal, and lifted without one (proactive reinstatement)."),
    ),
    "orders_issued": (
        L("Orders to platforms issued"),
        L("Orders to platforms, by the action ordered."),
    ),
    "orders_answered": (
        L("Orders answered"),
        L("Orders complied with, refused or expired in the period."),
    ),
    "order_compliance_time": (
        L("Median time to comply"),
        L("Hours from sending an order to the platform's compliance."),
    ),
    "referrals": (L("Referrals to other units"), L("Referrals offered, by the unit asked.")),
    "escalations": (L("Escalations to the national unit"), L("Escalations offered.")),
    "referral_answers": (
        L("Referrals answered"),
        L("Referrals and escalations answered, accepted or declined."),
    ),
    "publications": (
        L("Case reports and advisories published"),
        L("Posts published on the channel, by kind."),
    ),
    "statements_of_reasons": (
        L("Statements of reasons"),
        L(
            "Sanctions that need a statement (decisions), statements issued, and statements "
            "the DSA Transparency Database received."
        ),
    ),
}

CHARTED = ("reports_by_source", "reports_by_category", "sanctions_by_kind", "statements_of_reasons")

WORDS: dict[str, Promise] = {
    "uncategorised": L("Not categorised"),
    "unrecorded": L("Not recorded"),
    "automated": L("Automated"),
    "not_automated": L("Not automated"),
    "on_appeal": L("On appeal"),
    "proactive": L("Without an appeal"),
    "accepted": L("Accepted"),
    "declined": L("Declined"),
    "decisions": L("Decisions needing a statement"),
    "statements": L("Statements issued"),
    "delivered": L("Delivered to the DSA database"),
}

_CATEGORY_FIGURES = {
    "reports_by_category",
    "authority_orders_received",
    "cases_opened",
    "cases_closed",
    "cases_merged",
    "sanctions_by_category",
}
_ENUMS: dict[str, type[TextChoices]] = {
    "reports_by_source": ReportSource,
    "cases_pending": CaseStatus,
    "decisions_by_outcome": CaseOutcome,
    "sanctions_by_kind": SanctionKind,
    "appeals_decided": AppealStatus,
    "appeals_decided_automation_flagged": AppealStatus,
    "orders_issued": OrderAction,
    "orders_answered": OrderStatus,
    "publications": PublicationKind,
    "unique_subjects": SubjectKind,
}


def labeller() -> Callable[[str, str], str]:
    """A function (figure, breakdown key) → label in the active language."""
    categories = {c.code: c.name for c in Category.objects.all()}
    units = {u.slug: u.name for u in Unit.objects.all()}

    def label(figure: str, key: str) -> str:
        if key in WORDS:
            return str(WORDS[key])
        if figure in _CATEGORY_FIGURES:
            return categories.get(key, key)
        if figure in ("referrals", "escalations"):
            return units.get(key, key)
        enum = _ENUMS.get(figure)
        if enum is not None and key in enum.values:
            return str(enum(key).label)
        return key

    return label


def report_context(report: TransparencyReport, *, with_charts: bool = True) -> dict[str, Any]:
    """The report's sections for the templates; `rows_url` links each figure's rows CSV."""
    document: Mapping[str, Any] = report.figures
    label = labeller()
    sections = []
    for title, names in SECTIONS:
        items = []
        for name in names:
            figure = document["figures"][name]
            name_label, help_text = FIGURES[name]
            by = [(key, label(name, key), value) for key, value in figure.get("by", {}).items()]
            chart = ""
            if with_charts and name in CHARTED and figure["total"]:
                bars = [(text, value) for _key, text, value in by]
                chart = charts.bar_chart(str(name_label), bars, axis=_("Number"))
            items.append(
                {
                    "name": name,
                    "label": name_label,
                    "help": help_text,
                    "figure": figure,
                    "by": by,
                    "chart": chart,
                    "rows_url": reverse(
                        "transparency_rows", args=[report.unit.slug, report.period, name]
                    ),
                }
            )
        sections.append({"title": title, "figures": items})
    units = Unit.objects.filter(slug__in=document["units"]).order_by("slug")
    return {"report": report, "document": document, "sections": sections, "units": units}
