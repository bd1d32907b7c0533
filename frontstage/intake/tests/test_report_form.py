import io
from datetime import timedelta
from unittest import mock

from django.core import signing
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from frontstage.intake import spam
from frontstage.intake.models import Attachment, Report
from frontstage.intake.tests.helpers import solved_pow
from frontstage.test import Personas


def started_seconds_ago(seconds: float) -> str:
    then = timezone.now() - timedelta(seconds=seconds)
    with mock.patch("django.utils.timezone.now", return_value=then):
        return spam.form_token()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@override_settings(ALTCHA_MAX_NUMBER=2000)
class PublicReportForm(Personas):
    """Mei fills in the report form in her browser."""

    def form(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "urls": "http://fake-parcel.example/pay",
            "category": "scam_fraud",
            "explanation": "A text message asked me to pay a parcel fee on this page.",
            "region": "CN-GD-SZ",
            "good_faith": "on",
            "started": started_seconds_ago(10),
            "altcha": solved_pow(),
            "website": "",
        }
        data.update(changes)
        return data

    def test_it_shows_the_form_in_english_and_chinese(self) -> None:
        self.assertContains(self.reporter().get("/report/"), "Report illegal content")
        zh = self.reporter().get("/report/", headers={"accept-language": "zh-hans"})
        self.assertContains(zh, "举报违法内容")
        self.assertContains(zh, "altcha-widget")

    def test_it_files_a_report_and_shows_the_receipt_once(self) -> None:
        client = self.reporter()
        response = client.post(
            "/report/", self.form(screenshots=io.BytesIO(png_bytes())), follow=True
        )
        self.assertContains(response, "your report was received")
        code = response.context["code"]
        self.assertRegex(code, r"^\d{4}-\d{4}-\d{4}-\d{4}$")
        report = Report.objects.get()
        self.assertEqual(report.case.unit, self.shenzhen)
        self.assertEqual(Attachment.objects.get().report, report)
        self.assertNotContains(client.get("/report/sent/", follow=True), code)

    def test_it_keeps_what_she_typed_when_a_field_is_missing(self) -> None:
        response = self.reporter().post(
            "/report/", self.form(explanation="", urls="http://kept.example/page")
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertContains(response, "http://kept.example/page", status_code=400)
        self.assertEqual(Report.objects.count(), 0)

    def test_it_says_where_the_content_must_be(self) -> None:
        response = self.reporter().post("/report/", self.form(urls=""))
        self.assertContains(response, "Say where the content is", status_code=400)

    def test_it_explains_a_bad_phone_number_beside_the_field_in_chinese(self) -> None:
        response = self.reporter().post(
            "/report/", self.form(urls="", phone="12"), headers={"accept-language": "zh-hans"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("phone", response.context["form"].errors)
        self.assertRegex(response.context["form"].errors["phone"][0], r"[\u4e00-\u9fff]")

    def test_it_refuses_a_bot_that_fills_the_honeypot(self) -> None:
        response = self.reporter().post("/report/", self.form(website="http://spam.example"))
        self.assertContains(response, "could not be sent", status_code=400)
        self.assertEqual(Report.objects.count(), 0)

    def test_it_refuses_a_form_sent_too_fast_and_keeps_the_input(self) -> None:
        response = self.reporter().post("/report/", self.form(started=started_seconds_ago(0.5)))
        self.assertContains(response, "sent very quickly", status_code=400)
        self.assertContains(response, "A text message asked me", status_code=400)

    def test_it_refuses_a_forged_form_token(self) -> None:
        forged = signing.TimestampSigner(salt="other").sign("1")
        response = self.reporter().post("/report/", self.form(started=forged))
        self.assertContains(response, "could not be checked", status_code=400)

    def test_it_refuses_a_report_without_the_proof_of_work(self) -> None:
        response = self.reporter().post("/report/", self.form(altcha=""))
        self.assertContains(response, "anti-spam check", status_code=400)

    def test_it_refuses_a_screenshot_that_is_not_an_image_and_stores_nothing(self) -> None:
        fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
        fake.name = "shot.png"
        response = self.reporter().post("/report/", self.form(screenshots=fake))
        self.assertEqual(response.status_code, 400)
        self.assertIn("screenshots", response.context["form"].errors)
        self.assertEqual(Report.objects.count(), 0)

    def test_it_never_stores_who_reported_child_abuse_material(self) -> None:
        data = self.form(category="child_sexual_abuse", name="Mei", email="mei@example.org")
        self.reporter().post("/report/", data)
        report = Report.objects.get()
        self.assertEqual((report.reporter_name, report.reporter_email), ("", ""))


@override_settings(ALTCHA_MAX_NUMBER=2000)
class TrackingPage(Personas):
    def file_report(self, client) -> str:
        data = PublicReportForm.form(self, email="")  # type: ignore[arg-type]
        response = client.post("/report/", data, follow=True)
        return response.context["code"]

    def test_it_shows_the_timeline_and_takes_a_reply(self) -> None:
        code = self.file_report(self.reporter())
        client = self.reporter()
        response = client.post("/track/", {"code": code.replace("-", " ")}, follow=True)
        self.assertContains(response, "Received")
        response = client.post(
            "/track/status/", {"body": "The page now asks for my bank card too."}, follow=True
        )
        self.assertContains(response, "The page now asks for my bank card too.")
        self.assertEqual(Report.objects.get().messages.count(), 1)

    def test_it_gives_one_answer_for_wrong_and_malformed_codes(self) -> None:
        wrong = self.reporter().post("/track/", {"code": "1111-2222-3333-4444"})
        malformed = self.reporter().post("/track/", {"code": "hello"})
        self.assertEqual(wrong.status_code, malformed.status_code)
        self.assertEqual(wrong.context["form"].errors, malformed.context["form"].errors)

    def test_it_limits_guessing(self) -> None:
        client = self.reporter()
        statuses = [client.post("/track/", {"code": f"{i:016d}"}).status_code for i in range(31)]
        self.assertEqual(statuses[-1], 429)
        self.assertNotIn(429, statuses[:30])
