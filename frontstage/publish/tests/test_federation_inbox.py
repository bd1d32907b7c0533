"""The inbox: signed Follow, Undo, Accept and Create from other servers; everything else, and
anything not properly signed, is refused."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from frontstage.audit.models import AuditEvent
from frontstage.publish.activitypub import channel_urls
from frontstage.publish.models import (
    Delivery,
    Follower,
    Following,
    FollowState,
    ReceivedPost,
)
from frontstage.publish.tests.federation_support import (
    REMOTE,
    follow_activity,
    remote_actor,
    signed_post,
)
from frontstage.test import Personas

INBOX = "/u/south/inbox"


def create_note(note_id: str = f"{REMOTE}/statuses/1", actor: str = REMOTE) -> dict[str, Any]:
    return {
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor,
        "object": {"id": note_id, "type": "Note", "attributedTo": actor, "content": "<p>Hi</p>"},
    }


class InboxFollowTests(Personas):
    def setUp(self) -> None:
        self.remote = remote_actor()
        # Remote servers send no CSRF token: the inbox must work with checks enforced.
        self.client = Client(enforce_csrf_checks=True)

    def test_it_accepts_a_signed_follow_and_queues_an_accept(self) -> None:
        follow = follow_activity("south")
        response = signed_post(self.client, INBOX, follow)
        self.assertEqual(response.status_code, 202)
        follower = Follower.objects.get(unit=self.south, actor=self.remote)
        self.assertEqual(follower.state, FollowState.ACCEPTED)
        self.assertEqual(follower.follow_id, follow["id"])
        delivery = Delivery.objects.get(unit=self.south)
        self.assertEqual(delivery.inbox, self.remote.inbox)
        self.assertEqual(delivery.activity["type"], "Accept")
        self.assertEqual(delivery.activity["actor"], channel_urls("south").actor)
        self.assertEqual(delivery.activity["object"]["id"], follow["id"])
        self.assertTrue(AuditEvent.objects.filter(action="federation.follower_accepted").exists())

    def test_it_ends_a_follow_on_undo(self) -> None:
        follow = follow_activity("south")
        signed_post(self.client, INBOX, follow)
        undo = {"id": f"{REMOTE}#undo/1", "type": "Undo", "actor": REMOTE, "object": follow}
        response = signed_post(self.client, INBOX, undo)
        self.assertEqual(response.status_code, 202)
        follower = Follower.objects.get(unit=self.south, actor=self.remote)
        self.assertEqual(follower.state, FollowState.ENDED)
        self.assertIsNotNone(follower.ended_at)
        self.assertEqual(self.reporter().get("/u/south/followers").json()["totalItems"], 0)

    def test_it_refuses_a_follow_of_another_channel(self) -> None:
        follow = follow_activity("east")
        response = signed_post(self.client, INBOX, follow)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Follower.objects.exists())


class InboxSignatureTests(Personas):
    def setUp(self) -> None:
        self.remote = remote_actor()

    def assertRefused(self, response: Any, status: int) -> None:
        self.assertEqual(response.status_code, status)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertFalse(Follower.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="federation.inbox_refused").exists())

    def test_it_refuses_an_unsigned_request_with_401(self) -> None:
        response = self.client.post(
            INBOX, follow_activity("south"), content_type="application/json"
        )
        self.assertRefused(response, 401)

    def test_it_refuses_a_tampered_body_with_401(self) -> None:
        follow = follow_activity("south")
        tampered = follow_activity("south", follow_id=f"{REMOTE}#follows/2")
        import json

        response = signed_post(self.client, INBOX, follow, body=json.dumps(tampered).encode())
        self.assertRefused(response, 401)
        self.assertIn("Digest", response.json()["detail"])

    def test_it_refuses_a_request_signed_with_another_key_with_401(self) -> None:
        response = signed_post(self.client, INBOX, follow_activity("south"), key="intruder")
        self.assertRefused(response, 401)

    def test_it_refuses_a_date_more_than_12_hours_away_with_401(self) -> None:
        old = timezone.now() - timedelta(hours=13)
        response = signed_post(self.client, INBOX, follow_activity("south"), now=old)
        self.assertRefused(response, 401)
        self.assertIn("12 hours", response.json()["detail"])

    def test_it_accepts_a_date_within_12_hours(self) -> None:
        recent = timezone.now() - timedelta(hours=11)
        response = signed_post(self.client, INBOX, follow_activity("south"), now=recent)
        self.assertEqual(response.status_code, 202)

    def test_it_refuses_an_activity_of_another_actor_with_403(self) -> None:
        other = "https://remote.example/users/mallory"
        response = signed_post(self.client, INBOX, follow_activity("south", actor=other))
        self.assertRefused(response, 403)

    def test_it_refuses_a_body_over_one_megabyte_with_413(self) -> None:
        big = {**follow_activity("south"), "padding": "x" * 1_100_000}
        response = signed_post(self.client, INBOX, big)
        self.assertRefused(response, 413)

    def test_it_refuses_unknown_activity_types_with_400(self) -> None:
        like = {"id": f"{REMOTE}#likes/1", "type": "Like", "actor": REMOTE, "object": "x"}
        response = signed_post(self.client, INBOX, like)
        self.assertRefused(response, 400)
        self.assertIn("Like", response.json()["detail"])

    def test_it_refuses_a_body_that_is_not_json_with_400(self) -> None:
        response = signed_post(self.client, INBOX, follow_activity("south"), body=b"not json")
        # The Digest no longer matches either, but JSON is checked before the key is fetched.
        self.assertRefused(response, 400)

    def test_it_answers_404_for_an_unknown_unit(self) -> None:
        response = signed_post(self.client, "/u/nowhere/inbox", follow_activity("nowhere"))
        self.assertEqual(response.status_code, 404)

    def test_it_only_takes_posts(self) -> None:
        self.assertEqual(self.client.get(INBOX).status_code, 405)


class InboxFollowingTests(Personas):
    """Answers and posts from an actor the unit asked to follow."""

    def setUp(self) -> None:
        self.remote = remote_actor()
        self.following = Following.objects.create(
            unit=self.south,
            actor=self.remote,
            follow_id=f"{channel_urls('south').actor}#follows/abc",
            state=FollowState.PENDING,
            since=timezone.now(),
        )

    def test_it_records_an_accepted_follow(self) -> None:
        accept = {
            "id": f"{REMOTE}#accepts/1",
            "type": "Accept",
            "actor": REMOTE,
            "object": {"id": self.following.follow_id, "type": "Follow"},
        }
        self.assertEqual(signed_post(self.client, INBOX, accept).status_code, 202)
        self.following.refresh_from_db()
        self.assertEqual(self.following.state, FollowState.ACCEPTED)

    def test_it_refuses_an_accept_of_a_follow_never_sent(self) -> None:
        accept = {"id": f"{REMOTE}#a/2", "type": "Accept", "actor": REMOTE, "object": "https://x/f"}
        self.assertEqual(signed_post(self.client, INBOX, accept).status_code, 400)
        self.following.refresh_from_db()
        self.assertEqual(self.following.state, FollowState.PENDING)

    def test_it_refuses_posts_until_the_follow_is_accepted(self) -> None:
        response = signed_post(self.client, INBOX, create_note())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ReceivedPost.objects.exists())

    def test_it_keeps_a_post_of_a_followed_actor_once(self) -> None:
        self.following.state = FollowState.ACCEPTED
        self.following.save()
        for _attempt in range(2):  # servers retry; the second copy changes nothing
            self.assertEqual(signed_post(self.client, INBOX, create_note()).status_code, 202)
        post = ReceivedPost.objects.get(unit=self.south)
        self.assertEqual(post.object_id, f"{REMOTE}/statuses/1")
        self.assertEqual(post.actor, self.remote)

    def test_it_refuses_a_post_claiming_another_server(self) -> None:
        self.following.state = FollowState.ACCEPTED
        self.following.save()
        forged = create_note(note_id="https://victim.example/statuses/9")
        self.assertEqual(signed_post(self.client, INBOX, forged).status_code, 400)
        self.assertFalse(ReceivedPost.objects.exists())
