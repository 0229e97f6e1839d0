"""Batch work on sentence CSVs: classify them, or score the model against their labels."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from ungpkit.reporting.data import load_labelled, load_sentences
from ungpkit.reporting.labels import ELEMENT_IDS
from ungpkit.reporting.metrics import Scores, score
from ungpkit.reporting.model import SentenceModel, load_default


def classify_csv(source: Path, target: Path, model: SentenceModel | None = None) -> int:
    """Write ``source``'s rows plus one 0/1 column and one ``_prob`` column per criterion.

    Rows keep their order; context comes from the neighbouring rows of the same statement.
    Returns the number of rows written.
    """
    model = model or load_default()
    header, rows, statements = load_sentences(source)
    decisions = np.zeros((len(rows), len(ELEMENT_IDS)), dtype=np.int8)
    probs = np.zeros((len(rows), len(ELEMENT_IDS)), dtype=np.float32)
    for statement in statements:
        d, p = model.predict(statement.sentences)
        decisions[statement.rows] = d
        probs[statement.rows] = p
    blank = np.array(
        [not (r.get("sentence") or r.get("sentence_text") or "").strip() for r in rows]
    )
    if len(rows):
        decisions[blank] = 0
        probs[blank] = 0.0
    added = [c for e in ELEMENT_IDS for c in (e, f"{e}_prob")]
    fields = [h for h in header if h not in added] + added
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for i, row in enumerate(rows):
            out = dict(row)
            for j, element in enumerate(ELEMENT_IDS):
                out[element] = str(int(decisions[i, j]))
                out[f"{element}_prob"] = f"{probs[i, j]:.4f}"
            writer.writerow(out)
    return len(rows)


def evaluate_csv(source: Path, model: SentenceModel | None = None) -> Scores:
    """Per-criterion precision, recall, F1 and macro-F1 of the model on a labelled CSV
    (``au_dev`` columns, grid element id columns, or a ``targets`` JSON column)."""
    model = model or load_default()
    statements = load_labelled(source)
    truth: list[tuple[int, ...]] = []
    decided: list[np.ndarray] = []
    for statement in statements:
        d, _ = model.predict(statement.sentences)
        decided.append(d)
        truth.extend(statement.labels)
    if not decided:
        raise ValueError(f"{source} has no labelled sentences.")
    return score(np.array(truth), np.vstack(decided), ELEMENT_IDS)
