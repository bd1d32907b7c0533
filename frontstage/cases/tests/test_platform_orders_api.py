"""The platform-facing API: a platform lists its orders and answers them with its token."""

from datetime import timedelta
from typing import Any
from unittest import mock

from django.test import Client
from django.utils import timezone

from frontstage.audit.models import AuditEvent
from frontstage.cases.models import CaseEvent, CaseEventKind, OrderStatus, PlatformOrder
from frontstage.cases.orders_delivery import deliver_due
from frontstage.cases.tests.test_platform_orders import OrderSetup
from frontstage.intake.actions import issue_api_client
from frontstage.intake.models import ApiClient, ClientKind, ClientStatus

BASE = "/api/v1/platform-orders"


class PlatformOrdersApi(OrderSetup):
    def setUp(self) -> None:
        super().setUp()
        self.order = self.removed()

    def call(self, method: str, path: str, token: str | None = None, **body: Any) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        if method == "get":
            return Client().get(f"{BASE}{path}", headers=headers)
        return Client().post(
            f"{BASE}{path}", data=body or {}, content_type="application/json", headers=headers
        )

    def test_it_lists_the_platforms_orders(self) -> None:
        response = self.call("get", "")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 1)
        self.assertEqual(data["results"][0]["reference"], self.order.reference)
        self.assertEqual(data["results"][0]["item"], "south.example/scam")

    def test_it_filters_by_status_and_explains_an_unknown_one(self) -> None:
        self.assertEqual(self.call("get", "?status=complied").json()["count"], 0)
        response = self.call("get", "?status=done")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Unknown status", response.json()["detail"])

    def test_it_acknowledges_then_complies_and_counts_the_compliance_time(self) -> None:
        deliver_due()
        response = self.call("post", f"/{self.order.pk}/acknowledge")
        self.assertEqual((response.status_code, response.json()["status"]), (200, "acknowledged"))
        later = timezone.now() + timedelta(hours=3)
        with mock.patch("django.utils.timezone.now", return_value=later):
            response = self.call("post", f"/{self.order.pk}/comply", note="Removed")
        self.assertEqual(response.json()["status"], "complied")
        self.assertGreaterEqual(response.json()["compliance_seconds"], 3 * 3600 - 5)
        self.order.refresh_from_db()
        self.assertEqual((self.order.status, self.order.answer), (OrderStatus.COMPLIED, "Removed"))
        self.assertTrue(AuditEvent.objects.filter(action="order.complied").exists())
        self.assertEqual(
            CaseEvent.objects.filter(kind=CaseEventKind.ORDER, case=self.case).count(), 4
        )  # issued, sent, acknowledged, complied

    def test_it_complies_without_a_body(self) -> None:
        response = Client().post(
            f"{BASE}/{self.order.pk}/comply",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )
        self.assertEqual(response.json()["status"], "complied")

    def test_it_records_a_refusal_with_its_reason(self) -> None:
        response = self.call("post", f"/{self.order.pk}/refuse", reason="Content is lawful here")
        self.assertEqual(response.json()["status"], "refused")
        self.order.refresh_from_db()
        self.assertEqual(self.order.answer, "Content is lawful here")

    def test_it_refuses_a_refusal_without_a_reason(self) -> None:
        response = self.call("post", f"/{self.order.pk}/refuse")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "reason")

    def test_it_refuses_to_answer_an_order_twice(self) -> None:
        self.call("post", f"/{self.order.pk}/comply")
        response = self.call("post", f"/{self.order.pk}/refuse", reason="Changed our mind")
        self.assertEqual(response.status_code, 422)
        self.assertIn("already", response.json()["detail"])

    def test_it_asks_for_a_token(self) -> None:
        self.assertEqual(Client().get(BASE).status_code, 401)
        self.assertEqual(self.call("get", "", token="fs_wrong").status_code, 401)

    def test_it_refuses_a_flaggers_token(self) -> None:
        flagger = issue_api_client(
            name="NGO", kind=ClientKind.TRUSTED_FLAGGER, unit=self.south, by=self.unit_admin
        )
        self.assertEqual(self.call("get", "", token=flagger.token).status_code, 401)

    def test_it_refuses_a_suspended_platform(self) -> None:
        ApiClient.objects.filter(pk=self.platform.pk).update(status=ClientStatus.SUSPENDED)
        self.assertEqual(self.call("get", "").status_code, 403)
        self.assertEqual(self.call("post", f"/{self.order.pk}/acknowledge").status_code, 403)

    def test_it_hides_orders_sent_to_another_platform(self) -> None:
        other = issue_api_client(
            name="Other",
            kind=ClientKind.PLATFORM,
            unit=self.national,
            platform="other",
            by=self.unit_admin,
        )
        self.assertEqual(self.call("get", f"/{self.order.pk}", token=other.token).status_code, 404)
        response = self.call("post", f"/{self.order.pk}/acknowledge", token=other.token)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(PlatformOrder.objects.get().status, OrderStatus.PENDING)
