import threading

from django.db import connection

from frontstage.cases.actions import move_case
from frontstage.cases.models import Case
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import Report, ReportSource
from frontstage.lib.actors import PUBLIC, SYSTEM
from frontstage.test import CommittedTestCase, make_unit
from frontstage.units.models import UnitLevel

REPORTERS = 8


class ConcurrentReports(CommittedTestCase):
    """A scam link goes viral: many people report it in the same second."""

    def setUp(self) -> None:
        super().setUp()
        national = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        make_unit("south", UnitLevel.REGIONAL, national, ["CN-GD"])

    def test_it_opens_exactly_one_case_for_a_new_subject_reported_at_once(self) -> None:
        self.report_at_once()
        self.assertEqual(Case.objects.count(), 1)
        self.assertEqual(Case.objects.get().reports.count(), REPORTERS)

    def test_it_opens_one_case_for_two_new_subjects_named_in_either_order(self) -> None:
        self.report_at_once(two_subjects=True)
        self.assertEqual(Case.objects.count(), 1)
        self.assertEqual(Case.objects.get().subjects.count(), 2)
        self.assertEqual(Report.objects.filter(case=Case.objects.get()).count(), REPORTERS)

    def test_it_opens_exactly_one_new_case_when_the_old_one_was_closed(self) -> None:
        old = submit_report(submission=self.submission(99), by=PUBLIC).report.case
        for step in ["triaged", "in_review", "decided", "closed"]:
            old = move_case(case=old, to=step, by=SYSTEM)
        self.report_at_once()
        self.assertEqual(Case.objects.exclude(pk=old.pk).count(), 1)
        self.assertEqual(Report.objects.exclude(case=old).count(), REPORTERS)

    def submission(self, number: int, two_subjects: bool = False) -> Submission:
        locations = [("url", f"https://viral-scam.example/win?utm_source=r{number}")]
        if two_subjects:
            phone = [("phone", "+86 138 0013 8000")]
            locations = phone + locations if number % 2 else locations + phone
        return Submission(
            source=ReportSource.PUBLIC,
            locations=locations,
            explanation=f"Reporter {number} saw this prize scam.",
            region_code="CN-GD",
        )

    def report_at_once(self, two_subjects: bool = False) -> None:
        start = threading.Barrier(REPORTERS)
        failures: list[BaseException] = []

        def report(number: int) -> None:
            try:
                start.wait()
                submit_report(submission=self.submission(number, two_subjects), by=PUBLIC)
            except BaseException as error:
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=report, args=(n,)) for n in range(REPORTERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        self.assertEqual(failures, [])
