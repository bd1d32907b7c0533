import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase


class VerifyCommand(SimpleTestCase):
    """`frontstage audit verify` as an auditor runs it: a separate process, a real database
    file, exit codes that scripts can rely on."""

    def run_frontstage(self, data_dir: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "frontstage.settings"}
        env.pop("DATABASE_URL", None)
        return subprocess.run(  # noqa: S603 - our own command with fixed arguments
            [sys.executable, "-m", "frontstage", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def test_it_exits_zero_on_an_intact_log_and_names_the_first_broken_event(self) -> None:
        with tempfile.TemporaryDirectory() as data_dir:
            for step in [("migrate", "--noinput", "-v", "0"), ("demo", "--quiet")]:
                done = self.run_frontstage(data_dir, *step)
                self.assertEqual(done.returncode, 0, done.stderr)
            intact = self.run_frontstage(data_dir, "audit", "verify")
            self.assertEqual(intact.returncode, 0, intact.stderr)
            self.assertRegex(intact.stdout, r"Audit chain intact: \d+ events verified\.")

            database = sqlite3.connect(Path(data_dir) / "frontstage.sqlite3")
            with database:
                database.execute("DROP TRIGGER audit_auditevent_no_update")
                database.execute("UPDATE audit_auditevent SET action = 'x' WHERE seq = 7")
            database.close()
            broken = self.run_frontstage(data_dir, "audit", "verify")
            self.assertEqual(broken.returncode, 1)
            self.assertIn("Audit chain broken at event #7", broken.stderr)
            self.assertIn("6 events before it verified", broken.stderr)
