from django.test import override_settings
from playwright.sync_api import expect

from frontstage.intake.models import Report
from frontstage.test import BrowserTestCase, make_unit
from frontstage.units.models import UnitLevel

SOLVED = "document.querySelector('input[name=altcha]')?.value.length > 0"


@override_settings(ALTCHA_MAX_NUMBER=5000)
class ReportingInTheBrowser(BrowserTestCase):
    """Members of the public report scams in the real page, proof of work and all."""

    def setUp(self) -> None:
        super().setUp()
        national = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        make_unit("south", UnitLevel.REGIONAL, national, ["CN-GD"])

    def fill_and_send(self, labels: dict[str, str]) -> None:
        page = self.page
        page.get_by_label(labels["links"]).fill("http://fake-parcel.example/pay?utm_source=sms")
        page.get_by_label(labels["category"]).select_option("scam_fraud")
        page.get_by_label(labels["why"]).fill(labels["explanation"])
        page.get_by_label(labels["where"]).select_option("CN-GD")
        page.get_by_label(labels["good_faith"]).check()
        page.wait_for_function(SOLVED, timeout=30_000)
        page.wait_for_timeout(
            3000
        )  # a person takes a few seconds; the form refuses bots that don't
        page.get_by_role("button", name=labels["send"]).click()

    def test_it_lets_a_person_report_in_english_and_follow_the_report(self) -> None:
        self.page.goto(self.url("/report/"))
        self.fill_and_send({
            "links": "Links (one per line)", "category": "What kind of illegal content is it?",
            "why": "Why do you think it is illegal?", "where": "Where are you?",
            "good_faith": "I believe in good faith", "send": "Send report",
            "explanation": "An SMS asked me to pay a parcel fee on this page.",
        })  # fmt: skip
        expect(self.page.get_by_role("heading")).to_contain_text("your report was received")
        code = self.page.locator("#receipt-code").inner_text()
        self.assertRegex(code, r"^\d{4}-\d{4}-\d{4}-\d{4}$")
        self.assertEqual(Report.objects.get().case.unit.slug, "south")
        self.page.get_by_role("link", name="Follow your report").click()
        self.page.get_by_label("Receipt code").fill(code)
        self.page.get_by_role("button", name="Show my report").click()
        expect(self.page.get_by_text("Received", exact=True)).to_be_visible()

    def test_it_lets_a_person_report_in_chinese(self) -> None:
        context = self.browser.new_context(locale="zh-CN")
        self.page.close()
        self.page = context.new_page()
        self.page.goto(self.url("/report/"))
        expect(self.page.get_by_role("heading", name="举报违法内容")).to_be_visible()
        self.fill_and_send({
            "links": "链接（每行一个）", "category": "这是哪一类违法内容？",
            "why": "您为什么认为它违法？", "where": "您所在的地区？",
            "good_faith": "我善意地相信", "send": "提交举报",
            "explanation": "这个网页以包裹补缴运费为名骗取钱财。",
        })  # fmt: skip
        expect(self.page.get_by_role("heading")).to_contain_text("您的举报已收到")
        self.assertEqual(Report.objects.get().language, "zh-hans")

    def test_it_shows_a_missing_field_beside_it_and_keeps_what_was_typed(self) -> None:
        self.page.goto(self.url("/report/"))
        self.page.get_by_label("Links (one per line)").fill("http://kept.example/offer")
        self.page.get_by_label("I believe in good faith").check()
        self.page.wait_for_function(SOLVED, timeout=30_000)
        self.page.wait_for_timeout(3000)
        self.page.get_by_role("button", name="Send report").click()
        expect(self.page.locator("#field-explanation .error")).to_have_text(
            "This field is required."
        )
        expect(self.page.get_by_label("Links (one per line)")).to_have_value(
            "http://kept.example/offer"
        )
        self.assertEqual(Report.objects.count(), 0)
