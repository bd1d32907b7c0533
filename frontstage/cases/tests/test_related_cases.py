from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontstage.cases.actions import open_case
from frontstage.cases.actions.triage import merge_cases
from frontstage.cases.models import Case, Category
from frontstage.cases.related import related_cases
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.locate import canonical_key
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.test import Personas
from frontstage.units.models import Unit
from frontstage.units.scope import CASEWORK, unit_ids

PHONE = "+8613800138000"


def case_about(unit: Unit, *subjects: tuple[str, str]) -> Case:
    keys = [(kind, canonical_key(kind, raw)) for kind, raw in subjects]
    return open_case(
        unit=unit, category=Category.objects.get(code="scam_fraud"), subjects=keys, by=SYSTEM
    )


def report_on(case: Case, text: str = "Same scam") -> None:
    locations = [(s.kind, s.key) for s in case.subjects.all()]
    submission = Submission(source="public", locations=locations, explanation=text, unit=case.unit)
    submit_report(submission=submission, by=PUBLIC)


class RelatedCases(Personas):
    def test_it_links_cases_that_share_a_phone_number(self) -> None:
        first = case_about(self.south, ("phone", PHONE), ("url", "http://a.example/"))
        second = case_about(self.shenzhen, ("phone", "+86 138 0013 8000"))
        report_on(second)
        report_on(second)
        campaign = related_cases(first, scope_ids=unit_ids(self.analyst, CASEWORK))
        self.assertEqual([r.case for r in campaign.related], [second])
        self.assertEqual(
            [(link.kind, link.key) for link in campaign.related[0].links], [("phone", PHONE)]
        )
        self.assertEqual((campaign.case_count, campaign.report_count), (2, 2))

    def test_it_links_a_url_to_its_domain_and_to_other_urls_on_that_domain(self) -> None:
        page = case_about(self.south, ("url", "https://pay.shop.example.com/checkout"))
        domain = case_about(self.south, ("domain", "example.com"))
        other_page = case_about(self.shenzhen, ("url", "http://example.com/login"))
        unrelated = case_about(self.south, ("url", "http://example.org/login"))
        lookalike = case_about(self.south, ("url", "http://notexample.com/"))
        campaign = related_cases(page, scope_ids=unit_ids(self.analyst, CASEWORK))
        linked = {r.case for r in campaign.related}
        self.assertEqual(linked, {domain, other_page})
        self.assertNotIn(unrelated, linked)
        self.assertNotIn(lookalike, linked)
        self.assertEqual([(lk.kind, lk.key) for lk in campaign.links], [("domain", "example.com")])

    def test_it_does_not_link_posts_on_the_same_social_network(self) -> None:
        first = case_about(self.south, ("url", "https://weibo.com/u/1001"))
        case_about(self.south, ("url", "https://weibo.com/u/2002"))
        campaign = related_cases(first, scope_ids=unit_ids(self.analyst, CASEWORK))
        self.assertFalse(campaign.is_campaign)

    def test_it_shows_only_cases_in_the_viewers_units(self) -> None:
        first = case_about(self.south, ("wallet", "0x" + "ab" * 20))
        case_about(self.east, ("wallet", "0x" + "AB" * 20))
        campaign = related_cases(first, scope_ids=unit_ids(self.analyst, CASEWORK))
        self.assertEqual(campaign.related, [])
        campaign = related_cases(first, scope_ids=unit_ids(self.supervisor, CASEWORK))
        self.assertEqual(len(campaign.related), 1)

    def test_it_leaves_out_merged_shells(self) -> None:
        first = case_about(self.south, ("phone", PHONE))
        second = case_about(self.south, ("phone", PHONE))
        merge_cases(case=second, into=first, reason="Same", by=self.analyst)
        third = case_about(self.south, ("phone", PHONE))
        campaign = related_cases(third, scope_ids=unit_ids(self.analyst, CASEWORK))
        self.assertEqual([r.case for r in campaign.related], [first])

    def test_it_uses_a_few_queries_whatever_the_number_of_cases(self) -> None:
        first = case_about(self.south, ("phone", PHONE), ("domain", "ring.example"))
        for n in range(12):
            case_about(self.south, ("phone", PHONE), ("url", f"http://x{n}.ring.example/"))
        scope = unit_ids(self.analyst, CASEWORK)
        with CaptureQueriesContext(connection) as queries:
            campaign = related_cases(first, scope_ids=scope)
        self.assertEqual(campaign.case_count, 13)
        self.assertLessEqual(len(queries), 6)

    def test_it_shows_the_campaign_on_the_case_page(self) -> None:
        first = case_about(self.south, ("phone", PHONE))
        second = case_about(self.south, ("phone", PHONE))
        page = self.client_for(self.analyst).get(reverse("console:case", args=[first.pk]))
        self.assertContains(page, "Campaign: 2 cases")
        self.assertContains(page, second.reference)
        self.assertContains(page, PHONE)
