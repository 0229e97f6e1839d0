"""Read labelled and unlabelled sentence CSVs into statements (sentences in document order).

Two labelled formats are accepted:

- the ``au_dev.csv`` format: one 0/1 column per criterion, named as in
  :data:`~ungpkit.reporting.labels.DATASET_COLUMNS` or by the grid element ids;
- the UK / Canadian format: a ``targets`` column holding the eleven labels as a JSON list
  (the ``predictions`` column of those files is a model's output and is ignored).

Sentence text is read from ``sentence`` (or ``sentence_text``); rows without text or labels are
skipped. Rows of one statement keep their file order; statements may be interleaved.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ungpkit.reporting.labels import DATASET_COLUMNS, ELEMENT_IDS

TEXT_COLUMNS = ("sentence", "sentence_text")
ID_COLUMNS = ("statement_id",)

csv.field_size_limit(10_000_000)


class DataError(ValueError):
    """A CSV lacks the columns it needs; the message says which."""


@dataclass
class Statement:
    """The sentences of one statement in document order, with their labels when known."""

    id: str
    sentences: list[str] = field(default_factory=list)
    labels: list[tuple[int, ...]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    """Row numbers (0-based, data rows) of each sentence in the source file."""


def _text_column(header: Sequence[str]) -> str:
    for name in TEXT_COLUMNS:
        if name in header:
            return name
    raise DataError(f"No sentence column: expected one of {', '.join(TEXT_COLUMNS)}.")


def label_columns(header: Sequence[str]) -> tuple[str, ...] | None:
    """The eleven label columns of ``header`` in label order, or None when it has none."""
    stripped = {h.strip(): h for h in header}
    for names in (DATASET_COLUMNS, ELEMENT_IDS):
        if all(n in stripped for n in names):
            return tuple(stripped[n] for n in names)
    return None


def _labels(row: dict[str, str], columns: tuple[str, ...] | None) -> tuple[int, ...] | None:
    if columns is not None:
        values = [row.get(c, "").strip() for c in columns]
        if any(v == "" for v in values):
            return None
        return tuple(int(float(v) >= 0.5) for v in values)
    raw = (row.get("targets") or "").strip()
    if not raw:
        return None
    parsed = json.loads(raw)
    if not isinstance(parsed, list) or len(parsed) != len(ELEMENT_IDS):
        raise DataError(f"A 'targets' value is not a list of {len(ELEMENT_IDS)} labels: {raw}")
    return tuple(int(float(v) >= 0.5) for v in parsed)


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV file (UTF-8, with or without a BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def group_statements(
    ids: Iterable[str], texts: Iterable[str], labels: Iterable[tuple[int, ...] | None] | None
) -> list[Statement]:
    """Group parallel sequences into statements, keeping first-seen order."""
    statements: dict[str, Statement] = {}
    label_iter = iter(labels) if labels is not None else None
    for row, (sid, text) in enumerate(zip(ids, texts, strict=True)):
        label = next(label_iter) if label_iter is not None else None
        statement = statements.setdefault(sid, Statement(sid))
        statement.sentences.append(text)
        statement.rows.append(row)
        if label is not None:
            statement.labels.append(label)
    return list(statements.values())


def load_labelled(path: Path) -> list[Statement]:
    """Statements with labels from an ``au_dev``-style or ``targets``-style CSV."""
    header, rows = read_rows(path)
    text_column = _text_column(header)
    if "statement_id" not in header:
        raise DataError("No statement_id column.")
    columns = label_columns(header)
    if columns is None and "targets" not in header:
        raise DataError(
            "No labels: expected one 0/1 column per criterion "
            f"({', '.join(DATASET_COLUMNS)}) or a 'targets' column."
        )
    ids: list[str] = []
    texts: list[str] = []
    labels: list[tuple[int, ...] | None] = []
    for row in rows:
        text = (row.get(text_column) or "").strip()
        label = _labels(row, columns)
        if not text or label is None:
            continue
        ids.append((row.get("statement_id") or "").strip())
        texts.append(text)
        labels.append(label)
    return group_statements(ids, texts, labels)


def load_sentences(path: Path) -> tuple[list[str], list[dict[str, str]], list[Statement]]:
    """An unlabelled sentence CSV: its header, its rows and the statements built from them.

    Every row is kept (a blank sentence is classified as empty text), so the output can be
    written back row for row.
    """
    header, rows = read_rows(path)
    text_column = _text_column(header)
    if "statement_id" not in header:
        raise DataError("No statement_id column.")
    statements = group_statements(
        ((r.get("statement_id") or "").strip() for r in rows),
        ((r.get(text_column) or "").strip() for r in rows),
        None,
    )
    return header, rows, statements
