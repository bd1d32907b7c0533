"""WebFinger: how a Mastodon user typing @south@our-host finds the channel's actor."""

from frontstage.publish.activitypub import JRD_JSON, channel_urls
from frontstage.test import Personas


class WebFingerTests(Personas):
    def test_it_finds_a_units_actor_by_its_handle(self) -> None:
        response = self.reporter().get("/.well-known/webfinger?resource=acct:south@testserver")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], JRD_JSON)
        document = response.json()
        self.assertEqual(document["subject"], "acct:south@testserver")
        self_link = next(link for link in document["links"] if link["rel"] == "self")
        self.assertEqual(self_link["type"], "application/activity+json")
        self.assertEqual(self_link["href"], channel_urls("south").actor)

    def test_it_accepts_the_host_of_the_site_url_too(self) -> None:
        with self.settings(SITE_URL="https://frontstage.example"):
            response = self.reporter().get(
                "/.well-known/webfinger", {"resource": "acct:east@frontstage.example"}
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("https://frontstage.example/u/east/actor", response.content.decode())

    def test_it_accepts_the_actor_url_as_resource(self) -> None:
        actor = channel_urls("east").actor
        response = self.reporter().get("/.well-known/webfinger", {"resource": actor})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["subject"], "acct:east@127.0.0.1:8000")

    def test_it_answers_404_for_an_unknown_unit_or_another_host(self) -> None:
        client = self.reporter()
        for resource in ("acct:nobody@testserver", "acct:south@elsewhere.example"):
            with self.subTest(resource=resource):
                response = client.get("/.well-known/webfinger", {"resource": resource})
                self.assertEqual(response.status_code, 404)

    def test_it_answers_400_for_a_malformed_resource(self) -> None:
        client = self.reporter()
        for resource in ("", "south", "acct:south", "acct:@testserver", "mailto:a@b"):
            with self.subTest(resource=resource):
                response = client.get("/.well-known/webfinger", {"resource": resource})
                self.assertEqual(response.status_code, 400)
