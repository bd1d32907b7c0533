import json
import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import numpy as np
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from frontstage.patrol.engine import (
    SHIPPED_MODEL,
    Category,
    EvidenceKind,
    Post,
    RulePackError,
    shipped_classifier,
    verdict,
)
from frontstage.patrol.engine.classifier import (
    EMBEDDING_SIZE,
    NGRAM_SIZE,
    Model,
    embedding_text,
    load_model,
    ngram_features,
)
from frontstage.patrol.engine.normalise import normalise
from frontstage.patrol.tests.helpers import pack_of
from frontstage.patrol.training.corpus import Example, corpus_files, read_examples
from frontstage.patrol.training.train import threshold, train_with_figures

REPO = Path(__file__).resolve().parents[3]

SCAM_EN = (
    "Easy money from home: rate hotels online and earn $350 a day, top up your account to "
    "unlock tasks. Text me on WhatsApp"
)
SCAM_ZH = "在家做兼职，帮商家点赞刷单，佣金日结，先垫付再返还，加微信"
WARNING_EN = (
    "Police warn: task job scams ask you to pay a deposit before you get paid. "
    "Never send money to an employer."
)
WARNING_ZH = "警惕刷单诈骗，凡是刷单都是诈骗"


class StubScorer:
    """Fixed scores, counting the texts it was asked about."""

    def __init__(self, scores):
        self.scores = scores
        self.calls = []

    def score(self, texts):
        self.calls.append(list(texts))
        return [self.scores for _ in texts]

    def threshold(self, category):
        return 0.9


STUB_RULES = {
    "a.yaml": """
    keywords:
      money: [deposit]
    rules:
      - {id: model-alone, version: 1, category: scam_fraud, score: 0.6, mode: live,
         when: {classifier: {category: scam_fraud, min: 0.8}}}
      - {id: model-threshold, version: 1, category: scam_fraud, score: 0.6, mode: shadow,
         when: {classifier: {category: scam_fraud}}}
      - {id: model-and-word, version: 1, category: scam_fraud, score: 0.7, mode: live,
         when: {all: [{classifier: {category: scam_fraud, min: 0.5}}, {keywords: [money]}]}}
"""
}


def classifier():
    found = shipped_classifier()
    assert found is not None, "no model file: run `frontstage patrol train`"
    return found


def scores_of(*texts):
    return classifier().score([embedding_text(normalise(t)) for t in texts])


class ShippedModel(SimpleTestCase):
    def test_it_loads_and_scores_with_every_socket_blocked(self):
        script = (
            "import sys\n"
            "def guard(event, args):\n"
            "    if event in ('socket.connect', 'socket.getaddrinfo', 'urllib.Request'):\n"
            "        raise SystemExit('network: ' + event)\n"
            "sys.addaudithook(guard)\n"
            "from frontstage.patrol.engine import Post, shipped_pack, verdict\n"
            f"hits = shipped_pack().evaluate(Post(id='1', text='{SCAM_ZH}'))\n"
            "print(' '.join(sorted({e.kind for h in hits for e in h.evidence})))\n"
        )
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            check=False,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), "classifier keyword")

    def test_it_is_small_and_names_what_it_was_trained_on(self):
        model = load_model(SHIPPED_MODEL)
        # 7 × (512 embedding + 4,096 hashed n-gram) float32 weights: ~130 KB
        self.assertLess(SHIPPED_MODEL.stat().st_size, 200_000)
        self.assertEqual(model.labels[0], "benign")
        self.assertEqual(len(model.categories), 6)
        self.assertEqual(len(model.corpus_digest), 64)
        self.assertTrue(all(0.5 <= t <= 1 for t in model.thresholds))

    def test_it_scores_clear_scams_above_their_threshold_in_english_and_chinese(self):
        threshold = classifier().threshold(Category.SCAM_FRAUD)
        for scores in scores_of(SCAM_EN, SCAM_ZH):
            self.assertGreaterEqual(scores[Category.SCAM_FRAUD], threshold)

    def test_it_scores_warnings_that_use_the_same_words_below_every_threshold(self):
        model = classifier()
        for text, scores in zip(
            (WARNING_EN, WARNING_ZH, "this traffic is killing me"),
            scores_of(WARNING_EN, WARNING_ZH, "this traffic is killing me"),
            strict=True,
        ):
            for category, score in scores.items():
                self.assertLess(score, model.threshold(category), (text, category))


