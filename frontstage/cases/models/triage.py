from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    ESCALATION = "escalation", _("Escalation to the national unit")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Referral(models.Model):
    """A case offered by one unit to another. The case moves only when the other unit accepts;
    a decline carries its reason back."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=16, choices=ReferralKind.choices)
    from_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="incoming_referrals"
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="one_pending_referral_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_unit}"


class AlertKind(models.TextChoices):
    THREAT_TO_LIFE = "threat_to_life", _("Threat to life or safety (DSA Art. 18)")


class Alert(models.Model):
    """An alert to the supervisors of a unit that stays up until one of them acknowledges it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="alerts")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    reason = models.TextField()
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case}"
