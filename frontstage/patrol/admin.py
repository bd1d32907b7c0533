from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from frontstage.accounts.views import acting_staff
from frontstage.patrol.actions import PatrolError, check_rule_file, save_rule_file
from frontstage.patrol.engine import RulePackError
from frontstage.patrol.models import UnitRuleFile
from frontstage.units.admin_scope import UnitScopedAdmin

EXAMPLE = """keywords:
  fake_parcel_fee:
    languages: [zh, en]
    words: [包裹滞留, 补缴运费, parcel fee]
rules:
  - id: unit.fake-parcel-fee
    category: scam_fraud
    score: 0.8
    mode: shadow
    title: Fake parcel-fee messages
    when: {keywords: [fake_parcel_fee]}
"""


class RuleFileForm(forms.ModelForm):
    content = forms.CharField(
        label=gettext_lazy("Rules (YAML, as in the shipped files; versions are set for you)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "spellcheck": "false"}),
        initial=EXAMPLE,
    )

    class Meta:
        model = UnitRuleFile
        fields = ["name", "unit", "content", "active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            check_rule_file(
                name=data["name"], unit=data["unit"], content=data["content"],
                active=data.get("active", False),
            )  # fmt: skip
        except RulePackError as error:
            raise forms.ValidationError(list(error.problems)) from None
        except PatrolError as error:
            raise forms.ValidationError(str(error)) from None
        return data


@admin.register(UnitRuleFile)
class UnitRuleFileAdmin(UnitScopedAdmin):
    """Saving compiles the whole pack first: a file with any problem is refused with every
    problem named, and the running pack is never broken."""

    form = RuleFileForm
    list_display = ["name", "unit", "version", "active", "changed_at"]
    readonly_fields = ["version", "changed_at"]

    def save_model(self, request: HttpRequest, obj: UnitRuleFile, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = save_rule_file(
            name=data["name"], unit=data["unit"], content=data["content"],
            active=data.get("active", False), by=acting_staff(request),
        )  # fmt: skip
        obj.pk = saved.pk
