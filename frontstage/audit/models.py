from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One link of the append-only, hash-chained audit log.

    The database refuses UPDATE and DELETE on this table (see the triggers in the migrations);
    `hash` covers every other field and the previous event's hash, so any edit made around the
    triggers breaks the chain at that event, which `frontstage audit verify` names.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"
