from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class FrontstageAdminSite(admin.AdminSite):
    """The admin is for unit admins: what each sees is narrowed to the units they administer."""

    site_header = "Frontstage admin"
    site_title = "Frontstage admin"
    index_title = "Units, staff and categories"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.has_perm("units.view_unit"))


class FrontstageAdminConfig(AdminConfig):
    default_site = "frontstage.admin_site.FrontstageAdminSite"
