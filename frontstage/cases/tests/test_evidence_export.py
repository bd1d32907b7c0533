import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest.mock import patch

from django.core.management import CommandError, call_command

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError
from frontstage.cases.actions.evidence import export_evidence
from frontstage.cases.models import CustodyAction, CustodyEntry, EvidenceItem
from frontstage.cases.package import check_package
from frontstage.cases.tests.test_evidence_capture import report
from frontstage.test import Personas

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class ExportingEvidence(Personas):
    def setUp(self) -> None:
        self.receipt = report("http://south.example/scam")
        report("http://south.example/scam", category="child_sexual_abuse")

    def test_it_writes_a_package_whose_manifest_lists_every_item_with_its_hash(self) -> None:
        files = unzip(export_evidence(case=self.south_case, by=self.analyst).content)
        manifest = json.loads(files["manifest.json"])
        self.assertEqual(manifest["case"], self.south_case.reference)
        self.assertEqual((manifest["unit"], manifest["category"]), ("south", "scam_fraud"))
        self.assertEqual(manifest["exporter"], "li")
        items = EvidenceItem.objects.filter(case=self.south_case)
        self.assertEqual(len(manifest["items"]), items.count())
        for entry in manifest["items"]:
            item = items.get(origin=entry["origin"])
            self.assertEqual(entry["sha256"], item.sha256)
            self.assertEqual(entry["custody"][0]["action"], "captured")
            if entry["hash_only"]:
                self.assertIsNone(entry["file"])
            else:
                self.assertEqual(files[entry["file"]], bytes(item.content))
                self.assertEqual(entry["size"], len(bytes(item.content)))
        self.assertIn("sha256sum -c manifest.sha256", files["README.txt"].decode())

    def test_it_writes_a_checksum_file_that_sha256sum_accepts(self) -> None:
        content = export_evidence(case=self.south_case, by=self.analyst).content
        files = unzip(content)
        lines = files["manifest.sha256"].decode().splitlines()
        names = [line.split("  ", 1)[1] for line in lines]
        self.assertIn("manifest.json", names)
        self.assertEqual(len([n for n in names if n.startswith("items/")]), 3)  # not the CSAM
        for line in lines:
            digest, name = line.split("  ", 1)
            self.assertEqual(hashlib.sha256(files[name]).hexdigest(), digest)
        self.assertEqual(check_package(content), [])

    def test_it_spots_an_item_file_changed_after_export(self) -> None:
        files = unzip(export_evidence(case=self.south_case, by=self.analyst).content)
        name = next(n for n in files if n.startswith("items/report-"))
        files[name] = files[name].replace(b"deposit", b"donation")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for n, data in files.items():
                archive.writestr(n, data)
        self.assertEqual(check_package(out.getvalue()), [name])

    def test_it_records_each_export_in_every_custody_trail_and_the_audit_log(self) -> None:
        export = export_evidence(case=self.south_case, by=self.analyst)
        items = EvidenceItem.objects.filter(case=self.south_case)
        exported = CustodyEntry.objects.filter(action=CustodyAction.EXPORTED, actor=self.analyst)
        self.assertEqual(exported.count(), items.count())
        self.assertIn(export.sha256, exported.first().note)  # type: ignore[union-attr]
        audit = AuditEvent.objects.get(action="evidence.exported")
        self.assertEqual(audit.payload["package_sha256"], export.sha256)
        self.assertEqual(audit.actor, self.analyst)

    def test_it_gives_the_same_bytes_for_the_same_evidence_and_custody(self) -> None:
        with patch("django.utils.timezone.now", return_value=NOON):
            first = export_evidence(case=self.south_case, by=self.analyst).content
        files = unzip(first)
        with zipfile.ZipFile(io.BytesIO(first)) as archive:
            self.assertEqual(archive.namelist(), sorted(archive.namelist()))
            self.assertEqual({i.date_time for i in archive.infolist()}, {(1980, 1, 1, 0, 0, 0)})
        with patch("django.utils.timezone.now", return_value=NOON):
            again = unzip(export_evidence(case=self.south_case, by=self.analyst).content)
        # Only the manifest changes: its trails now show the first export.
        self.assertEqual(
            {n for n in files if files[n] != again[n]}, {"manifest.json", "manifest.sha256"}
        )

    def test_it_refuses_a_case_without_evidence(self) -> None:
        with self.assertRaisesMessage(CaseError, "has no evidence to export yet"):
            export_evidence(case=self.east_case, by=self.east_analyst)


class ExportCommand(Personas):
    def test_it_writes_the_package_of_a_case_named_by_its_reference(self) -> None:
        report("http://south.example/scam")
        out = io.StringIO()
        with TemporaryDirectory() as folder:
            path = Path(folder) / "package.zip"
            reference = self.south_case.reference
            call_command("evidence", "export", reference, "--output", str(path), stdout=out)
            self.assertEqual(check_package(path.read_bytes()), [])
        self.assertIn("sha256sum -c manifest.sha256", out.getvalue())
        self.assertEqual(AuditEvent.objects.get(action="evidence.exported").actor_label, "system")

    def test_it_refuses_an_unknown_case_with_exit_code_2(self) -> None:
        for name in ("C-999999", "nonsense"):
            with self.assertRaises(CommandError) as refused:
                call_command("evidence", "export", name)
            self.assertEqual(refused.exception.returncode, 2)
            self.assertIn("No case", str(refused.exception))
