from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKey(models.Model):
    """The RSA key pair a unit's ActivityPub actor signs with; made on first use."""

    unit = models.OneToOneField("units.Unit", on_delete=models.PROTECT, related_name="channel_key")
    private_key_pem = models.TextField()
    public_key_pem = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"key of {self.unit}"


class RemoteActor(models.Model):
    """An actor on another server, as last fetched: where to deliver and its public key."""

    uri = models.URLField(max_length=500, unique=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    key_id = models.CharField(max_length=500, db_index=True)
    public_key_pem = models.TextField()
    preferred_username = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.uri


class FollowState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    ENDED = "ended", _("Ended")


class Follower(models.Model):
    """A remote actor following a unit's channel (they sent Follow; we answered Accept)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="followers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.PROTECT, related_name="following")
    follow_id = models.URLField(max_length=500)
    state = models.CharField(max_length=12, choices=FollowState.choices)
    since = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "actor"], name="one_follow_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.actor} → {self.unit}"


class Following(models.Model):
    """A unit's channel following a remote actor (we sent Follow), to receive its posts."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="follows")
    actor = models.ForeignKey(RemoteActor, on_delete=models.PROTECT, related_name="followed_by")
    follow_id = models.URLField(max_length=500, unique=True)
    state = models.CharField(max_length=12, choices=FollowState.choices)
    since = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "actor"], name="one_following_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.actor}"


class ReceivedPost(models.Model):
    """A post delivered to a unit's inbox by an actor the unit follows."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="received")
    actor = models.ForeignKey(RemoteActor, on_delete=models.PROTECT, related_name="+")
    object_id = models.URLField(max_length=500)
    activity = models.JSONField()
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "object_id"], name="one_received_per_object")
        ]

    def __str__(self) -> str:
        return self.object_id


class Delivery(models.Model):
    """One signed POST of an activity to a remote inbox, retried with backoff until it is
    delivered or given up."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    inbox = models.URLField(max_length=500)
    activity = models.JSONField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.activity.get('type')} → {self.inbox}"
