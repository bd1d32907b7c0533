"""Transparency reports end to end: casework across units in 2026-Q3, the national roll-up,
the public page and downloads, and building and publishing from the console."""

import contextlib
import json
import re
import zlib
from datetime import UTC, datetime, timedelta
from unittest import mock

from django.urls import reverse

from frontstage.accounts.models import RoleKind, Staff
from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import move_case
from frontstage.cases.actions.appeals import decide_appeal, file_appeal
from frontstage.cases.actions.decisions import SanctionRequest, decide, proposal_for
from frontstage.cases.models import Case, CaseStatus, LegalGround, StatementOfReasons
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PATROL, PUBLIC
from frontstage.publish.actions.reports import ReportError, build_report, publish_report
from frontstage.publish.events import compute_for
from frontstage.publish.figures import COUNTS, parse_period
from frontstage.publish.models import TransparencyReport
from frontstage.test import Personas, make_staff
from frontstage.units.models import Unit

Q3 = parse_period("2026-Q3")
START = datetime(2026, 7, 6, 9, tzinfo=UTC)


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, where font names live."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match[1]))
    return b"".join(parts)


def frozen(at: datetime) -> mock._patch:
    return mock.patch("django.utils.timezone.now", return_value=at)


class Q3Casework(Personas):
    """In 2026-Q3: two reports at south (one from the patrol), one at shenzhen, one at east.
    Each case is triaged, decided with a removal; the south one is appealed and reversed."""

    reviewer: Staff

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reviewer = make_staff("mei", RoleKind.SUPERVISOR, cls.national)
        ground = LegalGround.objects.filter(category__code="scam_fraud", unit=None)[0]
        plan = [
            ("CN-GD", "http://parcel-fee.example/pay", PUBLIC, cls.analyst),
            ("CN-GD", "http://prize.example/claim", PATROL, cls.analyst),
            ("CN-GD-SZ", "http://refund.example/form", PUBLIC, cls.analyst),
            ("CN-SH", "http://invest.example/join", PUBLIC, cls.east_analyst),
        ]
        cases = []
        for n, (region, url, source, analyst) in enumerate(plan):
            at = START + timedelta(days=n)
            with frozen(at):
                receipt = submit_report(
                    submission=Submission(
                        source=source if source == PUBLIC else ReportSource.PATROL,
                        locations=[("url", url)],
                        explanation="A page that takes money for a parcel that never comes.",
                        region_code=region,
                        category=cls.south_case.category,
                    ),
                    by=source,
                )
            case = receipt.report.case
            with frozen(at + timedelta(hours=2)):
                move_case(case=case, to=CaseStatus.TRIAGED, by=analyst)
            with frozen(at + timedelta(hours=10 + n)):
                subject = case.subjects.get()
                kind = proposal_for(case, subject).kind or "remove"
                decide(
                    case=Case.objects.get(pk=case.pk),
                    outcome="action",
                    legal_ground=ground,
                    facts="The page asks for a fee to release a parcel; no parcel exists.",
                    sanctions=[SanctionRequest(subject=subject, kind=kind)],
                    by=analyst,
                )
            cases.append(case)
        statement = StatementOfReasons.objects.get(sanction__case=cases[0])
        with frozen(START + timedelta(days=20)):
            appeal = file_appeal(
                statement=statement, text="This shop is real and ships parcels daily.", by=PUBLIC
            )
        with frozen(START + timedelta(days=22)):
            decide_appeal(
                appeal=appeal, upheld=False, reason="The shop is genuine.", by=cls.reviewer
            )


class RollUp(Q3Casework):
    def test_it_counts_the_quarters_casework_of_a_unit(self) -> None:
        figures = compute_for(self.south, Q3, own_only=True).document["figures"]
        self.assertEqual(figures["reports_by_source"]["by"], {"patrol": 1, "public": 1})
        self.assertEqual(figures["cases_opened"]["total"], 2)
        self.assertEqual(figures["sanctions_by_kind"]["total"], 2)
        self.assertEqual(figures["automated_detection"]["by"], {"automated": 1, "not_automated": 1})
        self.assertEqual(figures["appeals_decided"]["by"], {"reversed": 1})
        self.assertEqual(figures["sanctions_lifted"]["by"], {"on_appeal": 1})
        self.assertEqual(figures["time_to_acknowledge"]["hours"], 2.0)
        self.assertNotIn("unrecorded", figures["sanctions_by_ground"]["by"])

    def test_it_makes_the_national_totals_the_sum_of_its_units(self) -> None:
        whole = compute_for(self.national, Q3).document["figures"]
        parts = [
            compute_for(unit, Q3, own_only=True).document["figures"] for unit in Unit.objects.all()
        ]
        for name in COUNTS:
            with self.subTest(figure=name):
                self.assertEqual(whole[name]["total"], sum(p[name]["total"] for p in parts))
        self.assertEqual(whole["cases_opened"]["total"], 4)
        self.assertEqual(whole["sanctions_by_kind"]["total"], 4)

    def test_it_builds_the_same_figures_twice(self) -> None:
        first = build_report(unit=self.national, period="2026-q3", by=self.publisher)
        again = build_report(unit=self.national, period="2026-Q3", by=self.publisher)
        self.assertEqual((first.pk, first.digest), (again.pk, again.digest))
        self.assertEqual(first.figures["period"], "2026-Q3")
        self.assertEqual(AuditEvent.objects.filter(action="transparency_report.built").count(), 2)


