from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSource(models.TextChoices):
    PUBLIC = "public", _("Public")
    TRUSTED_FLAGGER = "trusted_flagger", _("Trusted flagger")
    AUTHORITY_ORDER = "authority_order", _("Authority order")
    PATROL = "patrol", _("Patrol")


class ClientKind(models.TextChoices):
    TRUSTED_FLAGGER = "trusted_flagger", _("Trusted flagger")
    AUTHORITY = "authority", _("Authority")
    PLATFORM = "platform", _("Platform (receives orders)")


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WARNED = "warned", _("Warned")
    SUSPENDED = "suspended", _("Suspended")


class ApiClient(models.Model):
    """A trusted flagger or an authority that sends notices or orders through the API, or a
    platform that receives our orders, with a bearer token. Only a digest of the token is kept;
    the token is shown once when issued."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ClientKind.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="api_clients")
    token_digest = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(max_length=12)
    webhook_url = models.URLField(blank=True)
    webhook_secret = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=12, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # For platforms: the platform code account subjects name (`weibo` in `weibo:handle`) and
    # the hosts whose URLs it serves, so an order about a subject finds its platform.
    platform = models.SlugField(max_length=40, blank=True, db_index=True)
    domains = models.JSONField(default=list, blank=True)
    # For platforms without a webhook: the address our orders are e-mailed to.
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Report(models.Model):
    """One report, notice, order or patrol hit about one or more subjects, in one case.

    Public reporters are identified only by their receipt code, of which a keyed digest is
    kept; name and e-mail are stored only when the reporter typed them."""

    source = models.CharField(max_length=20, choices=ReportSource.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="reports")
    category = models.ForeignKey(
        "cases.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subjects = models.ManyToManyField("cases.Subject", related_name="reports")
    locations = models.JSONField(default=list)
    explanation = models.TextField()
    seen_on = models.DateField(null=True, blank=True)
    region_code = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, default="en")
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    good_faith = models.BooleanField(default=False)
    receipt_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    external_ref = models.CharField(max_length=200, blank=True)
    legal_basis = models.TextField(blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    idempotency_scope = models.CharField(max_length=80, blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)
    unfounded_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="one_report_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} report #{self.pk}"


class Direction(models.TextChoices):
    TO_REPORTER = "to_reporter", _("To the reporter")
    FROM_REPORTER = "from_reporter", _("From the reporter")


class ReportMessage(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} on {self.report}"


class Attachment(models.Model):
    """A screenshot, re-encoded without metadata. Shown only to staff of the case's unit,
    and every view is an audit event."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    content = models.BinaryField()
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    original_sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"attachment {self.sha256[:12]}"


class RateBucket(models.Model):
    """Requests counted per keyed hash of a client address and time window; rows older than
    a day are deleted, and the hash key changes daily, so no address can be recovered."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_bucket")]

    def __str__(self) -> str:
        return f"{self.key[:8]}@{self.window_start:%H:%M}"


class SpentChallenge(models.Model):
    """Proof-of-work solutions already used, so that one solution buys one submission."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest[:12]


class WebhookDelivery(models.Model):
    """An outcome to tell a flagger or authority at its webhook: written in the transaction
    of the decision, delivered after by `frontstage intake deliver` with retries."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="deliveries")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="deliveries")
    payload = models.JSONField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"webhook for {self.report} to {self.client}"
