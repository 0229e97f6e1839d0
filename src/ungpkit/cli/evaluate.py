"""``ungpkit eval``: measure the check against labelled checklists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from ungpkit.analysis import assess
from ungpkit.analysis.evaluation import EvaluationResult, LoadedChecklist, evaluate, load_checklists
from ungpkit.analysis.model import Assessment
from ungpkit.cli.output import console, errors, fail
from ungpkit.documents import DocumentError, read_document
from ungpkit.framework import default_framework

if TYPE_CHECKING:
    from ungpkit.grievances.triage_eval import TriageEvaluation


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@click.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to look in for documents a checklist cannot find by its own path.",
)
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--misses", is_flag=True, help="List each disagreement under its element.")
@click.option(
    "--grid",
    "grid_id",
    default=None,
    help="With --input: the report grid the sentences are labelled against.",
)
@click.option(
    "--input",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Evaluate sentence classification on a labelled CSV (see docs/report-analysis.md).",
)
@click.option(
    "--triage",
    "triage_labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="LABELS.jsonl",
    help="Evaluate grievance triage on staff-confirmed labels (see docs/triage.md).",
)
def eval_command(
    paths: tuple[Path, ...],
    corpus: Path | None,
    fmt: str,
    misses: bool,
    grid_id: str | None,
    source: Path | None,
    triage_labels: Path | None,
) -> None:
    """Run the check over labelled checklists and print per-element precision and recall.

    PATHS are checklist files or folders of them (default: eval/checklists). The format is
    described in eval/README.md. With --input, evaluates the sentence classifier of a report
    grid (default modern-slavery-au) on a labelled CSV and prints per-criterion precision,
    recall, F1 and the macro-F1. With --triage, measures grievance triage against labels
    confirmed by staff (JSON Lines, as exported; e.g. eval/triage/labelled.jsonl).
    """
    if triage_labels is not None:
        evaluate_triage_labels(triage_labels, fmt, misses)
        return
    if source is not None:
        from ungpkit.cli.reporting import evaluate_sentences

        evaluate_sentences(source, grid_id or "modern-slavery-au", fmt)
        return
    targets = list(paths) or [Path("eval/checklists")]
    if not all(p.exists() for p in targets):
        fail("No checklists found: give checklist files or folders (see eval/README.md).")
    try:
        checklists, skipped = load_checklists(targets, corpus)
    except (ValueError, OSError) as exc:
        fail(f"A checklist is malformed: {exc}")
        return
    if not checklists:
        fail("None of the checklists' documents could be found. " + "; ".join(skipped))
    framework = default_framework()

    def run(loaded: LoadedChecklist) -> Assessment:
        try:
            document = read_document(loaded.document_path, language=loaded.checklist.lang)
        except DocumentError as exc:
            fail(f"{loaded.document_path.name}: {exc.message}")
            raise
        return assess(document, framework.grid(loaded.checklist.grid), lang=loaded.checklist.lang)

    result = evaluate(checklists, run)
    result.skipped = skipped
    if fmt == "json":
        click.echo(json.dumps(_as_dict(result), indent=2))
    else:
        _print(result, misses)


def _as_dict(result: EvaluationResult) -> dict[str, object]:
    overall = result.overall()
    return {
        "documents": result.documents,
        "skipped": result.skipped,
        "overall": {
            "precision": overall.precision,
            "recall": overall.recall,
            "f1": overall.f1,
            "agreement": overall.agreement,
            "locator_recall": overall.locator_recall,
            "macro_f1": result.macro_f1(),
        },
        "confusion": {f"{e}->{p}": n for (e, p), n in sorted(result.confusion.items())},
        "elements": {
            e: {
                "n": s.total,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "agreement": s.agreement,
                "locator_recall": s.locator_recall,
                "misses": s.misses,
            }
            for e, s in sorted(result.scores.items())
        },
    }


def _print_confusion(result: EvaluationResult) -> None:
    statuses = ["met", "partial", "absent"]
    table = Table(title="Status: expected (rows) against predicted (columns)", title_justify="left")
    table.add_column("expected")
    for status in statuses:
        table.add_column(status, justify="right")
    for expected in statuses:
        table.add_row(expected, *(str(result.confusion.get((expected, p), 0)) for p in statuses))
    console.print(table)


def _print(result: EvaluationResult, misses: bool) -> None:
    table = Table(
        title=f"UNGP check against {len(result.documents)} labelled documents", title_justify="left"
    )
    for column in (
        "element",
        "n",
        "precision",
        "recall",
        "F1",
        "status agreement",
        "locator recall",
    ):
        if column == "element":
            table.add_column(column, no_wrap=True, min_width=44)
        else:
            table.add_column(column, justify="right", max_width=9)
    for element_id, s in sorted(result.scores.items()):
        table.add_row(
            element_id,
            str(s.total),
            _fmt(s.precision),
            _fmt(s.recall),
            _fmt(s.f1),
            _fmt(s.agreement),
            _fmt(s.locator_recall),
        )
    overall = result.overall()
    table.add_section()
    table.add_row(
        "[bold]all (micro)[/]",
        str(overall.total),
        _fmt(overall.precision),
        _fmt(overall.recall),
        _fmt(overall.f1),
        _fmt(overall.agreement),
        _fmt(overall.locator_recall),
    )
    console.print(table)
    console.print(
        f"macro-F1 over elements: {result.macro_f1():.3f}   "
        f"documents: {', '.join(result.documents)}"
    )
    _print_confusion(result)
    if misses:
        console.print("\n[bold]Disagreements on presence[/]")
        for element_id, score in sorted(result.scores.items()):
            for miss in score.misses:
                console.print(f"  {element_id}  {miss}")
    for note in result.skipped:
        errors.print(f"[yellow]skipped[/] {note}")


def evaluate_triage_labels(path: Path, fmt: str, misses: bool) -> None:
    """``ungpkit eval --triage``: triage every labelled grievance and print the figures."""
    from ungpkit.grievances.triage_eval import LabelsError, evaluate_triage, load_labelled

    try:
        items = load_labelled(path)
    except LabelsError as exc:
        fail(str(exc))
        return
    result = evaluate_triage(items)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    _print_triage(result, path)
    if misses:
        console.print("\n[bold]Disagreements[/]")
        for miss in result.misses:
            console.print(f"  {miss}")


def _print_triage(result: TriageEvaluation, path: Path) -> None:
    from ungpkit.grievances.triage_eval import KINDS

    table = Table(
        title=f"Triage against {result.n} labelled grievances ({path.name})", title_justify="left"
    )
    table.add_column("label", no_wrap=True, min_width=34)
    for column in ("support", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for kind in KINDS:
        for s in result.selected(kind):
            table.add_row(s.label, str(s.support), _fmt(s.precision), _fmt(s.recall), _fmt(s.f1))
        table.add_section()
    for kind in (*KINDS, None):
        m = result.micro(kind)
        name = {"right": "rights", "harm": "harm types", "urgent": "urgency flags"}.get(
            kind or "", "all labels"
        )
        table.add_row(
            f"[bold]{name} (micro)[/]",
            str(m.support),
            _fmt(m.precision),
            _fmt(m.recall),
            _fmt(m.f1),
        )
        table.add_row(f"[bold]{name} (macro)[/]", "", "", "", _fmt(result.macro_f1(kind)))
    console.print(table)
    severity = Table(title="Severity levels (0-3) against the confirmed ones", title_justify="left")
    for column in ("dimension", "n", "exact", "within one"):
        severity.add_column(column, justify="left" if column == "dimension" else "right")
    for dimension, score in result.dimensions.items():
        severity.add_row(
            dimension, str(score.n), _fmt(score.accuracy), _fmt(score.within_one_accuracy)
        )
    console.print(severity)
    console.print(f"language told right: {_fmt(result.language_accuracy)}")
