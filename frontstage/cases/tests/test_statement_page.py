from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.urls import reverse

from frontstage.cases.tests.test_appeals import Sanctioned


class StatementPage(Sanctioned):
    def test_it_shows_what_was_decided_where_and_for_how_long(self) -> None:
        page = self.reporter().get(self.page_url())
        self.assertContains(page, "Statement of reasons")
        self.assertContains(page, "Suspend the account permanently")
        self.assertContains(page, "weibo:someone")
        self.assertContains(page, "CN-GD, CN-GX")
        self.assertContains(page, "Permanently, from 2025-03-01")

    def test_it_shows_the_facts_the_source_and_that_a_person_decided(self) -> None:
        page = self.reporter().get(self.page_url())
        self.assertContains(page, "The account sent links to a fake prize page")
        self.assertContains(page, "The decision followed a report from a member of the public.")
        self.assertContains(page, "Automated means helped detect the item")
        self.assertContains(page, "A person took the decision; it was not automated.")

    def test_it_says_when_the_unit_acted_on_its_own_initiative(self) -> None:
        self.statement.content.update(source_types=[], automated_detection=False)
        self.statement.save(update_fields=["content"])
        page = self.reporter().get(self.page_url())
        self.assertContains(page, "The unit acted on its own initiative, not on a notice.")
        self.assertContains(page, "No automated means were used to detect the item.")

    def test_it_shows_the_legal_ground_with_its_elements_link_and_explanation(self) -> None:
        page = self.reporter().get(self.page_url())
        self.assertContains(page, "Criminal Law Art. 266")
        self.assertContains(page, "Deceit that makes the victim hand over property.")
        self.assertContains(page, 'href="https://law.example/266"')
        self.assertContains(page, "Asking for deposits for a prize that does not exist is deceit.")

    def test_it_offers_the_appeal_form_and_the_other_ways_to_redress(self) -> None:
        page = self.reporter().get(self.page_url())
        until = f"{self.statement.appeal_until:%Y-%m-%d}"
        self.assertContains(page, f"You can appeal here, free of charge, until {until}.")
        self.assertContains(page, "Send my appeal")
        self.assertContains(page, "csrfmiddlewaretoken")
        self.assertContains(page, "out-of-court dispute settlement body")

    def test_it_closes_the_appeal_form_after_six_months(self) -> None:
        late = self.statement.appeal_until + timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=late):
            page = self.reporter().get(self.page_url())
        self.assertNotContains(page, "Send my appeal")
        self.assertContains(page, "The time to appeal here ended on")
        self.assertContains(page, "you may take the matter to court")

    def test_it_is_in_chinese_when_that_is_the_statements_language(self) -> None:
        self.statement.language = "zh-hans"
        self.statement.save(update_fields=["language"])
        page = self.reporter().get(self.page_url())
        self.assertContains(page, '<html lang="zh-hans">')
        self.assertContains(page, "诈骗罪")
        self.assertContains(page, "以欺骗手段使被害人交付财物。")
        self.assertContains(page, "南方网络安全")
        self.assertNotContains(page, "Deceit that makes the victim hand over property.")

    def test_it_follows_the_language_the_visitor_chose(self) -> None:
        self.statement.language = "zh-hans"
        self.statement.save(update_fields=["language"])
        visitor = self.reporter()
        visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = visitor.get(self.page_url())
        self.assertContains(page, '<html lang="en">')
        self.assertContains(page, "Deceit that makes the victim hand over property.")

    def test_it_shows_nothing_about_the_reporters(self) -> None:
        page = self.reporter().get(self.page_url())
        self.assertNotContains(page, "reporter@example.org")
        self.assertNotContains(page, "Mei Reporter")
        self.assertNotContains(page, "deposit to release a prize")

    def test_it_keeps_the_page_out_of_caches_and_search_engines(self) -> None:
        page = self.reporter().get(self.page_url())
        self.assertEqual(page["Cache-Control"], "private, no-store")
        self.assertIn("noindex", page["X-Robots-Tag"])

    def test_it_answers_an_unknown_link_with_a_page_that_says_it_is_not_valid(self) -> None:
        for token in ["x" * 32, "short", "AbCdEfGhIjKlMnOpQrStUvWxYz01234%2A", "A" * 65]:
            page = self.reporter().get(f"/statement/{token}/")
            self.assertContains(page, "This link is not valid", status_code=404)
            self.assertNotContains(page, "weibo:someone", status_code=404)

    def test_it_shows_a_lifted_measure_and_the_outcome_of_the_appeal(self) -> None:
        self.appeal()
        url = reverse("console:appeal", args=[self.statement.appeals.get().pk])
        reason = "The shop showed its business licence; the prize page was theirs."
        self.client_for(self.reviewer).post(url, {"outcome": "reversed", "reason": reason})
        page = self.reporter().get(self.page_url())
        self.assertContains(page, "Decision reversed")
        self.assertContains(page, reason)
        self.assertContains(page, "This measure was lifted on")
