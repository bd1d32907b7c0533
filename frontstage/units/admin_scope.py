from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frontstage.units.models import Unit
from frontstage.units.scope import ADMINISTRATION, unit_ids


class UnitScopedAdmin(admin.ModelAdmin):
    """Admin pages for things that belong to a unit (a `unit` field): a unit admin sees, adds
    and changes only those of the units they administer, and nothing is ever deleted (other
    records and the audit log refer to it; retire it instead)."""

    def get_queryset(self, request: HttpRequest) -> Any:
        scope = unit_ids(request.user, ADMINISTRATION)
        return super().get_queryset(request).filter(unit_id__in=scope)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids(request.user, ADMINISTRATION))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("units.change_unit")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("units.change_unit", obj.unit if obj else None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("units.change_unit")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("units.change_unit", obj.unit if obj else None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
