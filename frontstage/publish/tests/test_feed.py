"""The Atom feed of a channel: published posts in both languages; withdrawn ones leave it."""

from django.urls import reverse

from frontstage.publish.actions.posts import draft_advisory, withdraw_publication
from frontstage.publish.tests.test_publications import PublicationSetup


class Feed(PublicationSetup):
    def test_it_is_an_atom_feed_of_published_posts_in_both_languages(self) -> None:
        self.published(title_en="Fake parcel fees", body_en="Never pay a **fee**.")
        draft_advisory(unit=self.south, by=self.publisher, title_en="Secret draft", body_en="x")
        response = self.reporter().get(reverse("channel_feed", args=["south"]))
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        self.assertContains(response, "Fake parcel fees · 假冒包裹费")
        self.assertContains(response, "&lt;strong&gt;fee&lt;/strong&gt;")
        self.assertContains(response, "不要点击链接付费")
        self.assertNotContains(response, "Secret draft")

    def test_it_drops_a_withdrawn_post(self) -> None:
        post = self.published(title_en="Outdated warning")
        withdraw_publication(publication=post, by=self.publisher, reason="Outdated")
        response = self.reporter().get(reverse("channel_feed", args=["south"]))
        self.assertNotContains(response, "Outdated warning")

    def test_it_answers_404_for_an_unknown_unit(self) -> None:
        self.assertEqual(self.reporter().get("/u/atlantis/feed.atom").status_code, 404)
