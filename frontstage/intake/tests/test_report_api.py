from django.test import override_settings

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import save_category
from frontstage.cases.models import Case, Subject
from frontstage.intake.models import Report
from frontstage.intake.tests.helpers import report_body, solved_pow
from frontstage.lib.actors import SYSTEM
from frontstage.test import Personas

URL = "/api/v1/reports"


@override_settings(ALTCHA_MAX_NUMBER=2000)
class PublicReportApi(Personas):
    """Mei reports a fake parcel-fee page from her phone app, through the JSON API."""

    def post(self, body: dict[str, object], **headers: str):
        return self.reporter().post(URL, body, content_type="application/json", headers=headers)

    def test_it_accepts_a_report_and_returns_a_receipt_that_tracks_it(self) -> None:
        response = self.post(report_body())
        self.assertEqual(response.status_code, 201, response.content)
        receipt = response.json()["receipt"]
        self.assertRegex(receipt, r"^\d{4}-\d{4}-\d{4}-\d{4}$")
        report = Report.objects.get()
        self.assertEqual(report.case.unit, self.south)
        self.assertEqual(report.locations, [{"kind": "url", "key": "fake-parcel.example/pay"}])
        self.assertTrue(AuditEvent.objects.filter(action="report.received").exists())
        status = self.reporter().get(f"{URL}/{receipt}").json()
        self.assertEqual(status["status"], "received")

    def test_it_makes_a_retry_with_the_same_key_return_the_same_receipt(self) -> None:
        body = report_body()
        first = self.post(body, **{"Idempotency-Key": "mei-1"})
        body["altcha"] = solved_pow()
        again = self.post(body, **{"Idempotency-Key": "mei-1"})
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(first.json()["receipt"], again.json()["receipt"])
        self.assertEqual(Report.objects.count(), 1)

    def test_it_refuses_the_same_key_for_a_different_report(self) -> None:
        self.post(report_body(), **{"Idempotency-Key": "mei-2"})
        response = self.post(
            report_body(explanation="Something else entirely, not the same."),
            **{"Idempotency-Key": "mei-2"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "Idempotency-Key")

    def test_it_says_which_field_is_wrong(self) -> None:
        response = self.post(report_body(locations=[{"kind": "phone", "value": "12"}]))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "locations")
        self.assertEqual(Report.objects.count(), 0)

    def test_it_refuses_a_report_without_proof_of_work(self) -> None:
        response = self.post(report_body(altcha=""))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "altcha")

    def test_it_refuses_a_proof_of_work_used_twice(self) -> None:
        pow_ = solved_pow()
        self.assertEqual(self.post(report_body(altcha=pow_)).status_code, 201)
        response = self.post(
            report_body(altcha=pow_, explanation="A second, different report text.")
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("already used", response.json()["detail"])

    def test_it_refuses_a_category_of_another_unit_and_keeps_the_proof_spent(self) -> None:
        save_category(
            category=None,
            code="sh_only",
            unit=self.east,
            name_en="Shanghai only",
            name_zh="仅上海",
            legal_basis_en="A Shanghai regulation.",
            by=SYSTEM,
        )
        pow_, subjects = solved_pow(), Subject.objects.count()
        response = self.post(report_body(category="sh_only", altcha=pow_))
        self.assertEqual(response.status_code, 422, response.content)
        self.assertEqual(response.json()["errors"][0]["field"], "category")
        self.assertEqual((Report.objects.count(), Subject.objects.count()), (0, subjects))
        again = self.post(report_body(altcha=pow_))
        self.assertIn("already used", again.json()["detail"])

    def test_it_refuses_a_report_without_good_faith(self) -> None:
        response = self.post(report_body(good_faith=False))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "good_faith")

    def test_it_slows_down_a_flood_from_one_connection(self) -> None:
        codes = [
            self.post(report_body(explanation=f"Report number {i} about the page.")).status_code
            for i in range(32)
        ]
        self.assertEqual(codes.count(201), 30)
        self.assertEqual(codes[-1], 429)

    def test_it_answers_a_wrong_code_like_an_unknown_one(self) -> None:
        unknown = self.reporter().get(f"{URL}/1234-5678-9012-3456")
        malformed = self.reporter().get(f"{URL}/not-a-code")
        self.assertEqual((unknown.status_code, malformed.status_code), (404, 404))
        self.assertEqual(unknown.json(), malformed.json())

    def test_it_puts_thirty_spellings_of_one_url_in_one_case(self) -> None:
        spellings = [
            "http://fake-parcel.example/pay",
            "HTTP://FAKE-PARCEL.EXAMPLE/pay",
            "fake-parcel.example/pay",
            "http://fake-parcel.example:80/pay",
            "http://fake-parcel.example/pay#top",
            "http://fake-parcel.example/pay?utm_source=sms",
            "http://fake-parcel.example/pay?fbclid=abc",
            "http://fake-parcel.example./pay",
            "http://fake-parcel.example/./pay",
            "http://fake-parcel.example/x/../pay",
            "http://fake-parcel.example//pay",
            "http://fake-parcel.example/%70ay",
            "http://fake-parcel.example/p%61y",
            "  http://fake-parcel.example/pay  ",
            "http://Fake-Parcel.Example/pay?utm_medium=x&utm_campaign=y",
            "http://fake-parcel.example/pay?gclid=1",
            "http://fake-parcel.example/pay?utm_content=z#f",
            "http://FAKE-parcel.example:80/./pay",
            "http://fake-parcel.example/pay?utm_term=q",
            "http://fake-parcel.example/%2570ay",
            "http://fake-parcel.example/pay?spm=a.b.c",
            "fake-parcel.example:80/pay",
            "http://fake-parcel.example/a/b/../../pay",
            "http://fake-parcel.example/pay?utm_source=a&utm_medium=b",
            "http://fake-parcel.example/pay\n",
            "http://fake-parcel.example/pay?mc_eid=1",
            "http://fake-parcel.example/pay?msclkid=2",
            "http://fake-parcel.example/pay?igshid=3",
            "http://fake-parcel.example/pay?yclid=4",
            "http://fake-parcel.example/pay?dclid=5",
        ]
        self.assertEqual(len(spellings), 30)
        for i, url in enumerate(spellings):
            body = report_body(
                locations=[{"kind": "url", "value": url}],
                explanation=f"Report {i} of the fee page.",
            )
            with self.subTest(url=url):
                self.assertEqual(self.post(body, **{"Idempotency-Key": f"k{i}"}).status_code, 201)
        self.assertEqual(Case.objects.filter(reports__isnull=False).distinct().count(), 1)
        self.assertEqual(Report.objects.values("case").distinct().count(), 1)

    def test_it_documents_every_operation_with_its_errors(self) -> None:
        spec = self.reporter().get("/api/v1/openapi.json").json()
        for path, method in [
            ("/api/v1/reports", "post"),
            ("/api/v1/notices", "post"),
            ("/api/v1/orders", "post"),
            ("/api/v1/challenge", "get"),
            ("/api/v1/reports/{receipt}", "get"),
            ("/api/v1/notices/{notice_id}", "get"),
            ("/api/v1/orders/{order_id}", "get"),
        ]:
            responses = spec["paths"][path][method]["responses"]
            for status in ["400", "401", "403", "404", "413", "422", "429"]:
                with self.subTest(path=path, status=status):
                    self.assertIn(status, responses)

    def test_it_names_a_missing_field_in_the_same_error_shape(self) -> None:
        body = report_body()
        del body["explanation"]
        response = self.post(body)
        self.assertEqual(response.status_code, 422)
        self.assertIn(
            {"field": "explanation", "message": "Field required"}, response.json()["errors"]
        )
        self.assertIn("detail", response.json())
