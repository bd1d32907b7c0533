from django.urls import reverse

from frontstage.accounts.models import RoleKind
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions.grounds import LegalGroundError, save_legal_ground
from frontstage.cases.models import Category, LegalGround
from frontstage.test import Personas, make_staff

LIST = reverse("console:legal_grounds")
ADD = reverse("console:legal_ground_add")


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": "",
        "category": Category.objects.get(code="scam_fraud").pk,
        "jurisdiction": "CN-GD",
        "reference": "Guangdong Anti-Fraud Regulations, Art. 12",
        "title_en": "Recruiting money mules",
        "title_zh": "招募“跑分”人员",
        "elements_en": "1. The content recruits people to move money.\n2. For fraud.",
        "elements_zh": "",
        "url": "https://gd.example.gov.cn/regs/12",
        "active": "on",
    }
    data.update(changes)
    return data


class LegalGroundLibrary(Personas):
    def setUp(self) -> None:
        self.shipped = LegalGround.objects.filter(unit=None).order_by("pk")[0]
        self.south_ground = save_legal_ground(
            ground=None, by=self.unit_admin, **_values(form(unit=self.south))
        )

    def test_it_shows_every_casework_role_the_shipped_grounds_and_their_units_own(self) -> None:
        for person in (self.intake_agent, self.analyst, self.publisher, self.unit_admin):
            page = self.client_for(person).get(LIST)
            self.assertContains(page, self.shipped.reference)
            self.assertContains(page, "Guangdong Anti-Fraud Regulations, Art. 12")
            self.assertContains(page, "Shipped (read-only)")
        page = self.client_for(self.east_analyst).get(LIST)
        self.assertContains(page, self.shipped.reference)
        self.assertNotContains(page, "Guangdong Anti-Fraud Regulations")

    def test_it_finds_grounds_by_reference_title_and_category(self) -> None:
        client = self.client_for(self.analyst)
        found = client.get(LIST, {"q": "money mules"})
        self.assertContains(found, "1 legal ground")
        self.assertContains(client.get(LIST, {"q": "诈骗罪"}), "Art. 266")
        drugs = client.get(LIST, {"category": "illegal_drugs"}, headers={"HX-Request": "true"})
        self.assertNotContains(drugs, "<html")
        self.assertNotContains(drugs, "Art. 266")
        self.assertContains(client.get(LIST, {"q": "nothing like it"}), "No legal ground matches")

    def test_it_shows_the_nav_link_to_readers_and_admins_only(self) -> None:
        for person in (self.analyst, self.unit_admin):
            self.assertContains(self.client_for(person).get(LIST), 'href="/console/legal-grounds/"')
        self.assertNotContains(
            self.client_for(self.auditor).get(reverse("console:audit")), "Legal grounds</a>"
        )

    def test_it_refuses_the_library_to_people_without_a_casework_or_admin_role(self) -> None:
        self.assertEqual(self.client_for(self.outsider).get(LIST).status_code, 403)
        self.assertEqual(self.client_for(self.auditor).get(LIST).status_code, 403)
        self.assertEqual(self.reporter().get(LIST).status_code, 302)

    def test_it_lets_a_unit_admin_add_a_ground_and_audits_its_fields(self) -> None:
        data = form(unit=self.national.pk, reference="National Rule 7", jurisdiction="CN")
        response = self.client_for(self.unit_admin).post(ADD, data, follow=True)
        self.assertContains(response, "Legal ground “National Rule 7")
        ground = LegalGround.objects.get(reference="National Rule 7")
        self.assertEqual((ground.unit, ground.title_zh), (self.national, "招募“跑分”人员"))
        audit = AuditEvent.objects.get(action="legal_ground.created", object_id=str(ground.pk))
        self.assertEqual(audit.actor, self.unit_admin)
        self.assertEqual(audit.payload["reference"], "National Rule 7")
        self.assertEqual(audit.payload["unit"], "national")

    def test_it_lets_a_unit_admin_edit_their_units_ground_and_audits_the_change(self) -> None:
        url = reverse("console:legal_ground_edit", args=[self.south_ground.pk])
        page = self.client_for(self.unit_admin).get(url)
        self.assertContains(page, "Recruiting money mules")
        data = form(unit=self.south.pk, title_en="Recruiting money mules online", active="")
        self.client_for(self.unit_admin).post(url, data)
        self.south_ground.refresh_from_db()
        self.assertEqual(self.south_ground.title_en, "Recruiting money mules online")
        self.assertFalse(self.south_ground.active)
        audit = AuditEvent.objects.get(action="legal_ground.changed")
        self.assertEqual(
            audit.payload, {"title_en": "Recruiting money mules online", "active": False}
        )

    def test_it_keeps_shipped_grounds_read_only(self) -> None:
        url = reverse("console:legal_ground_edit", args=[self.shipped.pk])
        self.assertEqual(self.client_for(self.unit_admin).get(url).status_code, 403)
        with self.assertRaisesMessage(LegalGroundError, "Shipped legal grounds cannot be changed"):
            save_legal_ground(ground=self.shipped, by=self.unit_admin, title_en="Changed")

    def test_it_refuses_editing_to_an_analyst_and_to_another_units_admin(self) -> None:
        url = reverse("console:legal_ground_edit", args=[self.south_ground.pk])
        self.assertEqual(self.client_for(self.analyst).get(url).status_code, 403)
        self.assertEqual(
            self.client_for(self.analyst).post(ADD, form(unit=self.south.pk)).status_code, 403
        )
        east_admin = make_staff("eve", RoleKind.UNIT_ADMIN, self.east)
        self.assertEqual(self.client_for(east_admin).get(url).status_code, 404)
        self.assertEqual(
            self.client_for(east_admin).post(url, form(unit=self.east.pk)).status_code, 404
        )
        refused = self.client_for(east_admin).post(ADD, form(unit=self.south.pk))
        self.assertContains(refused, "Select a valid choice")
        self.assertFalse(LegalGround.objects.filter(unit=self.east).exists())

    def test_it_refuses_a_reference_url_that_is_not_http_with_a_message_and_keeps_the_input(
        self,
    ) -> None:
        data = form(unit=self.south.pk, url="javascript:alert(1)", reference="Kept Ref 9")
        response = self.client_for(self.unit_admin).post(ADD, data)
        self.assertContains(response, "must start with http:// or https://")
        self.assertContains(response, 'value="Kept Ref 9"')
        self.assertFalse(LegalGround.objects.filter(reference="Kept Ref 9").exists())

    def test_it_refuses_a_ground_without_reference_or_elements(self) -> None:
        response = self.client_for(self.unit_admin).post(
            ADD, form(unit=self.south.pk, elements_en="")
        )
        self.assertContains(response, "This field is required", status_code=200)
        with self.assertRaisesMessage(LegalGroundError, "statute reference"):
            save_legal_ground(
                ground=None, by=self.unit_admin, **_values(form(unit=self.south, reference=" "))
            )
        with self.assertRaisesMessage(LegalGroundError, "List the elements"):
            save_legal_ground(
                ground=None, by=self.unit_admin, **_values(form(unit=self.south, elements_en=""))
            )


def _values(data: dict[str, object]) -> dict[str, object]:
    values = dict(data)
    values["category"] = Category.objects.get(code="scam_fraud")
    values["active"] = bool(values["active"])
    return values
