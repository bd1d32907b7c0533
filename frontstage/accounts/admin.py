from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.http import HttpRequest

from frontstage.accounts.actions import (
    STAFF_FIELDS,
    create_staff,
    grant_role,
    revoke_role,
    update_staff,
)
from frontstage.accounts.models import Role, Staff
from frontstage.accounts.views import acting_staff
from frontstage.units.models import Unit
from frontstage.units.scope import ADMINISTRATION, unit_ids


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    fields = ["unit", "kind"]

    def get_queryset(self, request: HttpRequest) -> Any:
        scope = unit_ids(request.user, ADMINISTRATION)
        return super().get_queryset(request).filter(unit_id__in=scope)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids(request.user, ADMINISTRATION))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a role is granted or revoked, never edited in place


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "roles__kind"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [(None, {"fields": ["username", "display_name", "email", "is_active"]})]
    add_fieldsets = [
        (None, {"fields": ["username", "display_name", "email", "password1", "password2"]})
    ]
    readonly_fields = ["username"]

    def get_readonly_fields(self, request: HttpRequest, obj: Staff | None = None) -> Any:
        return ["username"] if obj else []

    def get_queryset(self, request: HttpRequest) -> Any:
        """Staff holding a role in the admin's units, and accounts that hold no role yet."""
        scope = unit_ids(request.user, ADMINISTRATION)
        queryset = super().get_queryset(request)
        return queryset.filter(Q(roles__unit_id__in=scope) | Q(roles=None)).distinct()

    def has_delete_permission(self, request: HttpRequest, obj: Staff | None = None) -> bool:
        return False  # deactivate instead: the audit log names staff

    def save_model(self, request: HttpRequest, obj: Staff, form: Any, change: bool) -> None:
        if change:
            values = {f: form.cleaned_data[f] for f in STAFF_FIELDS if f in form.cleaned_data}
            update_staff(staff=obj, by=acting_staff(request), **values)
        else:
            saved = create_staff(
                username=form.cleaned_data["username"],
                password=form.cleaned_data.get("password1"),
                display_name=form.cleaned_data.get("display_name", ""),
                email=form.cleaned_data.get("email", ""),
                by=acting_staff(request),
            )
            obj.pk = saved.pk

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        staff, by = form.instance, acting_staff(request)
        # The admin's change message reads these lists, which formset.save() would have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if not data:
                continue
            if data.get("DELETE") and inline_form.instance.pk:
                revoke_role(role=inline_form.instance, by=by)
                formset.deleted_objects.append(inline_form.instance)
            elif not inline_form.instance.pk and data.get("unit") and data.get("kind"):
                role = grant_role(staff=staff, unit=data["unit"], kind=data["kind"], by=by)
                formset.new_objects.append(role)
