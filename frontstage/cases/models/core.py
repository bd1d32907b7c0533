from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, Transition, get_available_FIELD_transitions, transition

from frontstage.lib.i18n import localised


class Category(models.Model):
    """A kind of illegal content, with the legal basis that makes it illegal.

    The shipped categories have no unit; a unit admin adds the unit's own."""

    code = models.SlugField(unique=True)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="categories"
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    legal_basis_en = models.TextField(_("legal basis (English)"))
    legal_basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    dsa_category = models.CharField(_("DSA statement category"), max_length=80)
    dsa_keywords = models.JSONField(_("DSA keywords"), default=list, blank=True)
    patrol_may_flag = models.BooleanField(_("patrol may flag"), default=True)
    patrol_hash_only = models.BooleanField(_("patrol by hash match only"), default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_zh)

    @property
    def legal_basis(self) -> str:
        return localised(self.legal_basis_en, self.legal_basis_zh)


class SubjectKind(models.TextChoices):
    URL = "url", _("URL")
    ACCOUNT = "account", _("Account")
    PHONE = "phone", _("Phone number")
    DOMAIN = "domain", _("Domain")
    WALLET = "wallet", _("Wallet")
    OTHER = "other", _("Other")


class Subject(models.Model):
    """What reports are about, under one canonical key per kind, so that every report about
    the same thing finds the same subject."""

    kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    key = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_subject_per_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CaseOutcome(models.TextChoices):
    """What a decided case came to, as the reporters are told."""

    ACTION_TAKEN = "action_taken", _("Action taken")
    NO_VIOLATION = "no_violation", _("No violation found")
    REFERRED = "referred", _("Referred to another authority")
    REVERSED = "reversed", _("Action reversed on appeal")


S = CaseStatus


class Case(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="cases")
    # Empty until triage when the reporter was not sure which category applies.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    status = FSMField(default=S.NEW, choices=S.choices, db_index=True)
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.MEDIUM)
    priority = models.PositiveSmallIntegerField(default=50)
    summary = models.CharField(max_length=300, blank=True)
    subjects = models.ManyToManyField(Subject, related_name="cases", blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    opened_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why the case has its severity and priority: [{"factor", "points", "detail"}], newest score.
    priority_factors = models.JSONField(default=list, blank=True)
    # The sources of its reports, as ",patrol,public," (kept by rescore_case), so the queue's
    # source filter reads the case row instead of searching every report.
    sources = models.CharField(max_length=80, blank=True, default="")
    # The clocks: set when the case opens (or its category changes), met when acknowledged /
    # decided. Authority orders bring their own decide-by deadline.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateTimeField(null=True, blank=True, db_index=True)
    decide_by = models.DateTimeField(null=True, blank=True, db_index=True)
    # A case merged into another stays as a closed shell that points at the one that goes on.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )

    class Meta:
        ordering = ["-priority", "opened_at"]
        indexes = [
            models.Index(fields=["unit", "status", "-priority"]),
            models.Index(fields=["status", "-priority", "opened_at"], name="queue_order"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.pk:06d}"

    # The transition table. `move_case` finds the transition that reaches the wanted status;
    # anything not listed here is refused.
    #                                          from                     to
    @transition(field=status, source=S.NEW, target=S.TRIAGED)
    def triage(self) -> None: ...

    @transition(field=status, source=S.TRIAGED, target=S.IN_REVIEW)
    def start_review(self) -> None: ...

    @transition(field=status, source=S.IN_REVIEW, target=S.TRIAGED)
    def send_back(self) -> None: ...

    @transition(field=status, source=S.IN_REVIEW, target=S.DECIDED)
    def decide(self) -> None: ...

    @transition(field=status, source=S.DECIDED, target=S.CLOSED)
    def close(self) -> None: ...

    @transition(field=status, source=[S.DECIDED, S.CLOSED], target=S.IN_REVIEW)
    def reopen(self) -> None: ...


def available_transitions(case: Case) -> list[Transition]:
    """The transitions the table allows from the case's current status."""
    return list(get_available_FIELD_transitions(case, Case._meta.get_field("status")))


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    ASSIGNED = "assigned", _("Assigned")
    UNASSIGNED = "unassigned", _("Unassigned")
    MOVED = "moved", _("Status changed")
    DECIDED = "decided", _("Decision recorded")
    REPORT_ADDED = "report_added", _("Report added")
    NOTE = "note", _("Internal note")
    TRIAGED = "triaged", _("Category and severity set")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Report split out")
    REFERRED = "referred", _("Referred")
    REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
    ESCALATED = "escalated", _("Escalated")
    ALERT = "alert", _("Alert raised")
    ALERT_ACKNOWLEDGED = "alert_acknowledged", _("Alert acknowledged")
    EVIDENCE = "evidence", _("Evidence captured")
    SANCTION_PROPOSED = "sanction_proposed", _("Sanction proposed")
    SANCTION_APPROVED = "sanction_approved", _("Sanction approved")
    SANCTION_REJECTED = "sanction_rejected", _("Sanction rejected")
    SANCTION_LIFTED = "sanction_lifted", _("Sanction lifted")
    ORDER = "order", _("Order to a platform")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")


class CaseEvent(models.Model):
    """One entry of a case's history. Append-only: the database refuses UPDATE and DELETE."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=24, choices=CaseEventKind.choices)
    from_status = models.CharField(max_length=16, choices=S.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=S.choices, blank=True)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"
