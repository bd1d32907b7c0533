"""The actor document and the outbox and followers collections a fediverse server reads."""

from datetime import timedelta

from django.utils import timezone

from frontstage.audit.models import AuditEvent
from frontstage.publish.activitypub import PUBLIC, channel_urls
from frontstage.publish.models import (
    ChannelKey,
    Follower,
    FollowState,
    PublicationKind,
    PublicationStatus,
)
from frontstage.publish.tests.federation_support import published, remote_actor
from frontstage.test import Personas

ACTIVITY = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class ActorTests(Personas):
    def test_it_serves_the_actor_with_a_key_made_on_first_use(self) -> None:
        self.assertFalse(ChannelKey.objects.filter(unit=self.south).exists())
        response = self.reporter().get("/u/south/actor", headers={"Accept": ACTIVITY})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], ACTIVITY)
        actor = response.json()
        urls = channel_urls("south")
        self.assertEqual(actor["id"], urls.actor)
        self.assertEqual(actor["type"], "Organization")
        self.assertEqual(actor["preferredUsername"], "south")
        self.assertEqual(actor["name"], "South Online Safety")
        self.assertEqual(actor["nameMap"]["zh-Hans"], "south网络安全")
        self.assertEqual(actor["inbox"], urls.inbox)
        self.assertEqual(actor["outbox"], urls.outbox)
        self.assertEqual(actor["followers"], urls.followers)
        self.assertEqual(actor["url"], urls.channel)
        key = ChannelKey.objects.get(unit=self.south)
        self.assertEqual(actor["publicKey"]["id"], f"{urls.actor}#main-key")
        self.assertEqual(actor["publicKey"]["owner"], urls.actor)
        self.assertEqual(actor["publicKey"]["publicKeyPem"], key.public_key_pem)
        self.assertNotIn("PRIVATE", response.content.decode())
        self.assertTrue(AuditEvent.objects.filter(action="federation.key_created").exists())

    def test_it_keeps_the_same_key_on_later_requests(self) -> None:
        client = self.reporter()
        first = client.get("/u/east/actor", headers={"Accept": LD}).json()
        second = client.get("/u/east/actor", headers={"Accept": LD}).json()
        self.assertEqual(first["publicKey"], second["publicKey"])
        self.assertEqual(ChannelKey.objects.filter(unit=self.east).count(), 1)

    def test_it_sends_a_browser_to_the_channel_page(self) -> None:
        response = self.reporter().get("/u/south/actor", headers={"Accept": "text/html"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("/u/south/"))

    def test_it_answers_404_for_an_unknown_unit(self) -> None:
        for path in ("/u/nowhere/actor", "/u/nowhere/outbox", "/u/nowhere/followers"):
            with self.subTest(path=path):
                self.assertEqual(self.reporter().get(path).status_code, 404)


class OutboxTests(Personas):
    def test_it_pages_the_published_posts_newest_first(self) -> None:
        start = timezone.now() - timedelta(days=30)
        for number in range(25):
            published(
                self.south,
                self.publisher,
                title=f"Post {number}",
                at=start + timedelta(hours=number),
            )
        client = self.reporter()
        collection = client.get("/u/south/outbox").json()
        outbox = channel_urls("south").outbox
        self.assertEqual(collection["type"], "OrderedCollection")
        self.assertEqual(collection["totalItems"], 25)
        self.assertEqual(collection["first"], f"{outbox}?page=1")
        self.assertEqual(collection["last"], f"{outbox}?page=2")
        first = client.get("/u/south/outbox?page=1").json()
        self.assertEqual(first["type"], "OrderedCollectionPage")
        self.assertEqual(len(first["orderedItems"]), 20)
        self.assertEqual(first["next"], f"{outbox}?page=2")
        self.assertNotIn("prev", first)
        newest = first["orderedItems"][0]
        self.assertEqual(newest["type"], "Create")
        self.assertEqual(newest["object"]["name"], "Post 24")
        second = client.get("/u/south/outbox?page=2").json()
        self.assertEqual(len(second["orderedItems"]), 5)
        self.assertEqual(second["prev"], f"{outbox}?page=1")
        self.assertNotIn("next", second)
        self.assertEqual(client.get("/u/south/outbox?page=3").status_code, 404)
        self.assertEqual(client.get("/u/south/outbox?page=x").status_code, 404)

    def test_it_shows_a_case_report_as_a_public_note_to_the_followers(self) -> None:
        post = published(
            self.east, self.publisher, title="Case closed", kind=PublicationKind.CASE_REPORT
        )
        item = self.reporter().get("/u/east/outbox?page=1").json()["orderedItems"][0]
        note = item["object"]
        urls = channel_urls("east")
        self.assertEqual(note["type"], "Note")
        self.assertEqual(note["attributedTo"], urls.actor)
        self.assertIn("Case closed", note["content"])
        self.assertIn("不要付款", note["contentMap"]["zh-Hans"])
        self.assertTrue(note["url"].endswith(f"/u/east/posts/{post.pk}/"))
        self.assertEqual(item["to"], [PUBLIC])
        self.assertEqual(item["cc"], [urls.followers])
        self.assertEqual(note["published"], f"{post.published_at:%Y-%m-%dT%H:%M:%SZ}")

    def test_it_leaves_out_drafts_withdrawn_posts_and_other_units(self) -> None:
        published(self.south, self.publisher, title="Draft", status=PublicationStatus.DRAFT)
        published(self.south, self.publisher, title="Withdrawn", status=PublicationStatus.WITHDRAWN)
        published(self.east, self.publisher, title="Elsewhere")
        collection = self.reporter().get("/u/south/outbox").json()
        self.assertEqual(collection["totalItems"], 0)
        page = self.reporter().get("/u/south/outbox?page=1")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.json()["orderedItems"], [])

    def test_it_sanitises_the_html_content_and_keeps_the_title_as_plain_text(self) -> None:
        post = published(self.south, self.publisher, title="<b>Warning</b>")
        post.body_en = "<img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**"
        post.save()
        item = self.reporter().get("/u/south/outbox?page=1").json()["orderedItems"][0]
        article = item["object"]
        self.assertNotIn("<img", article["content"])
        self.assertNotIn('href="javascript', article["content"])
        self.assertIn("<strong>bold</strong>", article["content"])
        # ActivityStreams `name` is plain text, never HTML: receivers escape it.
        self.assertEqual(article["name"], "<b>Warning</b>")


class FollowersTests(Personas):
    def test_it_lists_accepted_followers_only(self) -> None:
        now = timezone.now()
        accepted = remote_actor("https://one.example/users/a")
        ended = remote_actor("https://two.example/users/b")
        Follower.objects.create(
            unit=self.south,
            actor=accepted,
            follow_id="https://one.example/f/1",
            state=FollowState.ACCEPTED,
            since=now,
        )
        Follower.objects.create(
            unit=self.south,
            actor=ended,
            follow_id="https://two.example/f/1",
            state=FollowState.ENDED,
            since=now,
            ended_at=now,
        )
        collection = self.reporter().get("/u/south/followers").json()
        self.assertEqual(collection["totalItems"], 1)
        page = self.reporter().get("/u/south/followers?page=1").json()
        self.assertEqual(page["orderedItems"], [accepted.uri])
