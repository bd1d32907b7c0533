"""Announcing posts to followers and sending deliveries with retries."""

from datetime import timedelta
from unittest.mock import patch

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from frontstage.audit.models import AuditEvent
from frontstage.lib.actors import SYSTEM
from frontstage.publish.actions.federation import FederationError, announce, follow
from frontstage.publish.activitypub import channel_urls
from frontstage.publish.delivery import MAX_ATTEMPTS, RemoteError, check_url, deliver_due
from frontstage.publish.models import (
    Delivery,
    Follower,
    Following,
    FollowState,
    PublicationStatus,
)
from frontstage.publish.tests.federation_support import published, remote_actor
from frontstage.test import Personas


class AnnounceTests(Personas):
    def setUp(self) -> None:
        now = timezone.now()
        shared = "https://big.example/inbox"
        for uri, inbox in (
            ("https://big.example/users/a", shared),
            ("https://big.example/users/b", shared),
            ("https://small.example/users/c", ""),
        ):
            Follower.objects.create(
                unit=self.south,
                actor=remote_actor(uri, shared_inbox=inbox),
                follow_id=f"{uri}#f",
                state=FollowState.ACCEPTED,
                since=now,
            )
        gone = remote_actor("https://gone.example/users/d")
        Follower.objects.create(
            unit=self.south,
            actor=gone,
            follow_id="https://gone.example/f",
            state=FollowState.ENDED,
            since=now,
            ended_at=now,
        )

    def test_it_sends_a_new_post_once_per_server_to_current_followers(self) -> None:
        post = published(self.south, self.publisher)
        with transaction.atomic():
            announce(publication=post, by=self.publisher)
        inboxes = sorted(Delivery.objects.values_list("inbox", flat=True))
        self.assertEqual(
            inboxes, ["https://big.example/inbox", "https://small.example/users/c/inbox"]
        )
        activity = Delivery.objects.first().activity  # type: ignore[union-attr]
        self.assertEqual(activity["type"], "Create")
        self.assertEqual(activity["actor"], channel_urls("south").actor)
        self.assertTrue(AuditEvent.objects.filter(action="federation.announced").exists())

    def test_it_sends_a_delete_when_a_post_is_withdrawn(self) -> None:
        post = published(self.south, self.publisher, status=PublicationStatus.WITHDRAWN)
        announce(publication=post, by=self.publisher)
        activity = Delivery.objects.first().activity  # type: ignore[union-attr]
        self.assertEqual(activity["type"], "Delete")
        self.assertEqual(activity["object"]["type"], "Tombstone")
        self.assertTrue(activity["object"]["id"].endswith(f"/posts/{post.pk}/"))

    def test_it_sends_nothing_for_a_draft(self) -> None:
        post = published(self.south, self.publisher, status=PublicationStatus.DRAFT)
        announce(publication=post, by=self.publisher)
        self.assertFalse(Delivery.objects.exists())


class DeliverTests(Personas):
    def setUp(self) -> None:
        self.delivery = Delivery.objects.create(
            unit=self.south,
            inbox="https://remote.example/inbox",
            activity={"type": "Create"},
            next_attempt_at=timezone.now(),
            created_at=timezone.now(),
        )

    def test_it_marks_a_delivery_done_when_the_inbox_takes_it(self) -> None:
        with patch("frontstage.publish.delivery.post_signed") as post:
            self.assertEqual(deliver_due(), (1, 0))
        sent = post.call_args.kwargs
        self.assertEqual(sent["url"], "https://remote.example/inbox")
        self.assertEqual(sent["key_id"], channel_urls("south").key_id)
        self.delivery.refresh_from_db()
        self.assertIsNotNone(self.delivery.delivered_at)
        self.assertEqual(deliver_due(), (0, 0))  # nothing sent twice

    def test_it_retries_with_growing_waits_then_gives_up(self) -> None:
        start = timezone.now()
        failing = patch(
            "frontstage.publish.delivery.post_signed", side_effect=RemoteError("HTTP 503")
        )
        with failing, patch("django.utils.timezone.now") as now:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                now.return_value = start + timedelta(days=attempt)
                self.assertEqual(deliver_due(), (0, 1))
                self.delivery.refresh_from_db()
                self.assertEqual(self.delivery.attempts, attempt)
                if attempt < MAX_ATTEMPTS:
                    wait = self.delivery.next_attempt_at - now.return_value
                    self.assertEqual(wait, timedelta(minutes=2 ** (attempt - 1)))
                    self.assertEqual(deliver_due(), (0, 0))  # not due yet
        self.assertIsNotNone(self.delivery.given_up_at)
        self.assertEqual(self.delivery.last_error, "HTTP 503")
        self.assertTrue(AuditEvent.objects.filter(action="federation.delivery_given_up").exists())


class UrlPolicyTests(Personas):
    @override_settings(FEDERATION_ALLOW_HTTP=False)
    def test_it_contacts_only_https_public_addresses_in_production(self) -> None:
        for url in ("http://example.org/actor", "https://127.0.0.1/actor", "https://10.0.0.1/a"):
            with self.subTest(url=url), self.assertRaises(RemoteError):
                check_url(url)

    @override_settings(FEDERATION_ALLOW_HTTP=True)
    def test_it_allows_loopback_http_when_allowed(self) -> None:
        check_url("http://127.0.0.1:8123/u/x/actor")


class FollowActionTests(Personas):
    def test_it_queues_a_follow_to_the_remote_inbox(self) -> None:
        remote = remote_actor()
        with patch("frontstage.publish.actions.federation.fetch_actor", return_value=remote):
            following = follow(unit=self.south, actor_uri=remote.uri, by=SYSTEM)
        self.assertEqual(following.state, FollowState.PENDING)
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.inbox, remote.inbox)
        self.assertEqual(delivery.activity["type"], "Follow")
        self.assertEqual(delivery.activity["id"], following.follow_id)
        self.assertEqual(delivery.activity["object"], remote.uri)

    def test_it_refuses_to_follow_twice(self) -> None:
        remote = remote_actor()
        Following.objects.create(
            unit=self.south,
            actor=remote,
            follow_id="https://x/f",
            state=FollowState.ACCEPTED,
            since=timezone.now(),
        )
        fetched = patch("frontstage.publish.actions.federation.fetch_actor", return_value=remote)
        with fetched, self.assertRaisesMessage(FederationError, "already follows"):
            follow(unit=self.south, actor_uri=remote.uri, by=SYSTEM)

    @override_settings(FEDERATION_ALLOW_HTTP=False)
    def test_it_says_what_to_fix_when_the_address_is_wrong(self) -> None:
        with self.assertRaisesMessage(FederationError, "Check the address"):
            follow(unit=self.south, actor_uri="not an address", by=SYSTEM)
        self.assertFalse(Following.objects.exists())
