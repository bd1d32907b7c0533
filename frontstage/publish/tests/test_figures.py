"""The figures of a transparency report from hand-made event rows: no database."""

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import SimpleTestCase

from frontstage.cases.models import CaseEventKind
from frontstage.publish.figures import (
    COUNTS,
    Event,
    Kind,
    PeriodError,
    Post,
    compute,
    parse_period,
    to_csv,
    to_json,
)

Q3 = parse_period("2026-Q3")
T0 = datetime(2026, 7, 1, tzinfo=UTC)


class Rows:
    """A small event log builder: `add(case, kind, hours after T0, **payload)`."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(
        self,
        case: str,
        event_kind: str,
        hours: float,
        /,
        *,
        unit: str = "south",
        category: str = "scam_fraud",
        by_person: bool = True,
        **payload: Any,
    ) -> "Rows":
        at = T0 + timedelta(hours=hours)
        event = Event(
            len(self.events) + 1, case, unit, at, event_kind, category, by_person, payload
        )
        self.events.append(event)
        return self

    def figures(self, units: tuple[str, ...] = ("south",), **extra: Any) -> dict[str, Any]:
        computed = compute(self.events, period=Q3, unit=units[0], units=units, **extra)
        return computed.document["figures"]


def opened(rows: Rows, case: str, hours: float = 0, **kw: Any) -> Rows:
    rows.add(case, Kind.OPENED, hours, subjects=[f"url:{case}.example"], **kw)
    return rows.add(case, Kind.REPORT_ADDED, hours, source="public", **kw)


class Periods(SimpleTestCase):
    def test_it_reads_quarters_halves_and_years_in_utc(self) -> None:
        self.assertEqual((Q3.start, Q3.end), (T0, datetime(2026, 10, 1, tzinfo=UTC)))
        h2 = parse_period("2026-h2")
        self.assertEqual((h2.label, h2.end), ("2026-H2", datetime(2027, 1, 1, tzinfo=UTC)))
        year = parse_period("2026")
        self.assertEqual((year.start.month, year.end.year), (1, 2027))

    def test_it_refuses_what_is_not_a_period(self) -> None:
        for text in ["2026-Q5", "2026-H3", "26", "2026-Q", "Q3-2026", ""]:
            with self.subTest(text=text), self.assertRaises(PeriodError):
                parse_period(text)

    def test_it_reads_only_event_kinds_that_cases_write(self) -> None:
        self.assertLessEqual({k.value for k in Kind}, set(CaseEventKind.values))


class Counting(SimpleTestCase):
    def test_it_counts_reports_by_source_and_category(self) -> None:
        rows = opened(Rows(), "C-1")
        rows.add("C-1", Kind.REPORT_ADDED, 2, source="patrol")
        opened(rows, "C-2", 3, category="")
        figures = rows.figures()
        self.assertEqual(figures["reports_by_source"]["by"], {"patrol": 1, "public": 2})
        self.assertEqual(
            figures["reports_by_category"]["by"], {"scam_fraud": 2, "uncategorised": 1}
        )
        self.assertEqual(figures["reports_by_source"]["total"], 3)

    def test_it_leaves_out_events_before_and_after_the_period(self) -> None:
        rows = opened(Rows(), "C-1", -1)
        opened(rows, "C-2", 24 * 93)  # 1 October: the next quarter
        self.assertEqual(rows.figures()["cases_opened"]["total"], 0)

    def test_it_leaves_merged_cases_out_of_the_closed_ones(self) -> None:
        rows = opened(opened(Rows(), "C-1"), "C-2")
        rows.add("C-2", Kind.MOVED, 1, to="closed", merged_into="C-1")
        rows.add("C-1", Kind.MOVED, 5, to="decided")
        rows.add("C-1", Kind.MOVED, 6, to="closed")
        figures = rows.figures()
        self.assertEqual(figures["cases_closed"]["total"], 1)
        self.assertEqual(figures["cases_merged"]["total"], 1)
        self.assertEqual(figures["cases_pending"]["total"], 0)

    def test_it_counts_cases_pending_at_the_end_by_status(self) -> None:
        rows = opened(opened(Rows(), "C-1"), "C-2")
        rows.add("C-2", Kind.MOVED, 4, to="triaged")
        self.assertEqual(rows.figures()["cases_pending"]["by"], {"new": 1, "triaged": 1})

    def test_it_gives_median_hours_to_acknowledge_and_to_decide(self) -> None:
        rows = opened(opened(opened(Rows(), "C-1"), "C-2"), "C-3")
        rows.add("C-1", Kind.ASSIGNED, 1).add("C-2", Kind.MOVED, 3, to="triaged")
        rows.add("C-3", Kind.ASSIGNED, 8).add("C-3", Kind.ASSIGNED, 9)
        rows.add("C-1", Kind.DECIDED, 10, outcome="action_taken")
        rows.add("C-2", Kind.DECIDED, 30, outcome="no_violation")
        figures = rows.figures()
        self.assertEqual(figures["time_to_acknowledge"]["hours"], 3.0)
        self.assertEqual(figures["time_to_acknowledge"]["count"], 3)
        self.assertEqual(figures["time_to_act"]["hours"], 20.0)
        self.assertFalse(figures["time_to_act"]["additive"])
        self.assertEqual(
            figures["decisions_by_outcome"]["by"], {"action_taken": 1, "no_violation": 1}
        )

    def test_it_says_when_there_is_nothing_to_measure(self) -> None:
        self.assertIsNone(Rows().figures()["order_compliance_time"]["hours"])

    def test_it_counts_sanctions_by_type_ground_automation_and_statement(self) -> None:
        rows = opened(Rows(), "C-1")
        effect: dict[str, Any] = {"status": "in_effect", "legal_ground": "Art. 266"}
        rows.add("C-1", Kind.SANCTION_PROPOSED, 2, sanction=1, kind="remove",
                 automated_detection=True, statement="south-1", **effect)  # fmt: skip
        rows.add("C-1", Kind.SANCTION_PROPOSED, 2, sanction=2, kind="suspend_permanently",
                 automated_detection=False, status="awaiting_approval")  # fmt: skip
        rows.add("C-1", Kind.SANCTION_APPROVED, 3, sanction=2, kind="suspend_permanently",
                 automated_detection=False, statement="south-2", by_person=False,
                 **effect)  # fmt: skip
        rows.add("C-1", Kind.SANCTION_PROPOSED, 3, sanction=3, kind="prosecute",
                 automated_detection=False, **effect)  # fmt: skip
        figures = rows.figures(delivered={"south-1"})
        self.assertEqual(
            figures["sanctions_by_kind"]["by"],
            {"prosecute": 1, "remove": 1, "suspend_permanently": 1},
        )
        self.assertEqual(figures["sanctions_by_ground"]["by"], {"Art. 266": 3})
        self.assertEqual(figures["automated_detection"]["by"], {"automated": 1, "not_automated": 2})
        self.assertEqual(figures["automated_decision"]["by"], {"automated": 1, "not_automated": 2})
        self.assertEqual(
            figures["statements_of_reasons"]["by"],
            {"decisions": 2, "delivered": 1, "statements": 2},
        )

    def test_it_counts_appeals_and_tells_reinstatements_on_appeal_from_proactive_ones(
        self,
    ) -> None:
        rows = opened(Rows(), "C-1")
        for sanction, automated in [(1, True), (2, False), (3, False)]:
            rows.add("C-1", Kind.SANCTION_PROPOSED, 1, sanction=sanction, kind="remove",
                     status="in_effect", automated_detection=automated)  # fmt: skip
        rows.add("C-1", Kind.APPEAL_FILED, 2, appeal="A-1", sanction=1)
        rows.add("C-1", Kind.APPEAL_FILED, 2, appeal="A-2", sanction=2)
        rows.add("C-1", Kind.SANCTION_LIFTED, 3, sanction=1)
        rows.add("C-1", Kind.APPEAL_DECIDED, 3, appeal="A-1", status="reversed", sanction=1)
        rows.add("C-1", Kind.APPEAL_DECIDED, 4, appeal="A-2", status="upheld")
        rows.add("C-1", Kind.SANCTION_LIFTED, 5, sanction=3)
        figures = rows.figures()
        self.assertEqual(figures["appeals_filed"]["by"], {"automated": 1, "not_automated": 1})
        self.assertEqual(figures["appeals_decided"]["by"], {"reversed": 1, "upheld": 1})
        self.assertEqual(figures["appeals_decided_automation_flagged"]["by"], {"reversed": 1})
        self.assertEqual(figures["sanctions_lifted"]["by"], {"on_appeal": 1, "proactive": 1})

    def test_it_counts_orders_and_their_median_time_to_comply(self) -> None:
        rows = opened(Rows(), "C-1")
        rows.add("C-1", Kind.ORDER, 1, order="O-1", action="remove", status="pending")
        rows.add("C-1", Kind.ORDER, 1, order="O-2", action="suspend", status="pending")
        rows.add("C-1", Kind.ORDER, 2, order="O-1", status="sent")
        rows.add("C-1", Kind.ORDER, 4, order="O-1", status="complied", seconds=7200)
        rows.add("C-1", Kind.ORDER, 30, order="O-2", status="expired")
        figures = rows.figures()
        self.assertEqual(figures["orders_issued"]["by"], {"remove": 1, "suspend": 1})
        self.assertEqual(figures["orders_answered"]["by"], {"complied": 1, "expired": 1})
        self.assertEqual(figures["order_compliance_time"]["hours"], 2.0)

    def test_it_counts_referrals_escalations_and_publications(self) -> None:
        rows = opened(Rows(), "C-1")
        rows.add("C-1", Kind.REFERRED, 1, to_unit="east")
        rows.add("C-1", Kind.REFERRAL_ANSWERED, 2, accepted=False)
        rows.add("C-1", Kind.ESCALATED, 3, to_unit="national")
        posts = [
            Post("P-1", "south", "advisory", T0 + timedelta(days=3)),
            Post("P-2", "east", "advisory", T0 + timedelta(days=3)),
        ]
        figures = rows.figures(posts=posts)
        self.assertEqual(figures["referrals"]["by"], {"east": 1})
        self.assertEqual(figures["escalations"]["total"], 1)
        self.assertEqual(figures["referral_answers"]["by"], {"declined": 1})
        self.assertEqual(figures["publications"]["by"], {"advisory": 1})

    def test_it_never_names_a_subject_in_its_rows(self) -> None:
        rows = opened(Rows(), "C-1")
        rows.add("C-1", Kind.OPENED, 0, subjects=["phone:+8613800138000"])
        computed = compute(rows.events, period=Q3, unit="south", units=["south"])
        self.assertNotIn("13800138000", json.dumps([computed.document, computed.rows]))
        self.assertEqual(
            computed.document["figures"]["unique_subjects"]["by"], {"phone": 1, "url": 1}
        )


class Reproducing(SimpleTestCase):
    def log(self) -> Rows:
        rows = Rows()
        for n in range(12):
            unit = ["south", "shenzhen", "east"][n % 3]
            opened(rows, f"C-{n}", n * 5, unit=unit)
            rows.add(f"C-{n}", Kind.ASSIGNED, n * 5 + n, unit=unit)
            rows.add(f"C-{n}", Kind.SANCTION_PROPOSED, n * 6 + 1, unit=unit, sanction=n,
                     kind="remove", status="in_effect", automated_detection=n % 2 == 0,
                     statement=f"p-{n}")  # fmt: skip
        return rows

    def test_it_gives_the_same_digest_whatever_the_order_of_the_rows(self) -> None:
        events = self.log().events
        first = compute(events, period=Q3, unit="south", units=["south"])
        shuffled = random.Random(7).sample(events, len(events))  # noqa: S311 - an order, not a secret
        again = compute(shuffled, period=Q3, unit="south", units=["south"])
        self.assertEqual(first.digest, again.digest)
        self.assertEqual(first.rows, again.rows)

    def test_it_rolls_up_units_so_that_every_count_is_the_sum_of_its_parts(self) -> None:
        events = self.log().events
        units = ["east", "shenzhen", "south"]
        whole = compute(events, period=Q3, unit="national", units=units).document["figures"]
        parts = [compute(events, period=Q3, unit=u, units=[u]).document["figures"] for u in units]
        for name in COUNTS:
            with self.subTest(figure=name):
                self.assertEqual(whole[name]["total"], sum(p[name]["total"] for p in parts))
        self.assertEqual(whole["cases_opened"]["total"], 12)

    def test_it_exports_csv_and_json_with_the_digest(self) -> None:
        computed = compute(self.log().events, period=Q3, unit="south", units=["south"])
        csv_text = to_csv(computed.document)
        self.assertTrue(csv_text.startswith("figure,breakdown,value\n"))
        self.assertIn("cases_opened,total,4\n", csv_text)
        self.assertIn("time_to_act,median_hours,\n", csv_text)
        self.assertEqual(json.loads(to_json(computed.document))["digest"], computed.digest)