class Publishing(Q3Casework):
    def setUp(self) -> None:
        self.report = build_report(unit=self.south, period="2026-Q3", by=self.publisher)

    def test_it_keeps_drafts_from_the_public(self) -> None:
        url = reverse("transparency_report", args=["south", "2026-Q3"])
        self.assertEqual(self.reporter().get(url).status_code, 404)
        self.assertContains(self.client_for(self.analyst).get(url), "Draft")

    def test_it_publishes_a_report_and_freezes_it(self) -> None:
        publish_report(report=self.report, by=self.publisher)
        audit = AuditEvent.objects.get(action="transparency_report.published")
        self.assertEqual(audit.payload["digest"], self.report.digest)
        with self.assertRaisesMessage(ReportError, "is published and cannot change"):
            build_report(unit=self.south, period="2026-Q3", by=self.publisher)

    def test_it_refuses_to_publish_a_period_that_is_not_over(self) -> None:
        with frozen(datetime(2026, 9, 30, tzinfo=UTC)):
            report = build_report(unit=self.south, period="2026-Q3", by=self.publisher)
            with self.assertRaisesMessage(ReportError, "2026-Q3 is not over yet"):
                publish_report(report=report, by=self.publisher)

    def test_it_refuses_to_publish_figures_that_changed_since_the_draft(self) -> None:
        TransparencyReport.objects.filter(pk=self.report.pk).update(digest="0" * 64)
        with self.assertRaisesMessage(ReportError, "The figures changed"):
            publish_report(report=self.report, by=self.publisher)


class PublicPages(Q3Casework):
    def setUp(self) -> None:
        report = build_report(unit=self.national, period="2026-Q3", by=self.publisher)
        publish_report(report=report, by=self.publisher)
        self.report = report

    def test_it_shows_the_published_report_with_charts_and_figures(self) -> None:
        response = self.reporter().get(reverse("transparency_report", args=["national", "2026-Q3"]))
        self.assertContains(response, "Reports by source")
        self.assertContains(response, "<svg")
        self.assertContains(response, "All times are UTC")
        self.assertContains(response, self.report.digest)
        self.assertNotContains(response, "parcel-fee.example")

    def test_it_shows_the_report_in_chinese(self) -> None:
        url = reverse("transparency_report", args=["national", "2026-Q3"])
        response = self.reporter().get(url, headers={"accept-language": "zh-CN"})
        self.assertContains(response, "south网络安全")
        self.assertContains(response, 'lang="zh-hans"')

    def test_it_offers_csv_and_json_downloads(self) -> None:
        csv_url = reverse("transparency_download", args=["national", "2026-Q3", "csv"])
        csv_text = self.reporter().get(csv_url).content.decode()
        self.assertIn("cases_opened,total,4", csv_text)
        json_url = reverse("transparency_download", args=["national", "2026-Q3", "json"])
        data = json.loads(self.reporter().get(json_url).content)
        self.assertEqual(data["digest"], self.report.digest)
        self.assertEqual(data["units"], ["east", "national", "shenzhen", "south"])

    def test_it_offers_a_pdf_with_chinese_fonts_embedded(self) -> None:
        url = reverse("transparency_download", args=["national", "2026-Q3", "pdf"])
        pdf = self.reporter().get(url, headers={"accept-language": "zh-CN"}).content
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertIn(b"NotoSansCJK", inflated(pdf))

    def test_it_gives_the_rows_behind_a_figure_without_personal_data(self) -> None:
        url = reverse("transparency_rows", args=["national", "2026-Q3", "cases_opened"])
        response = self.reporter().get(url)
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0], "reference,at,breakdown,value")
        self.assertEqual(len(lines), 5)
        self.assertEqual(response["X-Figures-Digest"], self.report.digest)
        subjects = self.reporter().get(
            reverse("transparency_rows", args=["national", "2026-Q3", "unique_subjects"])
        )
        self.assertNotContains(subjects, "example")

    def test_it_lists_a_units_published_reports(self) -> None:
        response = self.reporter().get(reverse("transparency_reports", args=["national"]))
        self.assertContains(response, "/u/national/transparency/2026-Q3/")
        empty = self.reporter().get(reverse("transparency_reports", args=["east"]))
        self.assertContains(empty, "has not published a transparency report yet")

    def test_it_answers_404_for_unknown_periods_units_and_figures(self) -> None:
        for url in [
            "/u/national/transparency/2026-Q4/",
            "/u/national/transparency/2026-Q9/",
            "/u/atlantis/transparency/2026-Q3/",
            "/u/national/transparency/2026-Q3/rows/nothing.csv",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.reporter().get(url).status_code, 404)
