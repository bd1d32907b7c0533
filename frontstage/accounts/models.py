from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Staff(AbstractUser):
    """A person who works in Frontstage. What they may do comes from their roles, each held
    at a unit and applying to that unit and every unit below it."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleKind(models.TextChoices):
    INTAKE_AGENT = "intake_agent", _("Intake agent")
    ANALYST = "analyst", _("Analyst")
    SUPERVISOR = "supervisor", _("Supervisor")
    PUBLISHER = "publisher", _("Publisher")
    AUDITOR = "auditor", _("Auditor")
    UNIT_ADMIN = "unit_admin", _("Unit admin")


class Role(models.Model):
    """`staff` holds role `kind` at `unit` and, through it, at every unit below."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(max_length=20, choices=RoleKind.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "unit", "kind"], name="one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.get_kind_display()} · {self.unit.slug}"
