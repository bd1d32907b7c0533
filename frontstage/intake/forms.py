from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from frontstage.cases.models import Category
from frontstage.intake.actions import NOWHERE
from frontstage.intake.attachments import MAX_FILES
from frontstage.intake.locate import LocationError, canonical_key
from frontstage.units.models import Unit

NOT_SURE = ""
CHILD_ABUSE = "child_sexual_abuse"
PLATFORMS = [
    ("weibo", "Weibo 微博"), ("wechat", "WeChat 微信"), ("douyin", "Douyin 抖音"),
    ("xiaohongshu", "Xiaohongshu 小红书"), ("qq", "QQ"), ("telegram", "Telegram"), ("x", "X"),
    ("facebook", "Facebook"), ("instagram", "Instagram"), ("tiktok", "TikTok"),
    ("youtube", "YouTube"), ("other", _("Other")),
]  # fmt: skip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)d screenshots.") % {"count": MAX_FILES}
            )
        return [super(ScreenshotsField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """The public report form (DSA Art. 16 notice): where, what, why, and a good-faith
    statement; name and e-mail optional, and not asked for child sexual abuse material."""

    urls = forms.CharField(
        label=_("Links (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    account_platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", "—"), *PLATFORMS], required=False
    )
    account_handle = forms.CharField(label=_("Account or handle"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    domain = forms.CharField(label=_("Website domain"), required=False, max_length=300)
    wallet = forms.CharField(
        label=_("Payment account or crypto wallet"), required=False, max_length=200
    )
    category = forms.ChoiceField(label=_("What kind of illegal content is it?"))
    explanation = forms.CharField(
        label=_("Why do you think it is illegal?"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    seen_on = forms.DateField(
        label=_("When did you see it?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    region = forms.ChoiceField(label=_("Where are you?"), required=False)
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail (optional, to receive your receipt and the outcome)"), required=False
    )
    good_faith = forms.BooleanField(
        label=_(
            "I believe in good faith that the information in this report is accurate and complete."
        )
    )
    screenshots = ScreenshotsField(label=_("Screenshots (optional, up to 5)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(active=True, unit=None).order_by("code")
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            (NOT_SURE, _("Not sure")),
            *[(c.code, c.name) for c in categories],
        ]
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", _("Other or don't know")),
            *region_choices(),
        ]

    def clean_seen_on(self) -> date | None:
        seen: date | None = self.cleaned_data.get("seen_on")
        if seen and seen > date.today():  # noqa: DTZ011 - a calendar date as the reporter typed it
            raise forms.ValidationError(_("This date is in the future."))
        return seen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region = data.get("region", "")
        located = []
        for field, kind, raws in self._typed_locations(data):
            for raw in raws:
                try:
                    canonical_key(kind, raw, region=region)
                except LocationError as error:
                    self.add_error(field, str(error))
                else:
                    located.append((kind, raw))
        if not located and not self.errors:
            raise forms.ValidationError(NOWHERE)
        if data.get("category") == CHILD_ABUSE:
            data["name"], data["email"] = (
                "",
                "",
            )  # never collected for this category (DSA Art. 16(2)(c))
        data["locations"] = located
        return data

    def _typed_locations(self, data: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
        urls = [line.strip() for line in data.get("urls", "").splitlines() if line.strip()]
        found = [("urls", "url", urls)]
        handle = data.get("account_handle", "").strip()
        if handle:
            platform = data.get("account_platform") or "other"
            found.append(("account_handle", "account", [f"{platform}:{handle}"]))
        for field in ("phone", "domain", "wallet"):
            value = data.get(field, "").strip()
            if value:
                found.append((field, field, [value]))
        return found


def region_choices() -> list[tuple[str, str]]:
    choices = []
    for unit in Unit.objects.order_by("slug"):
        for code in unit.region_codes:
            choices.append((code, f"{unit.name} ({code})"))
    return sorted(choices, key=lambda choice: choice[0])


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=40)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Add information or reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
