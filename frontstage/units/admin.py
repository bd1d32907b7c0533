from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from frontstage.accounts.views import acting_staff
from frontstage.units.actions import (
    UNIT_FIELDS,
    UnitError,
    check_place,
    clean_region_codes,
    create_unit,
    update_unit,
)
from frontstage.units.models import Unit
from frontstage.units.scope import ADMINISTRATION, unit_ids


class UnitForm(forms.ModelForm):
    region_codes = forms.CharField(
        required=False, help_text="Comma-separated region codes, e.g. CN-GD, CN-GX."
    )

    class Meta:
        model = Unit
        fields = list(UNIT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["region_codes"] = ", ".join(self.instance.region_codes)

    def clean_region_codes(self) -> list[str]:
        try:
            return clean_region_codes(self.cleaned_data["region_codes"].split(","))
        except UnitError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        probe = Unit(
            pk=self.instance.pk, level=cleaned.get("level") or "", parent=cleaned.get("parent")
        )
        try:
            check_place(probe)
        except UnitError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["slug", "name_en", "name_zh", "level", "parent", "channel_handle"]
    list_filter = ["level"]
    search_fields = ["slug", "name_en", "name_zh", "region_codes"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(pk__in=unit_ids(request.user, ADMINISTRATION))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids(request.user, ADMINISTRATION))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("units.add_unit")

    def has_change_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return request.user.has_perm("units.change_unit", obj)

    def has_view_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return request.user.has_perm("units.view_unit", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False  # units are referenced by cases and the audit log; they are never deleted

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        values = {field: form.cleaned_data[field] for field in UNIT_FIELDS}
        if change:
            saved = update_unit(unit=obj, by=acting_staff(request), **values)
        else:
            saved = create_unit(by=acting_staff(request), **values)
        obj.pk = saved.pk
