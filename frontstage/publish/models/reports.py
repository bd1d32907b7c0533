from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TransparencyReport(models.Model):
    """The figures of a unit for a period, computed from the event log. Building again
    replaces a draft; a published one is frozen (its `digest` names its figures)."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="transparency_reports"
    )
    period = models.CharField(max_length=10)  # 2026-Q3, 2026-H1, 2026
    figures = models.JSONField()
    digest = models.CharField(max_length=64)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["unit", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class StatementDelivery(models.Model):
    """A statement of reasons sent to the DSA Transparency Database (or found there already:
    a duplicate PUID counts as delivered)."""

    statement = models.OneToOneField(
        "cases.StatementOfReasons", on_delete=models.PROTECT, related_name="delivery"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    duplicate = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    remote_uuid = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = _("statement deliveries")

    def __str__(self) -> str:
        return f"{self.statement} delivered {self.delivered_at}"