class ClassifierCondition(SimpleTestCase):
    def test_it_holds_from_the_minimum_and_shows_the_score_as_evidence(self):
        pack = pack_of(STUB_RULES)
        pack.classifier = StubScorer({Category.SCAM_FRAUD: 0.85})
        hits = {h.rule: h for h in pack.evaluate(Post(id="1", text="hello"))}
        self.assertEqual(set(hits), {"model-alone"})  # 0.85 is below the model's own 0.9
        evidence = hits["model-alone"].evidence[0]
        self.assertEqual((evidence.kind, evidence.matched, evidence.score), (
            EvidenceKind.CLASSIFIER, "scam_fraud", 0.85
        ))  # fmt: skip
        self.assertEqual(
            evidence.as_json(),
            {"kind": "classifier", "source": "classifier", "matched": "scam_fraud", "score": 0.85},
        )

    def test_it_uses_the_models_threshold_without_a_minimum(self):
        pack = pack_of(STUB_RULES)
        pack.classifier = StubScorer({Category.SCAM_FRAUD: 0.95})
        hits = [h.rule for h in pack.evaluate(Post(id="1", text="hello"))]
        self.assertEqual(sorted(hits), ["model-alone", "model-threshold"])

    def test_it_lets_a_keyword_lower_the_score_the_model_needs(self):
        pack = pack_of(STUB_RULES)
        pack.classifier = StubScorer({Category.SCAM_FRAUD: 0.6})
        judged = verdict(pack.evaluate(Post(id="1", text="pay the deposit now")))
        self.assertEqual([h.rule for h in judged.live], ["model-and-word"])
        self.assertEqual(pack.evaluate(Post(id="2", text="hello")), [])

    def test_it_never_holds_without_a_classifier(self):
        pack = pack_of(STUB_RULES)
        self.assertEqual(pack.evaluate(Post(id="1", text="pay the deposit now")), [])

    def test_it_embeds_a_batch_in_one_call_and_only_posts_a_rule_may_read(self):
        pack = pack_of(
            {
                "a.yaml": """
            keywords:
              money: [deposit]
            rules:
              - {id: gated, version: 1, category: scam_fraud, score: 0.7, mode: live,
                 when: {all: [{keywords: [money]}, {classifier: {category: scam_fraud}}]}}
        """
            }
        )
        stub = StubScorer({Category.SCAM_FRAUD: 0.95})
        pack.classifier = stub
        posts = [Post(id=str(i), text=f"deposit {i}" if i % 2 else "hello") for i in range(6)]
        hits = pack.evaluate_many(posts)
        self.assertEqual([bool(h) for h in hits], [False, True] * 3)
        self.assertEqual(stub.calls, [["deposit 1", "deposit 3", "deposit 5"]])

    def test_it_refuses_conditions_it_cannot_test(self):
        for condition, problem in [
            ("{classifier: {category: child_sexual_abuse}}", "by hash only"),
            ("{classifier: {category: scam_fraud, min: 2}}", "from 0 to 1"),
            ("{classifier: {category: spam}}", "is not one of"),
            ("{classifier: scam_fraud}", "takes {category: CODE}"),
        ]:
            rules = {
                "a.yaml": f"""
                rules:
                  - {{id: r, version: 1, category: scam_fraud, score: 0.5, mode: live,
                     when: {condition}}}
                """
            }
            with self.assertRaises(RulePackError) as raised:
                pack_of(rules)
            self.assertIn(problem, str(raised.exception))


class Training(SimpleTestCase):
    def test_it_gives_the_same_weights_from_the_same_examples(self):
        examples = read_examples(corpus_files())
        tiny = [
            e
            for label in ("benign", "scam_fraud", "illegal_drugs")
            for e in [e for e in examples if e.label == label][::40][:12]
        ]
        first = train_with_figures(tiny, folds=2)
        second = train_with_figures(list(tiny), folds=2)
        self.assertEqual(first.model.digest(), second.model.digest())
        self.assertEqual(first.model.corpus_digest, second.model.corpus_digest)
        self.assertEqual(first.model.labels, ("benign", "scam_fraud", "illegal_drugs"))
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "classifier.npz"
            first.model.save(path)
            self.assertEqual(load_model(path).digest(), first.model.digest())

    def test_thousands_of_everyday_posts_cannot_pay_for_flagging_the_warnings(self):
        # 100 scams, 1,000 posts of weather and lunch, 20 anti-scam warnings; two of the
        # warnings score 0.9, between the sure scams (0.95) and the less sure ones (0.85)
        scores = np.array([0.95] * 50 + [0.9] * 2 + [0.85] * 50 + [0.1] * 1018, np.float32)
        y = np.array([1] * 50 + [0] * 2 + [1] * 50 + [0] * 1018)
        on_topic = np.array([True] * 120 + [False] * 1000)
        self.assertGreater(threshold(scores, y, 1, on_topic), 0.9)
        # counted only over all benign posts, 2 of 1,020 would have passed the budget
        self.assertLess(threshold(scores, y, 1, np.zeros(len(y), bool)), 0.86)

    def test_only_benign_posts_of_the_everyday_files_are_off_topic(self):
        self.assertFalse(Example("benign_chat.en.t00.00", "call me", "benign").on_topic)
        self.assertTrue(Example("benign_more.en.s01.00", "scam alert", "benign").on_topic)
        self.assertTrue(Example("casework.7.0", "call me", "benign").on_topic)
        self.assertTrue(Example("hand_zh_e.zh.x.1", "刷单", "scam_fraud").on_topic)


