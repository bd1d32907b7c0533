"""Two Frontstage instances on loopback. A is this test's live server; B is a second server
process with its own SQLite file. A unit on B follows A's channel with signed requests, A
accepts, A publishes, and the post arrives in B's database. Nothing but 127.0.0.1 is contacted.
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.test import LiveServerTestCase

from frontstage.accounts.models import RoleKind
from frontstage.publish import signatures
from frontstage.publish.actions.posts import approve_publication, draft_advisory
from frontstage.publish.delivery import deliver_due, fetch_actor
from frontstage.publish.models import ChannelKey, Delivery, Follower, FollowState
from frontstage.test import CommittedTestCase, make_staff, make_unit
from frontstage.units.models import UnitLevel

ROOT = Path(settings.BASE_DIR).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class InstanceB:
    """A second Frontstage: migrated, seeded with the unit "bee", served by runserver."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="frontstage-b-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = self.dir / "b.sqlite3"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db}",
            "DATA_DIR": str(self.dir),
            "SECRET_KEY": "instance-b-test-key-not-secret",
            "SITE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "1",  # allows http:// and loopback federation (FEDERATION_ALLOW_HTTP)
            "no_proxy": "127.0.0.1",
        }
        self.server: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "frontstage", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0:
            raise AssertionError(f"instance B: {args} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        self.run("migrate", "--noinput")
        self.run(
            "shell",
            "-c",
            "from frontstage.units.actions import create_unit; "
            "create_unit(slug='bee', level='national', name_en='Bee Online Safety', "
            "name_zh='蜜蜂网络安全', by='system')",
        )
        self.server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "frontstage",
                "runserver",
                "--noreload",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/u/bee/", timeout=2):  # noqa: S310
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise AssertionError("instance B did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as db:
            return db.execute(sql, params).fetchall()


class RoundTripTests(LiveServerTestCase, CommittedTestCase):
    host = "127.0.0.1"
    b: ClassVar[InstanceB]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.b = InstanceB()
        try:
            cls.b.start()
        except BaseException:
            cls.b.stop()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.b.stop()
        super().tearDownClass()

    def test_it_follows_a_channel_on_another_instance_and_receives_its_next_post(self) -> None:
        with self.settings(SITE_URL=self.live_server_url, FEDERATION_ALLOW_HTTP=True):
            alpha = make_unit("alpha", UnitLevel.NATIONAL, None, ["CN"])
            publisher = make_staff("pat", RoleKind.PUBLISHER, alpha)
            actor_a = f"{self.live_server_url}/u/alpha/actor"

            # B follows A: B reads A's actor over loopback, then sends a signed Follow.
            self.b.run("federation", "follow", "bee", actor_a)
            self.assertEqual(
                self.b.query("SELECT state FROM publish_following"), [(FollowState.PENDING,)]
            )
            self.assertIn("1 delivered", self.b.run("federation", "deliver", "--once"))

            # A verified B's signature with the key it fetched from B, and accepted.
            follower = Follower.objects.select_related("actor").get(unit=alpha)
            self.assertEqual(follower.state, FollowState.ACCEPTED)
            self.assertEqual(follower.actor.uri, f"{self.b.url}/u/bee/actor")
            self.assertEqual(deliver_due(), (1, 0))  # the Accept, verified by B with A's key
            self.assertEqual(
                self.b.query("SELECT state FROM publish_following"), [(FollowState.ACCEPTED,)]
            )

            # A publishes through the real actions; the Create reaches B.
            draft = draft_advisory(
                unit=alpha,
                by=publisher,
                title_en="Fake parcel-fee messages",
                body_en="Many reports this week of messages asking for a **parcel fee**.",
            )
            post = approve_publication(publication=draft, by=publisher)
            self.assertEqual(Delivery.objects.filter(delivered_at=None).count(), 1)
            self.assertEqual(deliver_due(), (1, 0))
            received = self.b.query("SELECT object_id, activity FROM publish_receivedpost")
            self.assertEqual(len(received), 1)
            object_id, activity = received[0]
            self.assertTrue(object_id.endswith(f"/u/alpha/posts/{post.pk}/"))
            self.assertEqual(json.loads(activity)["object"]["name"], "Fake parcel-fee messages")

            self._bad_signatures_are_refused(alpha, object_id)

    def _bad_signatures_are_refused(self, alpha: Any, object_id: str) -> None:
        """B refuses a Create from A whose body was changed after signing, or that another key
        signed; it keeps nothing of either."""
        key = ChannelKey.objects.get(unit=alpha)
        inbox = f"{self.b.url}/u/bee/inbox"
        note = {"id": f"{object_id}x", "type": "Note", "content": "forged"}
        activity = {"id": f"{object_id}x#create", "type": "Create", "object": note}
        activity["actor"] = f"{self.live_server_url}/u/alpha/actor"
        body = json.dumps(activity).encode()
        for name, pem, sent in (
            ("tampered body", key.private_key_pem, body.replace(b"forged", b"FORGED")),
            ("another key", signatures.new_key_pair()[0], body),
        ):
            with self.subTest(name):
                headers = signatures.sign(
                    method="POST",
                    url=inbox,
                    body=body,
                    private_key_pem=pem,
                    key_id=f"{activity['actor']}#main-key",
                    now=_now(),
                )
                request = urllib.request.Request(  # noqa: S310 - loopback only
                    inbox, data=sent, method="POST", headers=headers
                )
                with self.assertRaises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(request, timeout=10)  # noqa: S310
                self.assertEqual(refused.exception.code, 401)
        self.assertEqual(len(self.b.query("SELECT id FROM publish_receivedpost")), 1)
        # And A can still read B's actor, which B serves with its own key.
        self.assertEqual(fetch_actor(f"{self.b.url}/u/bee/actor").preferred_username, "bee")


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()
