from django.db import models
from django.utils.translation import gettext_lazy as _

from frontstage.lib.i18n import localised


class UnitLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class Unit(models.Model):
    """A unit of the organisation, with the public channel it publishes on.

    Units form a tree (national → regional → local). `region_codes` are the codes of the
    territory the unit handles, e.g. ISO 3166-2 codes such as "CN-GD", or finer codes below
    them such as "CN-GD-SZ".
    """

    slug = models.SlugField(unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    region_codes = models.JSONField(_("region codes"), default=list, blank=True)
    channel_handle = models.SlugField(_("channel handle"), unique=True)
    channel_display_name = models.CharField(_("channel display name"), max_length=200)
    channel_about_en = models.TextField(_("about (English)"), blank=True)
    channel_about_zh = models.TextField(_("about (Chinese)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_zh)

    @property
    def channel_about(self) -> str:
        return localised(self.channel_about_en, self.channel_about_zh)
