import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from frontstage.patrol.tests.helpers import write_pack

PACK = {
    "a.yaml": """
        keywords:
          drugs: [cocaine]
          threat: ["kill you"]
          deposit: [deposit]
        rules:
          - {id: drug-words, version: 3, category: illegal_drugs, score: 0.8, mode: live,
             when: {keywords: [drugs]}}
          - {id: threat-words, version: 1, category: threats, score: 0.9, mode: live,
             when: {keywords: [threat]}}
          - {id: deposit-words, version: 1, category: scam_fraud, score: 0.5, mode: shadow,
             when: {keywords: [deposit]}}
    """
}
LABELLED = [
    {"id": "1", "text": "cocaine for sale", "label": "illegal_drugs"},
    {"id": "2", "text": "cocaine seized by police", "label": "benign"},
    {"id": "3", "text": "meth for sale", "label": "illegal_drugs"},
    {"id": "4", "text": "I will kill you", "label": "threats"},
    {"id": "5", "text": "hello", "label": "benign"},
    {"id": "6", "text": "pay a deposit first", "label": "scam_fraud"},
    {"id": "7", "text": "unlabelled nonsense", "label": "spam"},
]


def backtest(*args: str) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as directory:
        rules = write_pack(Path(directory) / "rules", PACK)
        source = Path(directory) / "labelled.jsonl"
        source.write_text("\n".join(json.dumps(x) for x in LABELLED), encoding="utf-8")
        out, err = StringIO(), StringIO()
        call_command(
            "patrol",
            "backtest",
            "--input",
            str(source),
            "--rules",
            str(rules),
            *args,
            stdout=out,
            stderr=err,
        )
        return out.getvalue(), err.getvalue()


class BacktestCommand(SimpleTestCase):
    def test_it_computes_precision_recall_and_f1_per_category_from_live_rules(self):
        figures = json.loads(backtest("--json")[0])
        self.assertEqual(figures["posts"], 6)
        drugs = figures["categories"]["illegal_drugs"]
        self.assertEqual((drugs["precision"], drugs["recall"], drugs["f1"]), (0.5, 0.5, 0.5))
        self.assertEqual(drugs["missed"], ["3"])
        threats = figures["categories"]["threats"]
        self.assertEqual((threats["precision"], threats["recall"], threats["f1"]), (1.0, 1.0, 1.0))
        scams = figures["categories"]["scam_fraud"]
        self.assertEqual((scams["precision"], scams["recall"], scams["f1"]), (None, 0.0, 0.0))
        self.assertEqual(figures["macro_f1"], 0.5)
        self.assertEqual((figures["false_positive_rate"], figures["benign_flagged"]), (0.5, 1))

    def test_it_gives_each_rules_precision_and_the_posts_it_got_wrong(self):
        rules = json.loads(backtest("--json")[0])["rules"]
        self.assertEqual(
            rules["drug-words"],
            {
                "version": 3,
                "mode": "live",
                "category": "illegal_drugs",
                "hits": 2,
                "correct": 1,
                "precision": 0.5,
                "wrong": ["2"],
                "wrong_count": 1,
            },
        )
        self.assertEqual(
            (rules["deposit-words"]["hits"], rules["deposit-words"]["precision"]), (1, 1.0)
        )

    def test_it_counts_shadow_rules_as_live_when_asked(self):
        figures = json.loads(backtest("--json", "--with-shadow")[0])
        self.assertEqual(figures["categories"]["scam_fraud"]["recall"], 1.0)
        self.assertEqual(figures["macro_f1"], 0.8333)

    def test_it_prints_the_same_figures_as_a_table(self):
        out, err = backtest()
        self.assertIn("illegal_drugs            0.500   0.500  0.500        2        2", out)
        self.assertIn("macro-F1: 0.500", out)
        self.assertIn("false-positive rate on benign: 0.500 (1 of 2)", out)
        self.assertRegex(out, r"drug-words\s+3\s+live\s+2\s+0\.500  2")
        self.assertIn("line 7: skipped: \"label\" 'spam' is not one of", err)
