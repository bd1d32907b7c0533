from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frontstage.lib.i18n import localised


class PublicationKind(models.TextChoices):
    CASE_REPORT = "case_report", _("Case report")
    ADVISORY = "advisory", _("Advisory")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Publication(models.Model):
    """A case report or an advisory on a unit's channel. Nothing is public until a publisher
    approves it; a withdrawn one leaves its channel and feeds, and the withdrawal is recorded."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(max_length=16, choices=PublicationKind.choices)
    status = models.CharField(
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    # The case a case report tells of (closed, and in the unit's scope).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An advisory started from a campaign: {"cases": n, "reports": n, "since": ISO, "linked_by"}.
    campaign = models.JSONField(default=dict, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"))
    body_zh = models.TextField(_("text (Chinese, Markdown)"), blank=True)
    # What redaction removed when the draft was pre-filled: kinds and counts, never the values.
    redactions = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status", "-published_at"], name="channel_posts")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localised(self.title_en, self.title_zh)

    @property
    def body(self) -> str:
        return localised(self.body_en, self.body_zh)

    @property
    def reference(self) -> str:
        return f"P-{self.pk:06d}"
