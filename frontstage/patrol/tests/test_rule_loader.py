import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from frontstage.patrol.engine import Mode, Post, RulePackError, load_pack
from frontstage.patrol.tests.helpers import pack_of, write_pack

GOOD_RULE = """
    keywords:
      words: [foo]
    rules:
      - {id: ok, version: 1, category: threats, score: 0.5, mode: live, when: {keywords: [words]}}
"""


class RuleLoading(SimpleTestCase):
    def problems(self, files: dict[str, str]) -> list[str]:
        with self.assertRaises(RulePackError) as caught:
            pack_of(files)
        return caught.exception.problems

    def test_it_names_the_file_and_rule_of_each_problem(self):
        problems = self.problems(
            {
                "a.yaml": GOOD_RULE,
                "b.yaml": """
                rules:
                  - {id: bad-category, version: 1, category: scams, score: 0.5, mode: live,
                     when: {keywords: [words]}}
                  - {id: bad-score, version: 1, category: threats, score: 2, mode: live,
                     when: {keywords: [words]}}
                  - {id: bad-mode, version: 1, category: threats, score: 0.5, mode: on,
                     when: {keywords: [words]}}
                  - {id: missing-set, version: 1, category: threats, score: 0.5, mode: live,
                     when: {keywords: [nowhere]}}
                  - {id: typo, version: 1, category: threats, score: 0.5, mode: live,
                     when: {keywrods: [words]}}
            """,
            }
        )
        self.assertEqual(len(problems), 5, problems)
        self.assertIn("b.yaml: rule bad-category: category 'scams' is not one of:", problems[0])
        self.assertIn("b.yaml: rule bad-score: score 2 must be a number from 0 to 1", problems)
        self.assertIn("b.yaml: rule bad-mode: mode True is not one of: live, shadow", problems)
        self.assertIn("b.yaml: rule typo: unknown condition `keywrods`", problems[3])
        self.assertIn("b.yaml: rule missing-set: no keywords named 'nowhere' in the pack", problems)

    def test_it_reports_invalid_yaml_with_its_line(self):
        (problem,) = self.problems({"broken.yaml": "rules:\n  - {id: x\n"})
        self.assertTrue(problem.startswith("broken.yaml: not valid YAML"), problem)
        self.assertIn("line", problem)

    def test_it_refuses_duplicate_rule_ids_and_set_names_across_files(self):
        problems = self.problems({"a.yaml": GOOD_RULE, "b.yaml": GOOD_RULE})
        self.assertEqual(
            problems,
            [
                "b.yaml: keywords words: name already used in a.yaml",
                "b.yaml: rule ok: id already used in a.yaml",
            ],
        )

    def test_it_refuses_unknown_keys_so_typos_are_not_silently_ignored(self):
        (problem,) = self.problems(
            {"a.yaml": GOOD_RULE.replace("mode: live", "mode: live, scroe: 1")}
        )
        self.assertEqual(problem, "a.yaml: rule ok: unknown key(s) scroe")

    def test_it_refuses_words_for_child_sexual_abuse(self):
        (problem,) = self.problems({"a.yaml": GOOD_RULE.replace("threats", "child_sexual_abuse")})
        self.assertIn("a child_sexual_abuse rule may test pdq_list only", problem)

    def test_it_asks_for_quotes_when_yaml_reads_a_keyword_as_a_boolean(self):
        (problem,) = self.problems({"a.yaml": GOOD_RULE.replace("[foo]", "[foo, no]")})
        self.assertIn("a.yaml: keywords words:", problem)
        self.assertIn("quoted", problem)

    def test_it_refuses_a_regex_that_does_not_compile_or_matches_everything(self):
        problems = self.problems(
            {
                "a.yaml": """
            patterns:
              broken: '(unclosed'
              everything: '.*'
        """
            }
        )
        self.assertIn("a.yaml: patterns broken: regex does not compile", problems[0])
        self.assertIn("a.yaml: patterns everything: regex matches the empty string", problems[1])

    def test_it_says_when_a_list_file_is_missing_unless_it_is_optional(self):
        lists = """
            url_lists:
              needed: {file: lists/needed.urls}
              maybe: {file: lists/maybe.urls, optional: true}
        """
        (problem,) = self.problems({"a.yaml": lists})
        self.assertIn("a.yaml: url_lists needed:", problem)
        self.assertIn("needed.urls", problem)

    def test_it_says_when_a_directory_holds_no_rule_files(self):
        with tempfile.TemporaryDirectory() as empty, self.assertRaises(RulePackError) as caught:
            load_pack(empty)
        self.assertIn("no rule files", str(caught.exception))

    def test_it_compiles_a_valid_pack_into_rules_that_evaluate(self):
        pack = pack_of({"a.yaml": GOOD_RULE})
        (rule,) = pack.rules
        self.assertEqual(
            (rule.id, rule.version, rule.mode, rule.file), ("ok", 1, Mode.LIVE, "a.yaml")
        )
        self.assertEqual([h.rule for h in pack.evaluate(Post(id="1", text="FOO!"))], ["ok"])

    def test_it_loads_list_files_relative_to_the_rules_directory(self):
        with tempfile.TemporaryDirectory() as directory:
            write_pack(
                Path(directory),
                {
                    "a.yaml": "url_lists:\n  l: {file: lists/x.urls}\n",
                    "lists/x.urls": "evil.example\n",
                },
            )
            pack = load_pack(directory)
        self.assertEqual(len(pack.url_lists["l"]), 1)
