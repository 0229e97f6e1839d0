"""``ungpkit train``, ``ungpkit classify`` and the sentence-CSV part of ``ungpkit eval``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ungpkit.cli.output import errors, fail, progress_bar

CORPUS = Path("../shared/corpus/aims")
GRIDS = ("modern-slavery-au",)
TRAINED_SHARE = 0.05
"""Share of training sentences in a labelled file above which `eval` says so."""


def _check_grid(grid_id: str) -> None:
    if grid_id in GRIDS:
        return
    from ungpkit.framework import default_framework

    known = [grid.id for grid in default_framework().grids]
    if grid_id not in known:
        fail(
            f"Unknown grid {grid_id!r}. Sentence models exist for {', '.join(GRIDS)}; the "
            f"framework's grids are {', '.join(known)}."
        )
    fail(
        f"No sentence model for grid {grid_id!r}: batch classification is available for "
        f"{', '.join(GRIDS)}. Use `ungpkit check FILE --grid {grid_id}` for whole reports."
    )


@click.command("train")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=CORPUS,
    show_default=True,
    help="Folder with au_dev.csv, uk_sentences.csv and ca_sentences.csv (AIMS.au, CC BY 4.0).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the model (default: the file shipped in the package).",
)
@click.option("--no-measure", is_flag=True, help="Skip the held-out and cross-jurisdiction runs.")
def train_command(corpus: Path, output: Path | None, no_measure: bool) -> None:
    """Rebuild the modern-slavery sentence model from the AIMS.au data (fixed seeds).

    Prints the held-out figures (trained on UK + Canadian statements, tested on au_dev), the
    cross-jurisdiction figures, then trains the shipped model on all three files.
    """
    from ungpkit.reporting.model import DEFAULT_MODEL
    from ungpkit.reporting.train import run

    if not (corpus / "au_dev.csv").exists():
        fail(f"No AIMS.au data in {corpus}: give --corpus FOLDER (see docs/report-analysis.md).")
    run(corpus, output or DEFAULT_MODEL, measure=not no_measure, log=click.echo)


@click.command("classify")
@click.option("--grid", "grid_id", default="modern-slavery-au", show_default=True)
@click.option(
    "--input",
    "source",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with statement_id and sentence columns, rows in document order.",
)
@click.option(
    "--output",
    "target",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV to write: the input rows, one 0/1 and one _prob column per criterion.",
)
def classify_command(grid_id: str, source: Path, target: Path) -> None:
    """Classify the sentences of a CSV against the criteria of a reporting grid."""
    from ungpkit.reporting.batch import classify_csv
    from ungpkit.reporting.data import DataError
    from ungpkit.reporting.model import ModelMissing

    _check_grid(grid_id)
    try:
        with progress_bar(f"Classifying {source.name}") as progress:
            count = classify_csv(source, target, progress=progress)
    except (DataError, ModelMissing) as exc:
        fail(f"{source.name}: {exc}")
        return
    except OSError as exc:
        fail(f"Cannot write {target}: {exc.strerror}.")
        return
    errors.print(f"Wrote {target} ({count} sentences)")


def evaluate_sentences(source: Path, grid_id: str, fmt: str = "text") -> None:
    """Print per-criterion precision, recall, F1 and macro-F1 of the model on ``source``.

    The body of ``ungpkit eval --grid modern-slavery-au --input FILE.csv``.
    """
    from ungpkit.reporting.batch import evaluate_csv
    from ungpkit.reporting.data import DataError
    from ungpkit.reporting.model import ModelMissing

    _check_grid(grid_id)
    try:
        with progress_bar(f"Scoring {source.name}") as progress:
            scores = evaluate_csv(source, progress=progress)
    except (DataError, ModelMissing) as exc:
        fail(f"{source.name}: {exc}")
        return
    seen, total = scores.seen, scores.sentences
    if fmt == "json":
        click.echo(json.dumps(dict(scores.to_dict(), seen_in_training=seen), indent=2))
    else:
        click.echo(scores.table(f"{grid_id}: sentence-level scores on {source.name}"))
    if total and seen / total >= TRAINED_SHARE:
        errors.print(
            f"Note: {seen} of the {total} sentences of {source.name} ({seen / total:.0%}) were "
            "in the model's training data, so these figures are not those of unseen "
            "statements. Held-out figures: docs/report-analysis.md."
        )


@click.command("eval-sentences")
@click.option("--grid", "grid_id", default="modern-slavery-au", show_default=True)
@click.option(
    "--input",
    "source",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled CSV (au_dev columns or a 'targets' column).",
)
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def eval_sentences_command(grid_id: str, source: Path, fmt: str) -> None:
    """Score the sentence model on a labelled CSV (what `eval --input` runs)."""
    evaluate_sentences(source, grid_id, fmt)
