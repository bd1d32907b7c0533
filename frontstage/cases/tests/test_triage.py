from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, assign_case, move_case
from frontstage.cases.actions.triage import merge_cases, set_category_and_severity, split_report
from frontstage.cases.models import (
    Case,
    CaseEventKind,
    CaseStatus,
    Category,
    EvidenceItem,
    Severity,
)
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import Report
from frontstage.lib.actors import PUBLIC
from frontstage.test import Personas, make_case
from frontstage.units.models import Unit


def report_about(unit: Unit, *locations: tuple[str, str], text: str = "A scam") -> Report:
    """A public report at `unit`; it joins the open case about its subjects, if any."""
    submission = Submission(source="public", locations=list(locations), explanation=text, unit=unit)
    return submit_report(submission=submission, by=PUBLIC).report


class SettingCategoryAndSeverity(Personas):
    def test_it_sets_category_and_severity_and_triages_a_new_case(self) -> None:
        drugs = Category.objects.get(code="illegal_drugs")
        case = set_category_and_severity(
            case=self.south_case, category=drugs, severity=Severity.CRITICAL, by=self.analyst
        )
        case.refresh_from_db()
        self.assertEqual((case.category, case.severity), (drugs, Severity.CRITICAL))
        self.assertEqual(case.status, CaseStatus.TRIAGED)
        event = case.events.get(kind=CaseEventKind.TRIAGED)
        self.assertEqual(event.payload["before"]["category"], "scam_fraud")
        audit = AuditEvent.objects.get(action="case.triaged", object_id=str(case.pk))
        self.assertEqual(audit.actor, self.analyst)

    def test_it_writes_nothing_when_nothing_changes(self) -> None:
        scam = Category.objects.get(code="scam_fraud")
        set_category_and_severity(
            case=self.south_case, category=scam, severity=Severity.HIGH, by=self.analyst
        )
        count = AuditEvent.objects.count()
        set_category_and_severity(
            case=self.south_case, category=scam, severity=Severity.HIGH, by=self.analyst
        )
        self.assertEqual(AuditEvent.objects.count(), count)

    def test_it_refuses_staff_of_another_region(self) -> None:
        scam = Category.objects.get(code="scam_fraud")
        with self.assertRaisesMessage(CaseError, "do not handle cases at"):
            set_category_and_severity(
                case=self.south_case, category=scam, severity=Severity.LOW, by=self.east_analyst
            )

    def test_it_refuses_an_unknown_severity_and_a_missing_category(self) -> None:
        with self.assertRaisesMessage(CaseError, "Choose a severity"):
            set_category_and_severity(
                case=self.south_case,
                category=Category.objects.get(code="threats"),
                severity="apocalyptic",
                by=self.analyst,
            )
        with self.assertRaisesMessage(CaseError, "Choose the category"):
            set_category_and_severity(
                case=self.south_case, category=None, severity=Severity.LOW, by=self.analyst
            )

    def test_it_refuses_to_change_a_decided_case(self) -> None:
        for status in (CaseStatus.TRIAGED, CaseStatus.IN_REVIEW, CaseStatus.DECIDED):
            move_case(case=self.south_case, to=status, by=self.analyst)
        with self.assertRaisesMessage(CaseError, "reopen it"):
            set_category_and_severity(
                case=self.south_case,
                category=Category.objects.get(code="threats"),
                severity=Severity.LOW,
                by=self.analyst,
            )


