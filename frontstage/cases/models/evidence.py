from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    REPORT_TEXT = "report_text", _("Report text")
    PATROL_SNAPSHOT = "patrol_snapshot", _("Patrol snapshot")
    ATTACHMENT = "attachment", _("Attachment")


class EvidenceItem(models.Model):
    """One piece of evidence as it was captured: its bytes (text as UTF-8, or the attachment's
    stored image), their SHA-256 and the capture time. Never changed once written."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    # Where it came from, e.g. "report:12", "hit:40", "attachment:7"; one item per origin.
    origin = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    content = models.BinaryField()
    content_type = models.CharField(max_length=60)
    sha256 = models.CharField(max_length=64)
    captured_at = models.DateTimeField()

    class Meta:
        ordering = ["captured_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "origin"], name="one_item_per_origin")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.origin}"


class CustodyAction(models.TextChoices):
    CAPTURED = "captured", _("Captured")
    VIEWED = "viewed", _("Viewed")
    EXPORTED = "exported", _("Exported")
    VERIFIED = "verified", _("Hash verified")


class CustodyEntry(models.Model):
    """The chain of custody of an evidence item. Append-only: the database refuses UPDATE and
    DELETE."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=CustodyAction.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = _("custody entries")

    def __str__(self) -> str:
        return f"{self.item} {self.action}"
