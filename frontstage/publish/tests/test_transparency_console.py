"""Building and publishing transparency reports from the console, and who may."""

from typing import TYPE_CHECKING

from django.urls import reverse

from frontstage.accounts.models import RoleKind, Staff
from frontstage.publish.actions.reports import build_report
from frontstage.publish.models import TransparencyReport
from frontstage.test import Personas, make_staff
from frontstage.units.models import Unit

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

PAGE = reverse("console:transparency")


class Console(Personas):
    def build(
        self, person: Staff, unit: Unit, period: str = "2026-Q3"
    ) -> "_MonkeyPatchedWSGIResponse":
        return self.client_for(person).post(PAGE, {"unit": unit.pk, "period": period})

    def test_it_shows_an_empty_list_with_the_build_form(self) -> None:
        response = self.client_for(self.publisher).get(PAGE)
        self.assertContains(response, "No transparency report has been built")
        self.assertContains(response, 'name="period"')

    def test_it_builds_a_draft_and_shows_it(self) -> None:
        response = self.build(self.publisher, self.south)
        report = TransparencyReport.objects.get(unit=self.south, period="2026-Q3")
        self.assertRedirects(response, reverse("console:transparency_report", args=[report.pk]))
        page = self.client_for(self.publisher).get(response["Location"])
        self.assertContains(page, "Publish this report")
        self.assertContains(page, "Cases opened")

    def test_it_keeps_the_input_and_says_what_is_wrong_with_a_bad_period(self) -> None:
        response = self.build(self.publisher, self.south, "2026-Q5")
        self.assertContains(
            response, "“2026-Q5” is not a period: write 2026-Q3, 2026-H1 or 2026.", status_code=400
        )
        self.assertContains(response, 'value="2026-Q5"', status_code=400)

    def test_it_refuses_a_period_that_has_not_begun(self) -> None:
        response = self.build(self.publisher, self.south, "2030")
        self.assertContains(response, "2030 has not begun yet", status_code=400)

    def test_it_publishes_from_the_console(self) -> None:
        report = build_report(unit=self.south, period="2026-Q3", by=self.publisher)
        url = reverse("console:transparency_report", args=[report.pk])
        response = self.client_for(self.publisher).post(url, {"publish": "1"})
        self.assertRedirects(response, url)
        report.refresh_from_db()
        self.assertEqual(report.published_by, self.publisher)
        public = self.reporter().get(reverse("transparency_report", args=["south", "2026-Q3"]))
        self.assertEqual(public.status_code, 200)

    def test_it_lets_only_publishers_publish(self) -> None:
        report = build_report(unit=self.south, period="2026-Q3", by=self.publisher)
        url = reverse("console:transparency_report", args=[report.pk])
        page = self.client_for(self.analyst).get(url)
        self.assertContains(page, "Only a publisher of this unit can publish it.")
        self.assertEqual(self.client_for(self.analyst).post(url, {"publish": "1"}).status_code, 403)
        report.refresh_from_db()
        self.assertIsNone(report.published_at)

    def test_it_hides_other_units_reports(self) -> None:
        report = build_report(unit=self.south, period="2026-Q3", by=self.publisher)
        url = reverse("console:transparency_report", args=[report.pk])
        self.assertEqual(self.client_for(self.east_analyst).get(url).status_code, 404)
        self.assertNotContains(self.client_for(self.east_analyst).get(PAGE), url)
        self.assertContains(self.client_for(self.analyst).get(PAGE), url)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client_for(self.outsider).get(PAGE).status_code, 403)
        self.assertEqual(self.client_for(None).get(PAGE).status_code, 302)

    def test_it_offers_only_the_builders_units(self) -> None:
        south_publisher = make_staff("sam", RoleKind.PUBLISHER, self.south)
        response = self.build(south_publisher, self.east)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(TransparencyReport.objects.exists())

    def test_it_shows_the_nav_link_to_those_who_may_see_reports(self) -> None:
        self.assertContains(self.client_for(self.publisher).get(reverse("console:cases")), PAGE)
