from django.urls import reverse

from frontstage.accounts.models import Role, RoleKind, Staff
from frontstage.audit.models import AuditEvent
from frontstage.test import Personas, make_staff

UNIT_FORM = {
    "slug": "guangzhou",
    "level": "local",
    "name_en": "Guangzhou Online Safety Office",
    "name_zh": "广州网络安全办公室",
    "region_codes": "cn-gd-gz",
    "channel_handle": "guangzhou",
    "channel_display_name": "Guangzhou Online Safety",
    "channel_about_en": "",
    "channel_about_zh": "",
}


class UnitAdminPages(Personas):
    def south_admin(self) -> Staff:
        return make_staff("sofia", RoleKind.UNIT_ADMIN, self.south)

    def test_it_shows_a_regional_admin_only_her_units(self) -> None:
        client = self.client_for(self.south_admin())
        page = client.get(reverse("admin:units_unit_changelist")).content.decode()
        self.assertIn("South Online Safety", page)
        self.assertIn("Shenzhen Online Safety", page)
        self.assertNotIn("East Online Safety", page)
        response = client.get(reverse("admin:units_unit_change", args=[self.east.pk]))
        self.assertNotEqual(response.status_code, 200)

    def test_it_adds_a_unit_through_the_audited_action(self) -> None:
        client = self.client_for(self.south_admin())
        form = {**UNIT_FORM, "parent": self.south.pk}
        response = client.post(reverse("admin:units_unit_add"), form)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        event = AuditEvent.objects.get(action="unit.created", payload__slug="guangzhou")
        self.assertEqual(event.actor_label, f"staff:{Staff.objects.get(username='sofia').pk}")
        self.assertEqual(event.payload["region_codes"], ["CN-GD-GZ"])

    def test_it_explains_a_bad_region_code_and_saves_nothing(self) -> None:
        client = self.client_for(self.unit_admin)
        form = {**UNIT_FORM, "parent": self.south.pk, "region_codes": "Guangzhou city"}
        response = client.post(reverse("admin:units_unit_add"), form)
        self.assertContains(response, "is not a region code")
        self.assertContains(response, 'value="Guangzhou Online Safety Office"')
        self.assertFalse(
            AuditEvent.objects.filter(action="unit.created", payload__slug="guangzhou").exists()
        )

    def test_it_refuses_a_parent_outside_the_admins_units(self) -> None:
        client = self.client_for(self.south_admin())
        form = {**UNIT_FORM, "parent": self.east.pk}
        response = client.post(reverse("admin:units_unit_add"), form)
        self.assertContains(response, "Select a valid choice")

    def test_it_never_offers_to_delete_a_unit(self) -> None:
        client = self.client_for(self.unit_admin)
        response = client.get(reverse("admin:units_unit_delete", args=[self.east.pk]))
        self.assertEqual(response.status_code, 403)


def role_rows(role: Role, *, delete: bool = False) -> dict[str, str]:
    """The admin's inline form fields for one existing role of a staff member."""
    rows = {
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "1",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-id": str(role.pk),
        "roles-0-staff": str(role.staff_id),
        "roles-0-unit": str(role.unit_id),
        "roles-0-kind": role.kind,
    }
    return {**rows, "roles-0-DELETE": "on"} if delete else rows


class StaffAdminPages(Personas):
    def test_it_creates_staff_and_grants_a_role_through_audited_actions(self) -> None:
        client = self.client_for(self.unit_admin)
        form = {
            "username": "newbie",
            "display_name": "New Analyst",
            "email": "newbie@unit.example",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "usable_password": "true",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-unit": str(self.east.pk),
            "roles-0-kind": RoleKind.ANALYST,
        }
        response = client.post(reverse("admin:accounts_staff_add"), form)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        newbie = Staff.objects.get(username="newbie")
        self.assertTrue(newbie.check_password("a long enough passphrase 42"))
        self.assertEqual(
            list(newbie.roles.values_list("kind", "unit__slug")), [("analyst", "east")]
        )
        actions = list(
            AuditEvent.objects.filter(actor=self.unit_admin).values_list("action", flat=True)
        )
        self.assertEqual(actions, ["staff.created", "role.granted"])

    def test_it_deactivates_staff_instead_of_deleting_them(self) -> None:
        client = self.client_for(self.unit_admin)
        url = reverse("admin:accounts_staff_change", args=[self.east_analyst.pk])
        role = Role.objects.get(staff=self.east_analyst)
        form = {"display_name": "Wang", "email": "", **role_rows(role)}
        response = client.post(url, form)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.east_analyst.refresh_from_db()
        self.assertFalse(self.east_analyst.is_active)
        event = AuditEvent.objects.get(action="staff.changed")
        self.assertEqual(event.payload["is_active"], {"from": True, "to": False})
        delete = client.get(reverse("admin:accounts_staff_delete", args=[self.east_analyst.pk]))
        self.assertEqual(delete.status_code, 403)
        self.assertEqual(
            self.client_for(self.east_analyst).get(reverse("console:cases")).status_code, 302
        )

    def test_it_revokes_a_role_with_an_audit_event(self) -> None:
        client = self.client_for(self.unit_admin)
        role = Role.objects.get(staff=self.east_analyst)
        url = reverse("admin:accounts_staff_change", args=[self.east_analyst.pk])
        form = {"display_name": "", "email": "", "is_active": "on", **role_rows(role, delete=True)}
        response = client.post(url, form)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertFalse(Role.objects.filter(pk=role.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="role.revoked", unit=self.east).exists())
