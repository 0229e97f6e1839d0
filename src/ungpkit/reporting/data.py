"""Read labelled and unlabelled sentence CSVs into statements (sentences in document order).

Two labelled formats are accepted:

- the ``au_dev.csv`` format: one 0/1 column per criterion, named as in
  :data:`~ungpkit.reporting.labels.DATASET_COLUMNS` or by the grid element ids;
- the UK / Canadian format: a ``targets`` column holding the eleven labels as a JSON list
  (the ``predictions`` column of those files is a model's output and is ignored).

Sentence text is read from ``sentence`` (or ``sentence_text``); rows without text or labels are
skipped. Statements may be interleaved. Each statement's sentences are put in document order by
the first sentence-index column present (:data:`ORDER_COLUMNS`), else kept in file order: the UK
and Canadian files list a few sentences of a statement out of place, which garbles the
neighbouring-sentence context the model reads.
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
ORDER_COLUMNS = ("sentence_orig_idxs", "sentence_id", "Unnamed: 0")
"""Sentence-index columns of the AIMS.au files (au_dev, Canadian, UK), in order of preference."""

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

    def put_in_order(self, keys: Sequence[float]) -> None:
        """Reorder the sentences (and their labels and rows) by ``keys``, stable on ties."""
        order = sorted(range(len(self.sentences)), key=keys.__getitem__)
        self.sentences = [self.sentences[i] for i in order]
        self.rows = [self.rows[i] for i in order]
        if len(self.labels) == len(order):
            self.labels = [self.labels[i] for i in order]


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


def _order_column(header: Sequence[str]) -> str | None:
    return next((name for name in ORDER_COLUMNS if name in header), None)


def _position(value: str | None) -> float | None:
    try:
        return float(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def group_statements(
    ids: Iterable[str],
    texts: Iterable[str],
    labels: Iterable[tuple[int, ...] | None] | None,
    rows: Iterable[int] | None = None,
    positions: Iterable[float | None] | None = None,
) -> list[Statement]:
    """Group parallel sequences into statements, keeping first-seen order of statements.

    With ``positions`` (a sentence index per row), each statement whose rows all have one is
    put in that order; otherwise its sentences keep the order of the rows.
    """
    statements: dict[str, Statement] = {}
    keys: dict[str, list[float | None]] = {}
    label_iter = iter(labels) if labels is not None else None
    row_iter = iter(rows) if rows is not None else None
    position_iter = iter(positions) if positions is not None else None
    for index, (sid, text) in enumerate(zip(ids, texts, strict=True)):
        label = next(label_iter) if label_iter is not None else None
        statement = statements.setdefault(sid, Statement(sid))
        statement.sentences.append(text)
        statement.rows.append(next(row_iter) if row_iter is not None else index)
        keys.setdefault(sid, []).append(next(position_iter) if position_iter else None)
        if label is not None:
            statement.labels.append(label)
    for sid, statement in statements.items():
        known = [k for k in keys[sid] if k is not None]
        if len(known) == len(statement.sentences):
            statement.put_in_order(known)
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
    order_column = _order_column(header)
    ids: list[str] = []
    texts: list[str] = []
    labels: list[tuple[int, ...] | None] = []
    kept: list[int] = []
    positions: list[float | None] = []
    for index, row in enumerate(rows):
        text = (row.get(text_column) or "").strip()
        label = _labels(row, columns)
        if not text or label is None:
            continue
        ids.append((row.get("statement_id") or "").strip())
        texts.append(text)
        labels.append(label)
        kept.append(index)
        positions.append(_position(row.get(order_column)) if order_column else None)
    return group_statements(ids, texts, labels, kept, positions)


def load_sentences(path: Path) -> tuple[list[str], list[dict[str, str]], list[Statement]]:
    """An unlabelled sentence CSV: its header, its rows and the statements built from them.

    Every row is kept (a blank sentence is classified as empty text), so the output can be
    written back row for row.
    """
    header, rows = read_rows(path)
    text_column = _text_column(header)
    if "statement_id" not in header:
        raise DataError("No statement_id column.")
    order_column = _order_column(header)
    statements = group_statements(
        ((r.get("statement_id") or "").strip() for r in rows),
        ((r.get(text_column) or "").strip() for r in rows),
        None,
        positions=(_position(r.get(order_column)) if order_column else None for r in rows),
    )
    return header, rows, statements