class MergingCases(Personas):
    def test_it_moves_reports_subjects_and_evidence_and_closes_the_shell(self) -> None:
        duplicate = make_case(self.south, "http://copy.example/scam")
        report = report_about(self.south, ("url", "http://copy.example/scam"))
        self.assertEqual(report.case, duplicate)
        into = merge_cases(
            case=duplicate, into=self.south_case, reason="Same scammer", by=self.analyst
        )
        report.refresh_from_db()
        duplicate.refresh_from_db()
        self.assertEqual(report.case, self.south_case)
        self.assertIn("copy.example/scam", into.subjects.values_list("key", flat=True))
        self.assertEqual(duplicate.status, CaseStatus.CLOSED)
        self.assertEqual(duplicate.merged_into, self.south_case)
        self.assertFalse(EvidenceItem.objects.filter(case=duplicate).exists())
        self.assertTrue(duplicate.events.filter(kind=CaseEventKind.MERGED).exists())
        merged = into.events.get(kind=CaseEventKind.MERGED)
        self.assertEqual(merged.payload["case"], duplicate.reference)
        self.assertTrue(duplicate.events.filter(kind=CaseEventKind.MOVED, to_status="closed"))
        self.assertTrue(AuditEvent.objects.filter(action="case.merged").exists())

    def test_it_keeps_one_evidence_item_per_origin(self) -> None:
        other = make_case(self.south, "http://copy.example/scam")
        for case in (other, self.south_case):
            EvidenceItem.objects.create(
                case=case,
                kind="report_text",
                origin="report:999",
                label="text",
                content=b"x",
                content_type="text/plain",
                sha256="0" * 64,
                captured_at=case.opened_at,
            )
        merge_cases(case=other, into=self.south_case, reason="Same", by=self.analyst)
        self.assertEqual(EvidenceItem.objects.filter(origin="report:999").count(), 2)
        self.assertEqual(self.south_case.evidence.filter(origin="report:999").count(), 1)

    def test_it_merges_a_case_of_a_unit_below(self) -> None:
        merge_cases(case=self.shenzhen_case, into=self.south_case, reason="Same", by=self.analyst)
        self.assertEqual(
            Case.objects.get(pk=self.shenzhen_case.pk).merged_into_id, self.south_case.pk
        )

    def test_it_refuses_to_merge_a_case_into_itself(self) -> None:
        with self.assertRaisesMessage(CaseError, "cannot be merged into itself"):
            merge_cases(case=self.south_case, into=self.south_case, reason="x", by=self.analyst)

    def test_it_refuses_cases_outside_the_persons_units(self) -> None:
        with self.assertRaisesMessage(CaseError, "do not handle cases at"):
            merge_cases(case=self.south_case, into=self.east_case, reason="x", by=self.analyst)

    def test_it_refuses_to_merge_into_a_closed_case(self) -> None:
        other = make_case(self.south, "http://copy.example/scam")
        merge_cases(case=other, into=self.south_case, reason="Same", by=self.analyst)
        third = make_case(self.south, "http://third.example/")
        with self.assertRaisesMessage(CaseError, "is closed"):
            merge_cases(case=third, into=other, reason="Same", by=self.analyst)

    def test_it_refuses_a_merge_without_a_reason(self) -> None:
        other = make_case(self.south, "http://copy.example/scam")
        with self.assertRaisesMessage(CaseError, "Say why"):
            merge_cases(case=other, into=self.south_case, reason="  ", by=self.analyst)


class SplittingReports(Personas):
    def test_it_takes_a_report_into_a_new_case_with_its_subjects(self) -> None:
        first = report_about(self.south, ("url", "http://south.example/scam"))
        second = report_about(
            self.south, ("url", "http://south.example/scam"), ("phone", "+8613800138000")
        )
        new = split_report(report=second, reason="Different seller", by=self.analyst)
        second.refresh_from_db()
        self.assertEqual(second.case, new)
        self.assertEqual(new.unit, self.south)
        self.assertEqual(
            set(new.subjects.values_list("key", flat=True)),
            {"south.example/scam", "+8613800138000"},
        )
        # The phone number was only in the split report; the shared URL stays with both.
        old_keys = set(self.south_case.subjects.values_list("key", flat=True))
        self.assertEqual(old_keys, {"south.example/scam"})
        self.assertEqual(first.case, self.south_case)
        self.assertTrue(self.south_case.events.filter(kind=CaseEventKind.SPLIT).exists())
        self.assertEqual(new.events.get(kind=CaseEventKind.SPLIT).payload["report"], second.pk)
        self.assertTrue(AuditEvent.objects.filter(action="case.split").exists())

    def test_it_refuses_to_split_the_only_report(self) -> None:
        only = report_about(self.south, ("url", "http://south.example/scam"))
        with self.assertRaisesMessage(CaseError, "only report"):
            split_report(report=only, reason="Mine", by=self.analyst)

    def test_it_refuses_staff_of_another_region(self) -> None:
        report_about(self.south, ("url", "http://south.example/scam"))
        second = report_about(self.south, ("url", "http://south.example/scam"))
        with self.assertRaisesMessage(CaseError, "do not handle cases at"):
            split_report(report=second, reason="x", by=self.east_analyst)

    def test_it_refuses_to_split_a_closed_case(self) -> None:
        report_about(self.south, ("url", "http://south.example/scam"))
        second = report_about(self.south, ("url", "http://south.example/scam"))
        assign_case(case=self.south_case, assignee=None, by=self.analyst)
        for status in (
            CaseStatus.TRIAGED,
            CaseStatus.IN_REVIEW,
            CaseStatus.DECIDED,
            CaseStatus.CLOSED,
        ):
            move_case(case=self.south_case, to=status, by=self.analyst)
        with self.assertRaisesMessage(CaseError, "closed case cannot be split"):
            split_report(report=second, reason="x", by=self.analyst)
