import json
import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from frontstage.patrol.tests.helpers import DATA, write_pack

POSTS = [
    '{"id": "a", "text": "刷单返利，日结，加vx: abc123"}',
    '{"id": "b", "text": "a quiet day at the beach"}',
    "this line is not JSON",
    '{"id": "c", "text": "Ghost gun 80% parts kit, DM me", "lang": "en"}',
    '{"text": "no id here"}',
    "",
    '{"id": 7, "text": "I will kill you", "urls": ["http://example.com/"]}',
]


def scan(lines: list[str], *args: str) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "posts.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out, err = StringIO(), StringIO()
        call_command("patrol", "scan", "--input", str(source), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()


class ScanCommand(SimpleTestCase):
    def test_it_writes_one_line_per_valid_post_in_input_order(self):
        out, _ = scan(POSTS)
        rows = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([r["id"] for r in rows], ["a", "b", "c", "7"])
        self.assertEqual([r["flagged"] for r in rows], [True, False, True, True])
        self.assertEqual(rows[0]["categories"], ["scam_fraud"])
        self.assertEqual(rows[2]["categories"], ["illegal_weapons"])
        hit = rows[0]["hits"][0]
        self.assertEqual(set(hit), {"rule", "version", "category", "score", "evidence"})
        self.assertIn(
            {
                "kind": "entity",
                "source": "wechat",
                "matched": "abc123",
                "span": [9, 19],
                "text": "vx: abc123",
                "value": "abc123",
            },
            hit["evidence"],
        )

    def test_it_reports_malformed_lines_with_their_number_and_carries_on(self):
        _, err = scan(POSTS)
        self.assertIn("line 3: skipped: not JSON", err)
        self.assertIn('line 5: skipped: "id" is missing', err)
        self.assertIn("4 posts scanned, 3 flagged, 2 lines skipped.", err)

    def test_it_writes_the_output_file_when_asked(self):
        with tempfile.TemporaryDirectory() as directory:
            output = Path(directory) / "hits.jsonl"
            out, _ = scan(POSTS[:2], "--output", str(output))
            self.assertEqual(out, "")
            rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        self.assertEqual([r["id"] for r in rows], ["a", "b"])

    def test_it_lists_shadow_hits_apart_and_does_not_flag_on_them(self):
        out, _ = scan(['{"id": "s", "text": "earn a daily return of 3%"}'], "--no-classifier")
        row = json.loads(out)
        self.assertFalse(row["flagged"])
        self.assertEqual([h["rule"] for h in row["shadow"]], ["scam.daily-return-rate"])

    def test_it_reads_images_relative_to_the_input_file_and_reports_unreadable_ones(self):
        with tempfile.TemporaryDirectory() as directory:
            pack = write_pack(
                Path(directory) / "rules",
                {
                    "a.yaml": """
                    pdq_lists:
                      known:
                        entries: [d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22]
                    rules:
                      - {id: known, version: 1, category: child_sexual_abuse, score: 1,
                         mode: live, when: {pdq_list: [known]}}
                """
                },
            )
            image = (DATA / "pdq" / "bridge-mods_square-128x128.jpg").read_bytes()
            (Path(directory) / "photo.jpg").write_bytes(image)
            (Path(directory) / "broken.jpg").write_bytes(b"no image")
            out, err = scan(
                [
                    f'{{"id": "p", "text": "", "image": "{Path(directory) / "photo.jpg"}"}}',
                    f'{{"id": "q", "text": "", "image": "{Path(directory) / "broken.jpg"}"}}',
                ],
                "--rules",
                str(pack),
            )
        rows = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(
            [(r["id"], r["categories"]) for r in rows], [("p", ["child_sexual_abuse"]), ("q", [])]
        )
        self.assertIn("line 2: image", err)

    def test_it_refuses_a_broken_rule_pack_naming_the_problem(self):
        with tempfile.TemporaryDirectory() as directory:
            write_pack(Path(directory), {"bad.yaml": "rules:\n  - {id: x, version: 0}\n"})
            with self.assertRaises(CommandError) as caught:
                scan(POSTS[:1], "--rules", directory)
        self.assertIn("bad.yaml: rule x: version 0", str(caught.exception))

    def test_it_runs_as_the_frontstage_command_without_touching_a_database(self):
        with tempfile.TemporaryDirectory() as data_dir:
            source = Path(data_dir) / "in" / "posts.jsonl"
            source.parent.mkdir()
            source.write_text("\n".join(POSTS) + "\n", encoding="utf-8")
            env = {
                **os.environ,
                "DATA_DIR": data_dir,
                "DJANGO_SETTINGS_MODULE": "frontstage.settings",
            }
            env.pop("DATABASE_URL", None)
            done = subprocess.run(  # noqa: S603 - our own command with fixed arguments
                [sys.executable, "-m", "frontstage", "patrol", "scan", "--input", str(source)],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(len(done.stdout.splitlines()), 4)
            self.assertEqual(list(Path(data_dir).glob("*.sqlite3*")), [])
