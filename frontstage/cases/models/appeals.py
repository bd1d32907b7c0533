from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementOfReasons(models.Model):
    """What the affected user is told about a sanction (DSA Art. 17), frozen when the sanction
    takes effect, at a link only they are given. `content` holds the statement's fields in
    English and Chinese; `puid` is the stable identifier for the DSA Transparency Database."""

    sanction = models.OneToOneField(
        "cases.Sanction", on_delete=models.PROTECT, related_name="statement"
    )
    puid = models.CharField(max_length=100, unique=True)
    token = models.CharField(max_length=64, unique=True)
    content = models.JSONField()
    language = models.CharField(max_length=10, default="en")
    issued_at = models.DateTimeField()
    appeal_until = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name_plural = _("statements of reasons")

    def __str__(self) -> str:
        return self.puid


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")


class Appeal(models.Model):
    """The affected user's complaint against a sanction, decided by a reviewer who neither
    decided nor approved it."""

    statement = models.ForeignKey(
        StatementOfReasons, on_delete=models.PROTECT, related_name="appeals"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="appeals")
    text = models.TextField()
    email = models.EmailField(blank=True)
    filed_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement"],
                condition=models.Q(status="open"),
                name="one_open_appeal_per_statement",
            )
        ]

    def __str__(self) -> str:
        return f"A-{self.pk:06d}"
