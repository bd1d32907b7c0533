import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from frontstage.cases.actions import decide_case, move_case
from frontstage.cases.models import Case, CaseOutcome
from frontstage.intake.models import Report
from frontstage.patrol.casework import decided_examples
from frontstage.patrol.engine import Post
from frontstage.patrol.runner import patrol
from frontstage.patrol.training.corpus import corpus_files, read_examples
from frontstage.test import Personas

SCAM = "刷单返利，日赚500，加vx: shuadan888 了解详情"


class LearningFromCasework(Personas):
    """The south region decided the patrol's cases; the classifier learns from them."""

    def decide(self, text: str, url: str, outcome: str) -> bool:
        """Patrol one post and decide its case; False when no live rule flagged it."""
        if not patrol([Post(id=url, text=text, urls=[url])], source="s", unit=self.south).reports:
            return False
        case = Report.objects.filter(source="patrol").latest("pk").case
        case = move_case(case=case, to="triaged", by=self.analyst)
        case = move_case(case=case, to="in_review", by=self.analyst)
        decide_case(case=case, outcome=outcome, by=self.supervisor)
        return True

    def test_it_labels_actioned_posts_by_category_and_false_alarms_as_benign(self) -> None:
        self.assertTrue(self.decide(SCAM, "http://a.example/1", "action_taken"))
        flagged_twice = SCAM + " 再说一遍"
        self.assertTrue(self.decide(flagged_twice, "http://b.example/2", "no_violation"))
        examples = {e.text: e.label for e in decided_examples(self.south)}
        self.assertEqual(examples, {SCAM: "scam_fraud", flagged_twice: "benign"})
        self.assertEqual(decided_examples(self.east), [])

    def test_it_learns_a_post_whose_sanction_was_reversed_on_appeal_as_benign(self) -> None:
        self.assertTrue(self.decide(SCAM, "http://a.example/1", "action_taken"))
        case = Report.objects.get(source="patrol").case
        # the appeal itself is tested with the cases; here only the outcome it leaves matters
        Case.objects.filter(pk=case.pk).update(outcome=CaseOutcome.REVERSED)
        self.assertEqual(
            [(e.text, e.label) for e in decided_examples(self.south)], [(SCAM, "benign")]
        )

    def test_it_retrains_with_decisions_and_compares_the_held_out_backtest(self) -> None:
        self.decide(SCAM, "http://a.example/1", "action_taken")
        examples = read_examples(corpus_files())
        tiny = [
            e
            for label in ("benign", "scam_fraud", "illegal_drugs")
            for e in [e for e in examples if e.label == label][::40][:12]
        ]
        with tempfile.TemporaryDirectory() as folder:
            corpus, output = Path(folder) / "corpus", Path(folder) / "model"
            corpus.mkdir()
            output.mkdir()
            lines = [
                json.dumps({"id": e.id, "text": e.text, "label": e.label}, ensure_ascii=False)
                for e in tiny
            ]
            (corpus / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            out = StringIO()
            call_command(
                "patrol", "train", "--with-decisions", "--unit", "south", "--corpus", str(corpus),
                "--output", str(output), stdout=out, stderr=StringIO(),
            )  # fmt: skip
            self.assertTrue((output / "classifier.npz").exists())
        printed = out.getvalue()
        self.assertIn("1 examples from decided cases", printed)
        self.assertRegex(printed, r"before: macro-F1 [0-9.]+")
        self.assertRegex(printed, r"after: +macro-F1 [0-9.]+")
