from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed")
    PUSH = "push", _("HTTP push from a platform")


class PatrolSource(models.Model):
    """A stream the patrol reads on its own: a feed it polls (remembering ETag and
    Last-Modified) or a platform that pushes posts with its token. JSON Lines files and stdin
    need no row; they are named on the command line."""

    name = models.SlugField(unique=True)
    kind = models.CharField(max_length=8, choices=SourceKind.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="patrol_sources")
    url = models.URLField(blank=True)
    token_digest = models.CharField(max_length=64, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class PatrolHit(models.Model):
    """One rule matching one post, recorded once per post id and rule version whatever
    crashes or restarts. A live hit has its report; a shadow hit only counts."""

    source = models.CharField(max_length=100)
    post_id = models.CharField(max_length=200)
    rule = models.CharField(max_length=100, db_index=True)
    rule_version = models.PositiveIntegerField()
    category = models.CharField(max_length=40)
    score = models.FloatField()
    mode = models.CharField(max_length=8)
    evidence = models.JSONField(default=list)
    text = models.TextField(blank=True)
    urls = models.JSONField(default=list)
    author = models.CharField(max_length=200, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        "intake.Report", on_delete=models.PROTECT, null=True, blank=True, related_name="patrol_hits"
    )
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "post_id", "rule", "rule_version"],
                name="one_hit_per_rule_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}@{self.rule_version} on {self.source}:{self.post_id}"


class RuleSetting(models.Model):
    """A unit admin's choice of mode for a shipped rule, overriding its file."""

    rule = models.CharField(max_length=100, unique=True)
    mode = models.CharField(max_length=8)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.rule}: {self.mode}"


class UnitRuleFile(models.Model):
    """Rules a unit admin writes in the console, in the same YAML as the shipped files (keyword
    sets, patterns and rules). Each change raises `version`, which becomes the version of every
    rule in it, so hits of the new wording are recorded anew."""

    name = models.SlugField(unique=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="rule_files")
    content = models.TextField()
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
