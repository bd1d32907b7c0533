from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frontstage.lib.i18n import localised


class LegalGround(models.Model):
    """A statute a unit relies on to act against content of a category in a jurisdiction, with
    the elements a decision must establish. Shipped grounds have no unit; unit admins add their
    own."""

    category = models.ForeignKey(
        "cases.Category", on_delete=models.PROTECT, related_name="legal_grounds"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=40)
    reference = models.CharField(_("statute reference"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    elements_en = models.TextField(_("elements to establish (English)"))
    elements_zh = models.TextField(_("elements to establish (Chinese)"), blank=True)
    url = models.URLField(_("reference URL"), max_length=500, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category__code", "jurisdiction", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def title(self) -> str:
        return localised(self.title_en, self.title_zh)

    @property
    def elements(self) -> str:
        return localised(self.elements_en, self.elements_zh)


class DecisionOutcome(models.TextChoices):
    NO_VIOLATION = "no_violation", _("No violation")
    ACTION = "action", _("Action")


class Decision(models.Model):
    """What a person decided about a case, on which legal ground and facts. A case decided again
    (reopened, or an appeal) gets a new decision; the newest one holds."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    legal_ground = models.ForeignKey(
        LegalGround, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    facts = models.TextField()
    explanation = models.TextField(blank=True)
    automated_detection = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.outcome}"


class SanctionKind(models.TextChoices):
    REMOVE = "remove", _("Remove content")
    DISABLE = "disable", _("Disable access to content")
    RESTRICT = "restrict", _("Restrict visibility")
    LABEL = "label", _("Label content")
    WARN = "warn", _("Warn the account")
    SUSPEND = "suspend", _("Suspend the account for a period")
    SUSPEND_PERMANENTLY = "suspend_permanently", _("Suspend the account permanently")
    PROSECUTE = "prosecute", _("Refer for prosecution")


class SanctionStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    IN_EFFECT = "in_effect", _("In effect")
    REJECTED = "rejected", _("Rejected by the approver")
    LIFTED = "lifted", _("Lifted")
    EXPIRED = "expired", _("Expired")


class Sanction(models.Model):
    """One measure a decision takes against one subject (content or account)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sanctions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sanctions")
    subject = models.ForeignKey("cases.Subject", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=SanctionKind.choices)
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the ladder proposed; when the analyst chose otherwise, `deviation_reason` says why.
    proposed_kind = models.CharField(max_length=24, choices=SanctionKind.choices)
    proposed_days = models.PositiveSmallIntegerField(null=True, blank=True)
    deviation_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=SanctionStatus.choices, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.TextField(blank=True)
    # How to reach the person affected, if known; never shown to reporters.
    affected_email = models.EmailField(blank=True)
    affected_language = models.CharField(max_length=10, default="en")

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"


class ApprovalRequirement(models.Model):
    """A unit's own rule that sanctions of `kind` need a second supervisor's approval, on top of
    permanent suspensions and prosecution referrals, which always do. Applies below the unit."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=SanctionKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="one_requirement_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_kind_display()}"


class Strike(models.Model):
    """A mark against an account for a sanction in effect; active until it expires or the
    sanction is reversed. The ladder counts active strikes."""

    subject = models.ForeignKey("cases.Subject", on_delete=models.PROTECT, related_name="strikes")
    sanction = models.OneToOneField(Sanction, on_delete=models.PROTECT, related_name="strike")
    category = models.ForeignKey("cases.Category", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.subject} until {self.expires_at:%Y-%m-%d}"


class OrderAction(models.TextChoices):
    REMOVE = "remove", _("Remove content")
    DISABLE = "disable", _("Disable access to content")
    RESTRICT = "restrict", _("Restrict visibility")
    LABEL = "label", _("Label content")
    SUSPEND = "suspend", _("Suspend the account")
    RESTORE = "restore", _("Restore (a sanction was reversed)")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Not yet delivered")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    COMPLIED = "complied", _("Complied")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Expired")


class PlatformOrder(models.Model):
    """An order to the platform hosting a subject to carry out a sanction (or to undo one),
    delivered by signed webhook to the platform's API client, or by e-mail."""

    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="orders")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="orders")
    platform = models.CharField(max_length=200)
    client = models.ForeignKey(
        "intake.ApiClient", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    email = models.EmailField(blank=True)
    item = models.CharField(max_length=2000)
    action = models.CharField(max_length=16, choices=OrderAction.choices)
    legal_basis = models.TextField()
    deadline = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.platform} · {self.item}"

    @property
    def reference(self) -> str:
        return f"O-{self.pk:06d}"
