"""`frontstage sor submit` against a fake DSA Transparency Database on 127.0.0.1 that behaves
like the batch endpoint: all-or-nothing, 422 with errors keyed `statement_<index>`, the duplicate
PUID message; and the figures the transparency report reconciles."""

import json
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from frontstage.audit.models import AuditEvent
from frontstage.cases.models import Sanction, SanctionKind, StatementOfReasons
from frontstage.publish.actions.sor import sor_figures, submit
from frontstage.publish.models import StatementDelivery
from frontstage.publish.sor_client import DUPLICATE, TdbClient
from frontstage.publish.sor_validate import validate
from frontstage.publish.tests.test_sor_export import SorSetup

TOKEN = "test-token"


class FakeTdb:
    """The batch endpoint, in memory. `stored` holds the PUIDs it has; `refuse` maps a PUID to
    the field errors it answers for it; after `down_after` answered requests it fails with 503."""

    def __init__(self) -> None:
        self.stored: dict[str, str] = {}
        self.refuse: dict[str, dict[str, list[str]]] = {}
        self.down_after: int | None = None
        self.batches: list[list[str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, answer = fake.answer(self.path, self.headers, json.loads(body))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}/api/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, headers: Any, body: dict[str, Any]) -> tuple[int, Any]:
        if path != "/api/v1/statements":
            return 404, {"message": "Not found"}
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {"message": "Unauthenticated."}
        if self.down_after is not None and len(self.batches) >= self.down_after:
            return 503, {"message": "Service Unavailable"}
        statements = body.get("statements")
        if not isinstance(statements, list) or not 1 <= len(statements) <= 100:
            return 422, {
                "errors": {
                    "statements": ["The statements field must have between 1 and 100 items."]
                }
            }
        self.batches.append([s["puid"] for s in statements])
        errors: dict[str, Any] = {}
        for index, statement in enumerate(statements):
            fields: dict[str, list[str]] = {}
            for field, reason in validate(statement):
                fields.setdefault(field, []).append(reason)
            fields.update(self.refuse.get(statement["puid"], {}))
            if statement["puid"] in self.stored:
                fields["puid"] = [DUPLICATE]
            if fields:
                errors[f"statement_{index}"] = fields
        if errors:
            return 422, {"message": "The given data was invalid.", "errors": errors}
        created = []
        for statement in statements:
            self.stored[statement["puid"]] = str(uuid.uuid4())
            created.append({**statement, "uuid": self.stored[statement["puid"]]})
        return 201, {"statements": created}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Submitting(SorSetup):
    def setUp(self) -> None:
        super().setUp()
        self.tdb = FakeTdb()
        self.addCleanup(self.tdb.close)
        settings = override_settings(SOR_ENDPOINT=self.tdb.endpoint, SOR_TOKEN=TOKEN)
        settings.enable()
        self.addCleanup(settings.disable)
        self.statements = [self.first, *self.more("warn", "suspend", "restrict", "label")]
        self.puids = [s.puid for s in self.statements]

    def run_submit(self, *args: str) -> tuple[str, str, bool]:
        out, err = StringIO(), StringIO()
        try:
            call_command("sor", "submit", *args, stdout=out, stderr=err)
        except CommandError as error:
            return out.getvalue(), err.getvalue() + str(error), True
        return out.getvalue(), err.getvalue(), False

    def delivered(self) -> set[str]:
        return set(
            StatementDelivery.objects.filter(delivered_at__isnull=False).values_list(
                "statement__puid", flat=True
            )
        )

    def test_it_delivers_every_statement_in_batches(self) -> None:
        out, err, failed = self.run_submit("--batch", "2")
        self.assertFalse(failed, err)
        self.assertEqual([len(b) for b in self.tdb.batches], [2, 2, 1])
        self.assertEqual(set(self.tdb.stored), set(self.puids))
        self.assertEqual(self.delivered(), set(self.puids))
        self.assertIn("5 statements delivered, 0 already in the database", out)
        delivery = StatementDelivery.objects.get(statement=self.first)
        self.assertEqual(delivery.remote_uuid, self.tdb.stored[self.first.puid])
        self.assertFalse(delivery.duplicate)
        self.assertEqual(
            AuditEvent.objects.filter(action="statement.delivered").count(), len(self.puids)
        )

    def test_it_counts_a_duplicate_puid_as_delivered_and_resends_the_rest(self) -> None:
        self.tdb.stored[self.puids[1]] = "earlier"
        out, err, failed = self.run_submit()
        self.assertFalse(failed, err)
        self.assertEqual(
            self.tdb.batches, [self.puids, [p for p in self.puids if p != self.puids[1]]]
        )
        self.assertEqual(self.delivered(), set(self.puids))
        self.assertTrue(StatementDelivery.objects.get(statement=self.statements[1]).duplicate)
        self.assertIn("4 statements delivered, 1 already in the database", out)

    def test_it_records_a_refusal_with_its_reasons_and_delivers_the_others(self) -> None:
        self.tdb.refuse[self.puids[2]] = {
            "decision_facts": ["The decision facts field is required."]
        }
        out, err, failed = self.run_submit()
        self.assertTrue(failed)
        self.assertIn(f"{self.puids[2]} refused by the database: decision_facts:", err)
        self.assertEqual(self.delivered(), set(self.puids) - {self.puids[2]})
        refused = StatementDelivery.objects.get(statement=self.statements[2])
        self.assertIsNone(refused.delivered_at)
        self.assertIn("decision facts field is required", refused.last_error)
        self.assertIn("4 statements delivered, 0 already in the database, 1 refused", out)

    def test_it_resumes_where_a_failed_run_stopped(self) -> None:
        self.tdb.down_after = 1
        out, err, failed = self.run_submit("--batch", "2")
        self.assertTrue(failed)
        self.assertIn("Stopped: The database answered 503", err)
        self.assertIn("run again", err)
        self.assertEqual(self.delivered(), set(self.puids[:2]))
        self.tdb.down_after = None
        out, err, failed = self.run_submit("--batch", "2")
        self.assertFalse(failed, err)
        self.assertEqual(self.tdb.batches[1:], [self.puids[2:4], self.puids[4:]])
        self.assertEqual(self.delivered(), set(self.puids))
        self.assertIn("3 statements delivered", out)

    def test_it_sends_nothing_again_once_everything_is_delivered(self) -> None:
        self.run_submit()
        out, err, failed = self.run_submit()
        self.assertFalse(failed, err)
        self.assertEqual(len(self.tdb.batches), 1)
        self.assertIn("0 statements delivered", out)

    def test_it_stops_with_a_message_when_the_database_cannot_be_reached(self) -> None:
        self.tdb.close()
        _out, err, failed = self.run_submit()
        self.assertTrue(failed)
        self.assertIn("Could not reach", err)
        self.assertFalse(StatementDelivery.objects.exists())

    def test_it_stops_when_the_token_is_refused(self) -> None:
        with override_settings(SOR_TOKEN="wrong"):
            _out, err, failed = self.run_submit()
        self.assertTrue(failed)
        self.assertIn("401", err)
        self.assertEqual(self.delivered(), set())

    def test_it_refuses_to_start_without_endpoint_or_token(self) -> None:
        with override_settings(SOR_TOKEN=""):
            _out, err, failed = self.run_submit()
        self.assertTrue(failed)
        self.assertIn("SOR_TOKEN", err)

    def test_it_refuses_a_batch_larger_than_the_database_takes(self) -> None:
        _out, err, failed = self.run_submit("--batch", "101")
        self.assertTrue(failed)
        self.assertIn("between 1 and 100", err)
        self.assertEqual(self.tdb.batches, [])

    def test_it_sends_no_invalid_statement_and_lists_it(self) -> None:
        content = dict(self.first.content, facts="", explanation="")
        content["legal_ground"] = dict(content["legal_ground"], reference="", title_en="")
        StatementOfReasons.objects.filter(pk=self.first.pk).update(content=content)
        out, err, failed = self.run_submit()
        self.assertTrue(failed)
        self.assertIn(f"{self.first.puid} decision_facts: is required", err)
        self.assertNotIn(self.first.puid, self.tdb.stored)
        self.assertIn("4 statements delivered", out)
        self.assertIn("1 invalid", out)


class Figures(SorSetup):
    def test_it_reconciles_sanctions_statements_and_deliveries(self) -> None:
        self.more("warn", "suspend")
        prosecution = Sanction.objects.filter(case=self.case).first()
        assert prosecution is not None
        Sanction.objects.create(
            decision=self.decision,
            case=self.case,
            subject=prosecution.subject,
            kind=SanctionKind.PROSECUTE,
            proposed_kind=SanctionKind.PROSECUTE,
            status="in_effect",
            proposed_by=self.analyst,
            proposed_at=timezone.now(),
            starts_at=timezone.now(),
        )
        tdb = FakeTdb()
        self.addCleanup(tdb.close)
        submit(client=TdbClient(tdb.endpoint, TOKEN), batch=2)
        since, until = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
        figures = sor_figures([self.south.pk], since, until)
        self.assertEqual(figures, {"sanctions": 3, "statements": 3, "delivered": 3})
        self.assertEqual(sor_figures([self.east.pk], since, until)["sanctions"], 0)
        before = sor_figures([self.south.pk], since - timedelta(days=30), since)
        self.assertEqual(before, {"sanctions": 0, "statements": 0, "delivered": 0})
