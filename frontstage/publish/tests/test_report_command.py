"""`frontstage report build`: writing a unit's report in every format, and bad input."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from frontstage.publish.models import TransparencyReport
from frontstage.test import Personas


def run(*args: str) -> str:
    out = StringIO()
    call_command("report", "build", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class ReportCommand(Personas):
    def test_it_writes_json_with_the_digest_to_stdout(self) -> None:
        data = json.loads(run("--unit", "south", "--period", "2026-Q3", "--format", "json"))
        report = TransparencyReport.objects.get(unit=self.south, period="2026-Q3")
        self.assertEqual(data["digest"], report.digest)
        self.assertEqual(data["units"], ["shenzhen", "south"])

    def test_it_writes_csv_and_html(self) -> None:
        csv_text = run("--unit", "national", "--period", "2026", "--format", "csv")
        self.assertTrue(csv_text.startswith("figure,breakdown,value\n"))
        html = run(
            "--unit", "national", "--period", "2026", "--format", "html", "--language", "zh-hans"
        )
        self.assertIn("national网络安全", html)

    def test_it_writes_a_pdf_to_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "south.pdf"
            run("--unit", "south", "--period", "2026-Q3", "--format", "pdf", "--output", str(path))
            self.assertTrue(path.read_bytes().startswith(b"%PDF"))

    def test_it_refuses_bad_input_with_exit_status_2(self) -> None:
        cases = [
            (["--unit", "atlantis", "--period", "2026-Q3"], "There is no unit “atlantis”"),
            (["--unit", "south", "--period", "2026-Q5"], "“2026-Q5” is not a period"),
            (["--unit", "south", "--period", "2026-Q3", "--format", "pdf"], "--output"),
        ]
        for args, message in cases:
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message) as caught:
                run(*args)
            self.assertEqual(caught.exception.returncode, 2)
