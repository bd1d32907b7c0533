from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from frontstage.accounts.views import acting_staff
from frontstage.patrol.actions import PatrolError, check_rule_file, save_rule_file
from frontstage.patrol.engine import RulePackError
from frontstage.patrol.models import UnitRuleFile
from frontstage.units.models import Unit
from frontstage.units.scope import ADMINISTRATION, unit_ids

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
class UnitRuleFileAdmin(admin.ModelAdmin):
    """Saving compiles the whole pack first: a file with any problem is refused with every
    problem named, and the running pack is never broken."""

    form = RuleFileForm
    list_display = ["name", "unit", "version", "active", "changed_at"]
    readonly_fields = ["version", "changed_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super().get_queryset(request).filter(unit_id__in=unit_ids(request.user, ADMINISTRATION))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids(request.user, ADMINISTRATION))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("units.change_unit")

    def has_view_permission(self, request: HttpRequest, obj: UnitRuleFile | None = None) -> bool:
        return request.user.has_perm("units.change_unit", obj.unit if obj else None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("units.change_unit")

    def has_change_permission(self, request: HttpRequest, obj: UnitRuleFile | None = None) -> bool:
        return request.user.has_perm("units.change_unit", obj.unit if obj else None)

    def has_delete_permission(self, request: HttpRequest, obj: UnitRuleFile | None = None) -> bool:
        return False  # hits refer to its rules; make it inactive instead

    def save_model(self, request: HttpRequest, obj: UnitRuleFile, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = save_rule_file(
            name=data["name"], unit=data["unit"], content=data["content"],
            active=data.get("active", False), by=acting_staff(request),
        )  # fmt: skip
        obj.pk = saved.pk
