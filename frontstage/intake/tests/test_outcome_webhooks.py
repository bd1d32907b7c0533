import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from frontstage.cases.actions import decide_case, move_case
from frontstage.intake.actions import Submission, issue_api_client, submit_report
from frontstage.intake.models import ClientKind, ReportSource, WebhookDelivery
from frontstage.intake.webhooks import deliver_due
from frontstage.lib.actors import client_actor
from frontstage.test import Personas


class Receiver(BaseHTTPRequestHandler):
    """The flagger's webhook endpoint, on loopback."""

    received: list[tuple[dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class OutcomeWebhooks(Personas):
    """The NGO's system learns the outcome of each notice without polling."""

    def setUp(self) -> None:
        Receiver.received, Receiver.status = [], 200
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{self.server.server_port}/hook"
        issued = issue_api_client(
            name="NGO",
            kind=ClientKind.TRUSTED_FLAGGER,
            unit=self.south,
            webhook_url=url,
            by=self.unit_admin,
        )
        self.flagger = issued.client
        submission = Submission(
            source=ReportSource.TRUSTED_FLAGGER,
            locations=[("url", "http://fake-shop.example/")],
            explanation="Fake shop taking deposits.",
            client=self.flagger,
            unit=self.south,
            external_ref="NGO-9",
        )
        case = submit_report(submission=submission, by=client_actor(self.flagger.pk)).report.case
        case = move_case(case=case, to="triaged", by=self.analyst)
        self.case = move_case(case=case, to="in_review", by=self.analyst)

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def test_it_delivers_a_signed_outcome_the_flagger_can_verify(self) -> None:
        decide_case(case=self.case, outcome="action_taken", by=self.supervisor)
        self.assertEqual(deliver_due(), (1, 0))
        headers, body = Receiver.received[0]
        timestamp, signature = (
            part.split("=", 1)[1] for part in headers["X-Frontstage-Signature"].split(",")
        )
        expected = hmac.new(
            self.flagger.webhook_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        )
        self.assertEqual(signature, expected.hexdigest())
        self.assertEqual(json.loads(body)["outcome"], "action_taken")
        self.assertEqual(json.loads(body)["reference"], "NGO-9")
        self.assertIsNotNone(WebhookDelivery.objects.get().delivered_at)

    def test_it_retries_later_when_the_receiver_fails(self) -> None:
        Receiver.status = 500
        decide_case(case=self.case, outcome="no_violation", by=self.supervisor)
        self.assertEqual(deliver_due(), (0, 1))
        delivery = WebhookDelivery.objects.get()
        self.assertEqual(delivery.attempts, 1)
        self.assertIsNone(delivery.delivered_at)
        self.assertIn("500", delivery.last_error)
        self.assertEqual(deliver_due(), (0, 0))  # not due again yet
