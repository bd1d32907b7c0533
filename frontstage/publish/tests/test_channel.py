"""The public channel: published posts only, newest first, withdrawn ones answer 410."""

from django.urls import reverse

from frontstage.publish.actions.posts import draft_advisory, withdraw_publication
from frontstage.publish.markdown import render_markdown
from frontstage.publish.tests.test_publications import PublicationSetup


class Channel(PublicationSetup):
    def test_it_shows_published_posts_and_never_drafts(self) -> None:
        post = self.published(title_en="Fake parcel fees")
        draft_advisory(unit=self.south, by=self.publisher, title_en="Secret draft", body_en="x")
        page = self.reporter().get(reverse("channel", args=["south"]))
        self.assertContains(page, "Fake parcel fees")
        self.assertContains(page, f'href="/u/south/posts/{post.pk}/"')
        self.assertNotContains(page, "Secret draft")

    def test_it_says_how_to_report_and_how_to_follow(self) -> None:
        page = self.reporter().get(reverse("channel", args=["south"]))
        self.assertContains(page, f'href="{reverse("intake:report")}"')
        self.assertContains(page, 'type="application/atom+xml"')
        self.assertContains(page, 'href="/u/south/feed.atom"')
        self.assertContains(page, "@south@testserver")
        self.assertContains(page, "Nothing published yet")
        # Feed readers find the feed from the page's head.
        head = page.content.decode().split("</head>")[0]
        self.assertIn('rel="alternate" type="application/atom+xml"', head)

    def test_it_shows_a_post_in_the_visitors_language(self) -> None:
        post = self.published()
        url = reverse("publication", args=["south", post.pk])
        self.assertContains(self.reporter().get(url), "<em>parcel fee</em>")
        chinese = self.reporter().get(url, headers={"accept-language": "zh-CN"})
        self.assertContains(chinese, "假冒包裹费")

    def test_it_answers_404_for_a_draft_and_for_a_post_of_another_unit(self) -> None:
        draft = draft_advisory(unit=self.south, by=self.publisher, title_en="Draft", body_en="x")
        self.assertEqual(self.reporter().get(f"/u/south/posts/{draft.pk}/").status_code, 404)
        post = self.published()
        self.assertEqual(self.reporter().get(f"/u/east/posts/{post.pk}/").status_code, 404)

    def test_it_answers_410_with_the_reason_for_a_withdrawn_post(self) -> None:
        post = withdraw_publication(
            publication=self.published(), by=self.publisher, reason="Wrong figures"
        )
        response = self.reporter().get(reverse("publication", args=["south", post.pk]))
        self.assertContains(response, "Wrong figures", status_code=410)
        self.assertNotContains(response, "Never pay", status_code=410)
        channel = self.reporter().get(reverse("channel", args=["south"]))
        self.assertNotContains(channel, "Fake parcel fees")

    def test_it_pages_the_posts_newest_first(self) -> None:
        for n in range(12):
            self.published(title_en=f"Warning number {n:02d}")
        first = self.reporter().get(reverse("channel", args=["south"])).content.decode()
        self.assertLess(first.index("Warning number 11"), first.index("Warning number 10"))
        self.assertNotIn("Warning number 00", first)
        second = self.reporter().get(reverse("channel", args=["south"]) + "?page=2")
        self.assertContains(second, "Warning number 00")


class Markdown(PublicationSetup):
    def test_it_drops_scripts_javascript_links_event_handlers_and_raw_html(self) -> None:
        html = render_markdown(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://a.example)\n\n"
            '<a href="https://b.example" onclick="steal()">z</a> <img src=x onerror=alert(1)>'
        )
        self.assertNotIn("<script", html)
        self.assertNotIn('href="javascript', html)
        self.assertNotIn("<img", html)
        self.assertNotIn('<a href="https://b.example"', html)
        self.assertIn('<a href="https://a.example" rel="nofollow noopener">y</a>', html)

    def test_it_keeps_the_allowed_formatting(self) -> None:
        html = render_markdown("## Title\n\n- **one**\n- *two*\n\n> quote\n\n`code`")
        for tag in ["<h2>", "<ul>", "<strong>", "<em>", "<blockquote>", "<code>"]:
            self.assertIn(tag, html)
