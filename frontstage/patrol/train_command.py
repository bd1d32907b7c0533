"""`frontstage patrol train [--output DIR]`: the classifier heads from the project's corpus,
written as DIR/classifier.npz (by default over the shipped model). No database."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from frontstage.patrol.backtest import Backtest
from frontstage.patrol.casework import decided_examples, heldout_backtest
from frontstage.patrol.engine import SHIPPED_MODEL
from frontstage.patrol.scan import Writer
from frontstage.patrol.training.corpus import CORPUS, CorpusError, corpus_files, read_examples
from frontstage.patrol.training.train import Training, train_with_figures
from frontstage.units.models import Unit


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "--output", help=f"directory for classifier.npz (default: {SHIPPED_MODEL.parent})"
    )
    parser.add_argument(
        "--corpus", help="directory of labelled *.jsonl (default: the project's corpus)"
    )
    parser.add_argument(
        "--with-decisions", action="store_true",
        help="add every decided case the patrol flagged as an example, and compare the "
        "held-out backtest before and after (needs the database)",
    )  # fmt: skip
    parser.add_argument("--unit", help="with --with-decisions: only cases of this unit and below")


def run(options: dict[str, Any], out: Writer, err: Writer) -> None:
    corpus = Path(options["corpus"]) if options.get("corpus") else CORPUS
    files = corpus_files(corpus)
    if not files:
        raise CommandError(f"No *.jsonl training files in {corpus}.")
    try:
        examples = read_examples(files)
    except CorpusError as error:
        raise CommandError(f"The corpus cannot be used: {error}") from None
    target = (
        Path(options["output"]) / SHIPPED_MODEL.name if options.get("output") else SHIPPED_MODEL
    )
    before = None
    if options.get("with_decisions"):
        decided = decided_examples(_unit(options.get("unit")))
        out.write(f"{len(decided)} examples from decided cases added to the corpus.\n")
        examples = [*examples, *decided]
        before = heldout_backtest(SHIPPED_MODEL)
    started = time.perf_counter()
    try:
        training = train_with_figures(examples)
    except ValueError as error:
        raise CommandError(str(error)) from None
    training.model.save(target)
    if before is not None:
        after = heldout_backtest(target)
        out.write(_compare(before, after))
    seconds = time.perf_counter() - started
    out.write(_summary(training, len(examples), len(files)))
    err.write(f"Trained in {seconds:.1f} s; wrote {target}.")


def _summary(training: Training, examples: int, files: int) -> str:
    lines = [
        f"{examples} examples from {files} files, corpus sha256 {training.model.corpus_digest}",
        "held-back folds (posts scored by heads that never saw their template):",
        f"{'category':<20}{'threshold':>10}{'precision':>10}{'recall':>8}{'support':>9}",
    ]
    for figures in training.held_back:
        precision = "—" if figures.precision is None else f"{figures.precision:.3f}"
        lines.append(
            f"{figures.category.value:<20}{figures.threshold:>10.4f}{precision:>10}"
            f"{figures.recall:>8.3f}{figures.support:>9}"
        )
    share = training.benign_flagged / training.benign if training.benign else 0.0
    lines.append(
        f"benign flagged: {share:.3f} ({training.benign_flagged} of {training.benign}; "
        f"on topic {training.on_topic_flagged} of {training.on_topic}); "
        f"model sha256 {training.model.digest()}"
    )
    return "\n".join(lines) + "\n"


def _compare(before: Backtest, after: Backtest) -> str:
    def cell(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    rows = [("before", before), ("after", after)]
    lines = [
        f"  {name + ':':<8}macro-F1 {cell(figures.macro_f1)}, "
        f"benign flagged {cell(figures.false_positive_rate)}"
        for name, figures in rows
    ]
    return "held-out backtest (classifier rules counted as live):\n" + "\n".join(lines) + "\n"


def _unit(slug: str | None) -> Unit | None:
    if not slug:
        return None
    unit = Unit.objects.filter(slug=slug).first()
    if unit is None:
        raise CommandError(f"No unit has the slug {slug!r}.")
    return unit
