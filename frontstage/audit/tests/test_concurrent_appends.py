import threading
from io import StringIO

from django.core.management import call_command
from django.db import connection

from frontstage.audit.models import AuditEvent
from frontstage.cases.models import Category
from frontstage.lib.actors import SYSTEM
from frontstage.test import CommittedTestCase, make_unit
from frontstage.units.models import UnitLevel

WRITERS = 6
CASES_EACH = 5


class ConcurrentAppends(CommittedTestCase):
    """Several staff acting at the same moment, each on their own database connection."""

    def test_it_keeps_one_gapless_chain_when_writers_race(self) -> None:
        from frontstage.cases.actions import open_case

        unit = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        category = Category.objects.get(code="scam_fraud")
        before = AuditEvent.objects.count()
        start = threading.Barrier(WRITERS)
        failures: list[BaseException] = []

        def writer(number: int) -> None:
            try:
                start.wait()
                for i in range(CASES_EACH):
                    open_case(
                        unit=unit,
                        category=category,
                        subjects=[("url", f"http://race.example/{number}/{i}")],
                        by=SYSTEM,
                    )
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
        self.assertEqual(seqs, list(range(1, before + WRITERS * CASES_EACH + 1)))
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        self.assertIn(f"{len(seqs)} events verified", out.getvalue())
