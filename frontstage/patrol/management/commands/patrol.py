import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontstage.patrol import run_command, train_command
from frontstage.patrol.backtest import backtest
from frontstage.patrol.backtest_report import as_json, as_text
from frontstage.patrol.engine import (
    SHIPPED_MODEL,
    SHIPPED_RULES,
    Classifier,
    Hit,
    ModelError,
    RulePack,
    RulePackError,
    load_classifier,
    load_pack,
)
from frontstage.patrol.jsonl import Line, read_posts
from frontstage.patrol.progress import Progress
from frontstage.patrol.scan import Writer, evaluate_lines, scan

_MAX_IDS = 10


class Command(BaseCommand):
    help = (
        "Run the patrol rules over posts in a JSON Lines file, without a database. "
        "`patrol scan` writes one result line per post; `patrol backtest` measures the rules "
        "on labelled posts."
    )
    requires_system_checks: list[str] = []  # needs no database and no other app

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="scan|backtest|run|train")
        run_command.add_arguments(
            sub.add_parser("run", help="Patrol a source and record hits; live hits become reports.")
        )
        scan_verb = sub.add_parser("scan", help="Write the hits of every post.")
        scan_verb.add_argument("--output", help="HITS.jsonl to write (default: stdout)")
        check = sub.add_parser("backtest", help="Precision, recall and F1 on labelled posts.")
        check.add_argument("--json", action="store_true", help="print the figures as JSON")
        check.add_argument(
            "--with-shadow", action="store_true", help="count shadow rules as if they were live"
        )
        check.add_argument(
            "--max-ids", type=int, default=_MAX_IDS, help="post ids listed per rule or category"
        )
        for verb in (scan_verb, check):
            verb.add_argument("--input", required=True, help="POSTS.jsonl, or - for stdin")
            verb.add_argument("--rules", help="rule pack directory (default: the shipped pack)")
            verb.add_argument(
                "--region", help="country code (e.g. GB) for phone numbers written without one"
            )
            verb.add_argument("--model", help="classifier model .npz (default: the shipped one)")
            verb.add_argument(
                "--no-classifier", action="store_true", help="rules without the classifier (faster)"
            )
        train_command.add_arguments(
            sub.add_parser("train", help="Train the classifier heads on the project's corpus.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "run":
            run_command.run(options, self.stdout, self.stderr)
            return
        if options["verb"] == "train":
            train_command.run(options, self.stdout, self.stderr)
            return
        pack = _pack(options["rules"], options["region"], self._classifier(options))
        labelled = options["verb"] == "backtest"
        with ExitStack() as stack:
            source, size, images_from = _open_input(stack, options["input"])
            progress = Progress(sys.stderr, size)
            lines = _advancing(
                read_posts(source, images_from=images_from, labelled=labelled), progress
            )
            err = progress.above(self.stderr)
            if labelled:
                result = backtest(
                    _evaluated(lines, pack, err), pack.rules, count_shadow=options["with_shadow"]
                )
                progress.close()
            else:
                out: Writer = self.stdout
                if options["output"]:
                    out = stack.enter_context(_create(options["output"]))
                count = scan(lines, pack, out, err)
                progress.close()
                self.stderr.write(
                    f"{count.posts} posts scanned, {count.flagged} flagged, "
                    f"{count.skipped} lines skipped."
                )
                return
        if options["json"]:
            figures = as_json(result, max_ids=options["max_ids"])
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(as_text(result, max_ids=options["max_ids"]), ending="")

    def _classifier(self, options: dict[str, Any]) -> Classifier | None:
        if options["no_classifier"]:
            return None
        path = Path(options["model"]) if options["model"] else SHIPPED_MODEL
        try:
            found = load_classifier(path)
        except ModelError as error:
            raise CommandError(f"The classifier model cannot be used: {error}") from None
        if found is None:
            self.stderr.write(
                f"No classifier model at {path}: rules only, classifier rules never hold "
                "(train one with `frontstage patrol train`)."
            )
        return found


def _pack(rules: str | None, region: str | None, classifier: Classifier | None) -> RulePack:
    try:
        return load_pack(
            Path(rules) if rules else SHIPPED_RULES, region=region, classifier=classifier
        )
    except RulePackError as error:
        raise CommandError(f"The rule pack cannot be used:\n{error}") from None


def _open_input(stack: ExitStack, name: str) -> tuple[IO[bytes], int | None, Path]:
    """The input, its size for the progress bar, and where its relative image paths start."""
    if name == "-":
        return sys.stdin.buffer, None, Path.cwd()
    path = Path(name)
    try:
        source = stack.enter_context(path.open("rb"))
    except OSError as error:
        raise CommandError(f"Cannot read {name}: {error.strerror}.") from None
    return source, path.stat().st_size, path.parent


def _create(name: str) -> IO[str]:
    try:
        return Path(name).open("w", encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {name}: {error.strerror}.") from None


def _advancing(lines: Iterator[Line], progress: Progress) -> Iterator[Line]:
    for line in lines:
        yield line
        progress.advance(line.size)


def _evaluated(
    lines: Iterator[Line], pack: RulePack, err: Writer
) -> Iterator[tuple[str, str, list[Hit]]]:
    for line, hits in evaluate_lines(lines, pack, err):
        if line.post is None or line.label is None or hits is None:
            err.write(f"line {line.number}: skipped: {line.problem}\n")
            continue
        yield line.post.id, line.label, hits
