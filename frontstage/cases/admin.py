from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from frontstage.accounts.views import acting_staff
from frontstage.cases.actions import CATEGORY_FIELDS, save_category
from frontstage.cases.models import Category
from frontstage.units.models import Unit
from frontstage.units.scope import ADMINISTRATION, unit_ids


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = list(CATEGORY_FIELDS)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Shipped categories (no unit) are shown to every unit admin and changed only by
    superusers; a unit admin adds and edits the categories of the units they administer."""

    form = CategoryForm
    list_display = ["code", "name_en", "name_zh", "unit", "dsa_category", "active"]
    list_filter = ["active", "unit"]
    search_fields = ["code", "name_en", "name_zh"]

    def get_queryset(self, request: HttpRequest) -> Any:
        scope = unit_ids(request.user, ADMINISTRATION)
        return super().get_queryset(request).filter(Q(unit=None) | Q(unit_id__in=scope))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids(request.user, ADMINISTRATION))
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return request.user.has_perm("cases.view_category")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("cases.add_category")

    def has_change_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return request.user.has_perm("cases.change_category", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return False  # cases refer to their category; retire one by making it inactive

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        values = {field: form.cleaned_data[field] for field in CATEGORY_FIELDS}
        saved = save_category(category=obj if change else None, by=acting_staff(request), **values)
        obj.pk = saved.pk
