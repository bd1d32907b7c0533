from playwright.sync_api import expect

from frontstage.accounts.models import RoleKind
from frontstage.test import PASSWORD, BrowserTestCase, make_case, make_staff, make_unit
from frontstage.units.models import UnitLevel


class QueueKeyboard(BrowserTestCase):
    """Li works the queue from the keyboard."""

    def setUp(self) -> None:
        super().setUp()
        national = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        south = make_unit("south", UnitLevel.REGIONAL, national, ["CN-GD"])
        make_staff("li", RoleKind.ANALYST, south)
        self.scam = make_case(south, "http://fake-parcel.example/pay")
        self.threat = make_case(south, "http://threat.example/", category="threats")

    def log_in(self) -> None:
        self.page.goto(self.url("/console/"))
        self.page.get_by_label("Username").fill("li")
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("heading", name="Cases")).to_be_visible()
        self.page.wait_for_load_state()

    def test_it_moves_with_j_and_k_and_opens_with_enter(self) -> None:
        self.log_in()
        self.page.keyboard.press("j")
        self.page.keyboard.press("j")
        self.page.keyboard.press("k")
        expect(self.page.locator("tr.queue-row.selected")).to_contain_text(self.threat.reference)
        self.page.keyboard.press("Enter")
        expect(self.page.get_by_role("heading", name=self.threat.reference)).to_be_visible()

    def test_it_takes_the_next_case_with_n(self) -> None:
        self.log_in()
        self.page.keyboard.press("n")
        expect(self.page.get_by_text(f"{self.threat.reference} is yours now.")).to_be_visible()

    def test_it_shows_the_shortcuts_with_a_question_mark(self) -> None:
        self.log_in()
        self.page.keyboard.press("?")
        expect(self.page.get_by_role("dialog")).to_contain_text("Take the next case")

    def test_it_focuses_the_filters_with_a_slash(self) -> None:
        self.log_in()
        self.page.keyboard.press("/")
        expect(self.page.get_by_label("Status")).to_be_focused()
