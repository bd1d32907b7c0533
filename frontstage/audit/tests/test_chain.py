from datetime import UTC, datetime
from io import StringIO
from itertools import pairwise

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import SimpleTestCase

from frontstage.audit.actions import record
from frontstage.audit.chain import GENESIS, Link, link_hash, verify
from frontstage.audit.models import AuditEvent
from frontstage.lib.actors import SYSTEM
from frontstage.lib.append_only import drop_triggers_sql
from frontstage.test import Personas


def chain_of(n: int) -> list[Link]:
    links: list[Link] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        draft = Link(seq, datetime(2026, 1, 1, tzinfo=UTC), "system", "x", "", "", None, {}, prev)
        link = Link(**{**draft.__dict__, "hash": link_hash(draft)})
        links.append(link)
        prev = link.hash
    return links


class ChainCore(SimpleTestCase):
    def test_it_verifies_an_intact_chain(self) -> None:
        self.assertEqual(verify(chain_of(5)).count, 5)

    def test_it_names_the_first_link_whose_content_changed(self) -> None:
        links = chain_of(5)
        links[2] = Link(**{**links[2].__dict__, "action": "tampered"})
        verdict = verify(links)
        self.assertFalse(verdict.ok)
        self.assertEqual((verdict.broken_seq, verdict.count), (3, 2))

    def test_it_notices_a_removed_link(self) -> None:
        links = chain_of(5)
        del links[1]
        self.assertEqual(verify(links).broken_seq, 3)

    def test_it_notices_a_link_rehashed_after_an_edit(self) -> None:
        links = chain_of(4)
        edited = Link(**{**links[1].__dict__, "action": "tampered"})
        links[1] = Link(**{**edited.__dict__, "hash": link_hash(edited)})
        verdict = verify(links)
        self.assertEqual(verdict.broken_seq, 3)
        self.assertIn("previous hash", verdict.reason)


class RecordingGuard(SimpleTestCase):
    def test_it_refuses_to_record_outside_a_transaction(self) -> None:
        with self.assertRaisesMessage(RuntimeError, "inside transaction.atomic()"):
            record(by=SYSTEM, action="case.opened")


class AuditLog(Personas):
    def test_it_chains_each_event_to_the_one_before(self) -> None:
        events = list(AuditEvent.objects.order_by("seq"))
        self.assertGreater(len(events), 10)
        self.assertEqual(events[0].prev_hash, GENESIS)
        for before, after in pairwise(events):
            self.assertEqual(after.seq, before.seq + 1)
            self.assertEqual(after.prev_hash, before.hash)

    def test_it_records_who_did_what_to_which_object(self) -> None:
        event = AuditEvent.objects.filter(action="role.granted").first()
        assert event is not None
        self.assertEqual(event.actor_label, "system")
        self.assertEqual(event.object_type, "accounts.staff")

    def test_it_refuses_an_orm_update(self) -> None:
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=1).update(action="edited")
        self.assertNotEqual(AuditEvent.objects.get(seq=1).action, "edited")

    def test_it_refuses_an_orm_save_of_a_changed_event(self) -> None:
        event = AuditEvent.objects.get(seq=2)
        event.payload = {"edited": True}
        with self.assertRaises(DatabaseError), transaction.atomic():
            event.save()

    def test_it_refuses_an_orm_delete(self) -> None:
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=1).delete()
        self.assertTrue(AuditEvent.objects.filter(seq=1).exists())

    def test_it_refuses_raw_sql_update_and_delete(self) -> None:
        for sql in [
            "UPDATE audit_auditevent SET action = 'edited' WHERE seq = 1",
            "DELETE FROM audit_auditevent WHERE seq = 1",
        ]:
            with (
                self.subTest(sql=sql),
                self.assertRaises(DatabaseError),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        self.assertEqual(AuditEvent.objects.filter(seq=1).exclude(action="edited").count(), 1)

    def test_it_refuses_to_empty_the_whole_log_at_once(self) -> None:
        sql = {
            "postgresql": "TRUNCATE audit_auditevent CASCADE",
            "sqlite": "DELETE FROM audit_auditevent",
        }[connection.vendor]
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        self.assertGreater(AuditEvent.objects.count(), 10)

    def test_it_verifies_a_clean_log(self) -> None:
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        total = AuditEvent.objects.count()
        self.assertIn(f"{total} events verified", out.getvalue())

    def test_it_names_the_event_altered_behind_the_triggers_back(self) -> None:
        with connection.cursor() as cursor:
            for sql in drop_triggers_sql(connection.vendor, "audit_auditevent"):
                cursor.execute(sql)
            cursor.execute("UPDATE audit_auditevent SET actor_label = 'staff:999' WHERE seq = 4")
        with self.assertRaisesMessage(CommandError, "broken at event #4"):
            call_command("audit", "verify", stdout=StringIO())
