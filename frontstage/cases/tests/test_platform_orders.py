"""Orders to platforms: issued when a sanction takes effect, delivered by signed webhook or
e-mail with retries, and expired when the platform lets the deadline pass."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions.orders import issue_order, platform_for
from frontstage.cases.models import (
    CaseEvent,
    CaseEventKind,
    OrderAction,
    OrderStatus,
    PlatformOrder,
    Subject,
)
from frontstage.cases.orders_delivery import MAX_ATTEMPTS, deliver_due, run_once
from frontstage.cases.tests.test_decisions import DecisionSetup
from frontstage.intake.actions import issue_api_client
from frontstage.intake.models import ApiClient, ClientKind, ClientStatus


class Platform(BaseHTTPRequestHandler):
    """The platform's order endpoint, on loopback."""

    received: list[tuple[dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Platform.received.append((dict(self.headers), body))
        self.send_response(Platform.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class OrderSetup(DecisionSetup):
    """DecisionSetup plus a platform `weibo` serving south.example, with a live webhook and
    its bearer token in `self.token` (no test of its own)."""

    platform: ApiClient
    token: str

    def setUp(self) -> None:
        super().setUp()
        Platform.received, Platform.status = [], 200
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Platform)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        issued = issue_api_client(
            name="Weibo",
            kind=ClientKind.PLATFORM,
            unit=self.national,
            webhook_url=f"http://127.0.0.1:{self.server.server_port}/orders",
            platform="weibo",
            domains=["south.example"],
            by=self.unit_admin,
        )
        self.platform, self.token = issued.client, issued.token

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        super().tearDown()

    def removed(self) -> PlatformOrder:
        return self.act(self.removal()).sanctions.get().orders.get()


class IssuingOrders(OrderSetup):
    def test_it_orders_the_platform_hosting_the_url_to_remove_it(self) -> None:
        order = self.removed()
        self.assertEqual((order.client, order.action), (self.platform, OrderAction.REMOVE))
        self.assertEqual((order.item, order.status), ("south.example/scam", OrderStatus.PENDING))
        self.assertIn(self.ground.reference, order.legal_basis)
        self.assertEqual(order.deadline - order.created_at, timedelta(hours=24))
        event = CaseEvent.objects.filter(kind=CaseEventKind.ORDER).get()
        self.assertEqual(event.payload["order"], order.reference)
        self.assertTrue(AuditEvent.objects.filter(action="order.issued").exists())

    def test_it_gives_a_platform_72_hours_to_label(self) -> None:
        order = self.act(self.removal(kind="label", deviation_reason="Opinion")).sanctions.get()
        placed = order.orders.get()
        self.assertEqual(placed.deadline - placed.created_at, timedelta(hours=72))

    def test_it_orders_the_platform_named_in_the_account_to_suspend_it(self) -> None:
        request = self.warning(kind="suspend", days=30, deviation_reason="Organised")
        order = self.act(request).sanctions.get().orders.get()
        self.assertEqual((order.action, order.item), (OrderAction.SUSPEND, "weibo:parcelscam"))

    def test_it_sends_no_order_for_a_warning(self) -> None:
        self.act(self.warning())
        self.assertFalse(PlatformOrder.objects.exists())

    def test_it_finds_the_platform_of_a_subdomain_through_its_parent(self) -> None:
        subject = Subject.objects.create(kind="url", key="m.shop.south.example/pay")
        self.assertEqual(platform_for(subject), self.platform)

    def test_it_finds_no_platform_for_an_unknown_host_and_says_so(self) -> None:
        ApiClient.objects.filter(pk=self.platform.pk).update(domains=["elsewhere.example"])
        self.assertIsNone(self.removed_or_none())
        response = self.client_for(self.analyst).get(f"/console/cases/{self.case.pk}/")
        self.assertContains(response, "No platform is registered for south.example")

    def test_it_sends_nothing_to_a_suspended_platform(self) -> None:
        ApiClient.objects.filter(pk=self.platform.pk).update(status=ClientStatus.SUSPENDED)
        self.assertIsNone(self.removed_or_none())

    def test_it_issues_a_restore_order_when_asked(self) -> None:
        sanction = self.removed().sanction
        order = issue_order(sanction=sanction, action=OrderAction.RESTORE, by=self.supervisor)
        assert order is not None
        self.assertEqual(order.action, OrderAction.RESTORE)
        self.assertEqual(order.deadline - order.created_at, timedelta(hours=24))

    def removed_or_none(self) -> PlatformOrder | None:
        return self.act(self.removal()).sanctions.get().orders.first()


class DeliveringOrders(OrderSetup):
    def test_it_delivers_a_signed_order_the_platform_can_verify(self) -> None:
        order = self.removed()
        self.assertEqual(deliver_due(), (1, 0))
        headers, body = Platform.received[0]
        timestamp, signature = (
            part.split("=", 1)[1] for part in headers["X-Frontstage-Signature"].split(",")
        )
        expected = hmac.new(
            self.platform.webhook_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        )
        self.assertEqual(signature, expected.hexdigest())
        sent = json.loads(body)
        self.assertEqual((sent["action"], sent["item"]), ("remove", "south.example/scam"))
        order.refresh_from_db()
        self.assertEqual(order.status, OrderStatus.SENT)
        self.assertIsNotNone(order.sent_at)
        self.assertTrue(AuditEvent.objects.filter(action="order.sent").exists())

    def test_it_retries_later_when_the_platform_fails(self) -> None:
        Platform.status = 503
        order = self.removed()
        self.assertEqual(deliver_due(), (0, 1))
        order.refresh_from_db()
        self.assertEqual((order.status, order.attempts), (OrderStatus.PENDING, 1))
        self.assertIn("503", order.last_error)
        self.assertEqual(deliver_due(), (0, 0))  # not due again yet
        later = timezone.now() + timedelta(minutes=2)
        Platform.status = 200
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(deliver_due(), (1, 0))
        order.refresh_from_db()
        self.assertEqual(order.status, OrderStatus.SENT)

    def test_it_gives_up_after_the_last_attempt(self) -> None:
        Platform.status = 500
        order = self.removed()
        PlatformOrder.objects.filter(pk=order.pk).update(attempts=MAX_ATTEMPTS - 1)
        deliver_due()
        order.refresh_from_db()
        self.assertIsNone(order.next_attempt_at)
        self.assertEqual(order.status, OrderStatus.PENDING)

    def test_it_emails_the_order_when_an_address_is_given(self) -> None:
        order = self.removed()
        PlatformOrder.objects.filter(pk=order.pk).update(email="legal@weibo.example")
        self.assertEqual(deliver_due(), (1, 0))
        self.assertEqual(mail.outbox[-1].to, ["legal@weibo.example"])
        self.assertIn("south.example/scam", mail.outbox[-1].body)
        self.assertEqual(Platform.received, [])

    def test_it_emails_a_platform_without_a_webhook_at_the_address_it_was_issued_with(
        self,
    ) -> None:
        ApiClient.objects.filter(pk=self.platform.pk).update(
            webhook_url="", email="orders@weibo.example"
        )
        order = self.removed()
        self.assertEqual(order.email, "orders@weibo.example")
        self.assertEqual(deliver_due(), (1, 0))
        self.assertEqual(mail.outbox[-1].to, ["orders@weibo.example"])

    def test_it_expires_an_order_past_its_deadline_without_an_answer(self) -> None:
        order = self.removed()
        later = timezone.now() + timedelta(hours=25)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(run_once()["expired"], 1)
        order.refresh_from_db()
        self.assertEqual(order.status, OrderStatus.EXPIRED)
        self.assertTrue(AuditEvent.objects.filter(action="order.expired").exists())

    def test_it_runs_as_a_command(self) -> None:
        self.removed()
        out = StringIO()
        call_command("orders", "deliver", "--once", stdout=out)
        self.assertIn("1 sent, 0 failed", out.getvalue())
