from playwright.sync_api import expect

from frontstage.accounts.models import RoleKind
from frontstage.test import PASSWORD, BrowserTestCase, make_case, make_staff, make_unit
from frontstage.units.models import UnitLevel


class ConsoleInBrowser(BrowserTestCase):
    """Li, an analyst of the south region, starts her day in the console."""

    def setUp(self) -> None:
        super().setUp()
        national = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        south = make_unit("south", UnitLevel.REGIONAL, national, ["CN-GD"])
        east = make_unit("east", UnitLevel.REGIONAL, national, ["CN-SH"])
        make_staff("li", RoleKind.ANALYST, south)
        self.south_case = make_case(south, "http://fake-parcel.example/pay")
        self.east_case = make_case(east, "http://east-only.example/")

    def log_in(self) -> None:
        self.page.goto(self.url("/console/"))
        self.page.get_by_label("Username").fill("li")
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()

    def test_it_logs_in_lists_her_cases_and_opens_one(self) -> None:
        self.log_in()
        expect(self.page.get_by_role("heading", name="Cases")).to_be_visible()
        expect(self.page.get_by_text("1 case", exact=True)).to_be_visible()
        expect(self.page.get_by_text(self.east_case.reference)).to_have_count(0)
        self.page.get_by_role("link", name=self.south_case.reference).click()
        expect(self.page.get_by_text("fake-parcel.example/pay", exact=True)).to_be_visible()
        expect(self.page.get_by_text("Legal basis")).to_be_visible()

    def test_it_filters_the_list_without_reloading_the_page(self) -> None:
        self.log_in()
        self.page.evaluate("window.notReloaded = true")
        self.page.get_by_label("Status").select_option("closed")
        expect(self.page.get_by_text("No cases match")).to_be_visible()
        self.assertTrue(self.page.evaluate("window.notReloaded === true"))
        self.assertIn("status=closed", self.page.url)
        self.page.get_by_label("Status").select_option("new")
        expect(self.page.get_by_role("link", name=self.south_case.reference)).to_be_visible()

    def test_it_switches_the_console_to_chinese(self) -> None:
        self.log_in()
        self.page.get_by_label("Language").select_option("zh-hans")
        self.page.get_by_role("button", name="Change").click()
        expect(self.page.get_by_role("heading", name="案件")).to_be_visible()
        expect(self.page.get_by_text("1 起案件")).to_be_visible()

    def test_it_keeps_what_she_typed_when_the_password_is_wrong(self) -> None:
        self.page.goto(self.url("/console/login/"))
        self.page.get_by_label("Username").fill("li")
        self.page.get_by_label("Password").fill("wrong")
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("alert")).to_contain_text("correct username and password")
        expect(self.page.get_by_label("Username")).to_have_value("li")