class Features(SimpleTestCase):
    def test_hashed_ngrams_are_stable_unit_rows_and_read_chinese_by_character(self):
        rows = ngram_features(["scam warning", "scam warning", "警惕刷单诈骗", ""])
        self.assertEqual(rows.shape, (4, NGRAM_SIZE))
        self.assertEqual(rows[0].tolist(), rows[1].tolist())
        self.assertAlmostEqual(float(np.linalg.norm(rows[0])), 1.0, places=5)
        self.assertEqual(int(np.count_nonzero(rows[0])), 3)  # scam, warning, "scam warning"
        self.assertEqual(int(np.count_nonzero(rows[2])), 11)  # 6 characters, 5 pairs
        self.assertEqual(float(np.abs(rows[3]).sum()), 0.0)

    def test_a_model_file_without_ngrams_still_loads_and_scores_the_embedding_alone(self):
        model = Model(
            labels=("benign", "scam_fraud"),
            weights=np.zeros((2, EMBEDDING_SIZE), np.float32),
            bias=np.zeros(2, np.float32),
            thresholds=np.array([0.5], np.float32),
            corpus_digest="0" * 64,
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "old.npz"
            with path.open("wb") as file:  # as files were written before n-grams
                np.savez(
                    file,
                    **{k: getattr(model, k) for k in ("weights", "bias", "thresholds")},
                    labels=np.array(model.labels),
                    corpus_digest=np.array(model.corpus_digest),
                    encoder=np.array(model.encoder),
                )
            self.assertEqual(load_model(path).ngrams, 0)

    def test_no_held_out_file_is_trained_on(self):
        names = [path.name for path in corpus_files()]
        self.assertNotIn("heldout.jsonl", names)
        self.assertNotIn("heldout2.jsonl", names)
        self.assertNotIn("heldout3.jsonl", names)
        self.assertTrue(all(not name.startswith("heldout") for name in names))


class ScanWithoutModel(SimpleTestCase):
    def scan(self, *args):
        with tempfile.TemporaryDirectory() as directory:
            source = Path(directory) / "posts.jsonl"
            source.write_text(
                json.dumps({"id": "a", "text": SCAM_ZH}, ensure_ascii=False), encoding="utf-8"
            )
            out, err = StringIO(), StringIO()
            call_command("patrol", "scan", "--input", str(source), *args, stdout=out, stderr=err)
            return json.loads(out.getvalue()), err.getvalue()

    def test_it_runs_the_rules_and_says_the_model_is_missing(self):
        row, err = self.scan("--model", "/nonexistent/classifier.npz")
        self.assertEqual(row["categories"], ["scam_fraud"])
        self.assertFalse(any(h["rule"].startswith("classifier") for h in row["shadow"]))
        self.assertIn("No classifier model at /nonexistent/classifier.npz: rules only", err)

    def test_it_leaves_the_classifier_out_when_asked(self):
        row, err = self.scan("--no-classifier")
        self.assertEqual(row["categories"], ["scam_fraud"])
        self.assertFalse(any(h["rule"].startswith("classifier") for h in row["shadow"]))
        self.assertNotIn("No classifier model", err)

    def test_it_refuses_a_file_that_is_not_a_model(self):
        with tempfile.TemporaryDirectory() as directory:
            broken = Path(directory) / "classifier.npz"
            broken.write_bytes(b"PK\x03\x04 not really a zip")
            with self.assertRaises(CommandError) as raised:
                self.scan("--model", str(broken))
        self.assertIn("The classifier model cannot be used", str(raised.exception))
        self.assertIn("is not a classifier model", str(raised.exception))

    def test_it_flags_with_the_live_classifier_rule_and_lists_the_shadow_ones(self):
        row, _ = self.scan()
        self.assertIn("classifier.scam-fraud", [h["rule"] for h in row["hits"]])
        self.assertIn("scam_fraud", row["categories"])
        self.assertTrue(all(h["rule"].startswith("classifier-agrees.") for h in row["shadow"]))
