from django.test import SimpleTestCase

from frontstage.patrol.engine import SHIPPED_RULES
from frontstage.patrol.engine.fingerprint import fingerprints, lock_text, read_lock, unlocked
from frontstage.patrol.engine.loader import read_documents


def pack(words: list[str], *, mode: str = "live", title: str = "Drug sale") -> list:
    rule = {
        "id": "drugs.sale",
        "version": 1,
        "category": "illegal_drugs",
        "score": 0.8,
        "mode": mode,
        "title": title,
        "when": {"keywords": ["drug_words"]},
    }
    keywords = {"drug_words": {"words": words}, "club_words": {"words": ["range"]}}
    return [("drugs.yaml", {"keywords": keywords, "rules": [rule]})]


class RuleVersions(SimpleTestCase):
    def test_every_shipped_rule_matches_the_version_locked_for_it(self):
        lock = read_lock((SHIPPED_RULES / "versions.lock").read_text("utf-8"))
        self.assertEqual(unlocked(fingerprints(read_documents(SHIPPED_RULES)), lock), [])

    def test_an_analyst_who_adds_a_word_to_a_set_must_give_its_rules_a_new_version(self):
        before = fingerprints(pack(["ketamine"]))
        after = fingerprints(pack(["ketamine", "k-hole"]))
        self.assertEqual(
            unlocked(after, before),
            [
                "rule drugs.sale changed (its condition or a set it names) but keeps "
                "version 1: give it version 2"
            ],
        )

    def test_a_new_version_is_named_with_the_line_the_lock_needs(self):
        documents = pack(["ketamine", "k-hole"])
        documents[0][1]["rules"][0]["version"] = 2
        problems = unlocked(fingerprints(documents), fingerprints(pack(["ketamine"])))
        self.assertEqual(len(problems), 1)
        self.assertIn("rule drugs.sale version 2 is not in the lock", problems[0])

    def test_switching_a_rule_to_shadow_or_retitling_it_keeps_its_version(self):
        before = fingerprints(pack(["ketamine"]))
        self.assertEqual(before, fingerprints(pack(["ketamine"], mode="shadow", title="Other")))

    def test_a_set_no_rule_names_changes_no_rule(self):
        documents = pack(["ketamine"])
        documents[0][1]["keywords"]["club_words"]["words"].append("rifle")
        self.assertEqual(fingerprints(documents), fingerprints(pack(["ketamine"])))

    def test_the_lock_file_reads_back_what_was_written(self):
        prints = fingerprints(pack(["ketamine"]))
        self.assertEqual(read_lock(lock_text(prints)), prints)
        self.assertEqual(unlocked({}, prints), ["rule drugs.sale is in the lock but in no file"])
