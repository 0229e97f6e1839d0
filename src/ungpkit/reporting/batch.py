"""Batch work on sentence CSVs: classify them, or score the model against their labels."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from ungpkit.reporting.data import DataError, Statement, load_labelled, load_sentences
from ungpkit.reporting.labels import ELEMENT_IDS
from ungpkit.reporting.metrics import Scores, score
from ungpkit.reporting.model import SentenceModel, load_default

Progress = Callable[[int, int], None]
"""Called with (sentences done, sentences in all) as batches finish."""

ADDED_COLUMNS: tuple[str, ...] = tuple(c for e in ELEMENT_IDS for c in (e, f"{e}_prob"))
"""The columns ``classify`` adds, in order."""


def _predict(
    model: SentenceModel, statements: list[Statement], progress: Progress | None
) -> tuple[np.ndarray, np.ndarray]:
    """Decisions and probabilities of every sentence of ``statements``, in their order."""
    total = sum(len(s.sentences) for s in statements)
    decided: list[np.ndarray] = [np.zeros((0, len(ELEMENT_IDS)), dtype=np.int8)]
    probs: list[np.ndarray] = [np.zeros((0, len(ELEMENT_IDS)), dtype=np.float32)]
    done = 0
    for _, d, p in model.predict_many([s.sentences for s in statements]):
        decided.append(d)
        probs.append(p)
        done += len(d)
        if progress is not None:
            progress(done, total)
    return np.vstack(decided), np.vstack(probs)


def classify_csv(
    source: Path,
    target: Path,
    model: SentenceModel | None = None,
    *,
    progress: Progress | None = None,
) -> int:
    """Write ``source``'s rows plus one 0/1 column and one ``_prob`` column per criterion.

    Rows keep their order; context comes from the neighbouring rows of the same statement.
    An input that already has columns of those names (labels named by element id, or an
    earlier output) is refused rather than overwritten. Returns the number of rows written.
    """
    model = model or load_default()
    table, statements, blank = load_sentences(source)
    taken = [name for name in table.header if name.strip() in ADDED_COLUMNS]
    if taken:
        raise DataError(
            f"It already has column{'s' if len(taken) > 1 else ''} "
            f"{', '.join(taken[:4])}{' ...' if len(taken) > 4 else ''}, which classify writes "
            "its predictions into: they would be overwritten. Rename or remove them first "
            "(to keep labels beside the predictions, name them as in au_dev.csv, e.g. "
            "'Approval', or prefix them, e.g. 'label msa.approval')."
        )
    decided, probs = _predict(model, statements, progress)
    order = np.asarray([row for s in statements for row in s.rows], dtype=np.int64)
    count = len(table.cells)
    decisions = np.zeros((count, len(ELEMENT_IDS)), dtype=np.int8)
    probabilities = np.zeros((count, len(ELEMENT_IDS)), dtype=np.float32)
    decisions[order] = decided
    probabilities[order] = probs
    if count:
        decisions[np.asarray(blank)] = 0
        probabilities[np.asarray(blank)] = 0.0
    width = len(table.header)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*table.header, *ADDED_COLUMNS])
        for i, row in enumerate(table.cells):
            added: list[str] = []
            for j in range(len(ELEMENT_IDS)):
                added += (str(int(decisions[i, j])), f"{probabilities[i, j]:.4f}")
            writer.writerow([*row, *[""] * (width - len(row)), *added])
    return count


def evaluate_csv(
    source: Path, model: SentenceModel | None = None, *, progress: Progress | None = None
) -> Scores:
    """Per-criterion precision, recall, F1 and macro-F1 of the model on a labelled CSV
    (``au_dev`` columns, grid element id columns, or a ``targets`` JSON column).

    ``Scores.seen`` counts the sentences the model was trained on."""
    model = model or load_default()
    statements = load_labelled(source)
    if not any(s.sentences for s in statements):
        raise DataError("It has no labelled sentences.")
    decided, _ = _predict(model, statements, progress)
    truth = np.array([label for s in statements for label in s.labels], dtype=np.int8)
    scores = score(truth, decided, ELEMENT_IDS)
    return replace(scores, seen=model.seen([t for s in statements for t in s.sentences]))
