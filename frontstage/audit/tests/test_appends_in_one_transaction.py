import threading
from contextlib import suppress
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction

from frontstage.audit.actions import record
from frontstage.audit.models import AuditEvent
from frontstage.lib.actors import SYSTEM
from frontstage.test import CommittedTestCase

WRITERS = 4
TRANSACTIONS_EACH = 5


class Refused(Exception):
    pass


class AppendsInOneTransaction(CommittedTestCase):
    """A change that records several events in one transaction (a report that opens a case
    records two), next to other writers committing in between."""

    def test_it_chains_the_events_of_one_transaction_to_each_other(self) -> None:
        with transaction.atomic():
            first = record(by=SYSTEM, action="test.first")
            second = record(by=SYSTEM, action="test.second")
        self.assertEqual((second.seq, second.prev_hash), (first.seq + 1, first.hash))
        self.assert_chain_verifies()

    def test_it_chains_past_an_event_whose_savepoint_rolled_back(self) -> None:
        with transaction.atomic():
            first = record(by=SYSTEM, action="test.kept")
            with suppress(Refused), transaction.atomic():
                record(by=SYSTEM, action="test.undone")
                raise Refused
            third = record(by=SYSTEM, action="test.kept-too")
        self.assertEqual((third.seq, third.prev_hash), (first.seq + 1, first.hash))
        self.assertFalse(AuditEvent.objects.filter(action="test.undone").exists())
        self.assert_chain_verifies()

    def test_it_reads_the_chain_again_after_others_appended(self) -> None:
        with transaction.atomic():
            record(by=SYSTEM, action="test.committed")
        self.append_elsewhere("test.elsewhere-after-commit")
        with suppress(Refused), transaction.atomic():
            record(by=SYSTEM, action="test.rolled-back")
            raise Refused
        self.append_elsewhere("test.elsewhere-after-rollback")
        with transaction.atomic():
            last = record(by=SYSTEM, action="test.last")
        before = AuditEvent.objects.get(action="test.elsewhere-after-rollback")
        self.assertEqual((last.seq, last.prev_hash), (before.seq + 1, before.hash))
        self.assert_chain_verifies()

    def test_it_keeps_one_gapless_chain_when_writers_of_two_events_race(self) -> None:
        before = AuditEvent.objects.count()
        start = threading.Barrier(WRITERS)
        failures: list[BaseException] = []

        def writer(number: int) -> None:
            try:
                start.wait()
                for i in range(TRANSACTIONS_EACH):
                    with transaction.atomic():
                        record(by=SYSTEM, action="test.one", payload={"w": number, "i": i})
                        record(by=SYSTEM, action="test.two", payload={"w": number, "i": i})
            except BaseException as error:
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        self.assertEqual(failures, [])
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, before + 2 * WRITERS * TRANSACTIONS_EACH + 1)))
        self.assert_chain_verifies()

    def append_elsewhere(self, action: str) -> None:
        """An event committed by another connection, as another worker would."""

        def write() -> None:
            try:
                with transaction.atomic():
                    record(by=SYSTEM, action=action)
            finally:
                connection.close()

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(timeout=60)
        self.assertTrue(AuditEvent.objects.filter(action=action).exists())

    def assert_chain_verifies(self) -> None:
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        self.assertIn(f"{AuditEvent.objects.count()} events verified", out.getvalue())
