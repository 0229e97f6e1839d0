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


_OTHER_DELIMITERS = ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars"))


def _text_column(header: Sequence[str]) -> str:
    for name in TEXT_COLUMNS:
        if name in header:
            return name
    hint = ""
    if len(header) == 1:
        used = [name for mark, name in _OTHER_DELIMITERS if mark in header[0]]
        if used:
            hint = (
                f" The header is one field with {used[0]} in it: the file seems to separate "
                "its fields by something other than commas. Save it as comma-separated CSV."
            )
    raise DataError(f"No sentence column: expected one of {', '.join(TEXT_COLUMNS)}.{hint}")


def label_columns(header: Sequence[str]) -> tuple[str, ...] | None:
    """The eleven label columns of ``header`` in label order, or None when it has none.

    A header with some of the eleven but not all is an error that names the missing ones.
    """
    stripped = {h.strip(): h for h in header}
    for names in (DATASET_COLUMNS, ELEMENT_IDS):
        if all(n in stripped for n in names):
            return tuple(stripped[n] for n in names)
    for names in (DATASET_COLUMNS, ELEMENT_IDS):
        missing = [n for n in names if n not in stripped]
        if len(missing) < len(names):
            raise DataError(
                f"Label column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)} "
                f"(the file has the other {len(names) - len(missing)} of the eleven)."
            )
    return None


def _label(value: object, column: str, row: int) -> int:
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if number not in (0.0, 1.0):
        raise DataError(f"Row {row}: {column} is {text!r}; labels must be 0 or 1.")
    return int(number)


def _labels(
    row: dict[str, str], columns: tuple[str, ...] | None, number: int
) -> tuple[int, ...] | None:
    """The row's eleven labels; None when it has none at all (an unlabelled row is skipped)."""
    if columns is not None:
        values = [(row.get(c) or "").strip() for c in columns]
        if all(v == "" for v in values):
            return None
        blank = [c.strip() for c, v in zip(columns, values, strict=True) if v == ""]
        if blank:
            raise DataError(
                f"Row {number}: no label in {', '.join(blank)}. Give every criterion a 0 or "
                "a 1, or leave all eleven blank to leave the row out."
            )
        return tuple(_label(v, c.strip(), number) for c, v in zip(columns, values, strict=True))
    raw = (row.get("targets") or "").strip()
    if not raw:
        return None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, list) or len(parsed) != len(ELEMENT_IDS):
        raise DataError(
            f"Row {number}: 'targets' is not a JSON list of {len(ELEMENT_IDS)} labels: {raw}"
        )
    return tuple(_label(v, f"targets[{k}]", number) for k, v in enumerate(parsed))


_BOMS = ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"))


def _encoding(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(4)
    return next((name for bom, name in _BOMS if start.startswith(bom)), "utf-8")


@dataclass
class Table:
    """A CSV file as read: its header and its rows of cells, exactly as they were."""

    header: list[str]
    cells: list[list[str]]

    def records(self) -> list[dict[str, str]]:
        """The rows as dicts by column name (missing trailing cells read as blank)."""
        return [dict(zip(self.header, row, strict=False)) for row in self.cells]

    def require_unique(self, names: Iterable[str]) -> None:
        """Refuse a header naming twice a column that is read: which one would be meant?"""
        wanted = {name.strip() for name in names}
        twice = sorted({h for h in self.header if h.strip() in wanted and self.header.count(h) > 1})
        if twice:
            raise DataError(
                f"The header names {', '.join(repr(n) for n in twice)} more than once, so it "
                "is not clear which column to read. Give each column its own name."
            )


def read_rows(path: Path) -> Table:
    """The header and the rows of a CSV file: UTF-8 (with or without a BOM) or UTF-16 with
    its BOM (what spreadsheets save as "Unicode text"). Anything that cannot be read whole
    is a :class:`DataError` saying what to do, never a partial read."""
    encoding = _encoding(path)
    cells: list[list[str]] = []
    header: list[str] = []
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            for row in reader:
                if not row:
                    continue  # a blank line, as csv.DictReader skips it
                if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                    raise DataError(
                        f"Row {len(cells) + 1} has more fields than the header's "
                        f"{len(header)}: check its quotes, or name the extra column in the header."
                    )
                cells.append(row[: len(header)])
    except UnicodeDecodeError as exc:
        raise DataError(
            f"The file is not {encoding.upper().replace('-SIG', '')} text (byte "
            f'0x{exc.object[exc.start]:02X} cannot be read). Save it as "CSV UTF-8" or '
            "convert it first, for example `iconv -f latin1 -t utf-8 IN.csv > OUT.csv`."
        ) from None
    except csv.Error as exc:
        raise DataError(
            f"The file is not a CSV this can read ({exc}; near row {len(cells) + 1}). A "
            "sentence field of more than 10 MB usually means a quote that is never closed."
        ) from None
    return Table(header, cells)


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
    table = read_rows(path)
    header, rows = table.header, table.records()
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
    used = [text_column, "statement_id", *(columns or ("targets",))]
    table.require_unique([*used, order_column] if order_column else used)
    ids: list[str] = []
    texts: list[str] = []
    labels: list[tuple[int, ...] | None] = []
    kept: list[int] = []
    positions: list[float | None] = []
    for index, row in enumerate(rows):
        text = (row.get(text_column) or "").strip()
        label = _labels(row, columns, index + 1)
        if not text or label is None:
            continue
        ids.append((row.get("statement_id") or "").strip())
        texts.append(text)
        labels.append(label)
        kept.append(index)
        positions.append(_position(row.get(order_column)) if order_column else None)
    return group_statements(ids, texts, labels, kept, positions)


def load_sentences(path: Path) -> tuple[Table, list[Statement], list[bool]]:
    """An unlabelled sentence CSV: the table, the statements built from it, and which rows
    have no sentence text.

    Every row is kept (a blank sentence is classified as empty text), so the output can be
    written back row for row.
    """
    table = read_rows(path)
    header, rows = table.header, table.records()
    text_column = _text_column(header)
    if "statement_id" not in header:
        raise DataError("No statement_id column.")
    order_column = _order_column(header)
    table.require_unique([text_column, "statement_id", *([order_column] if order_column else [])])
    blank = [not (r.get(text_column) or "").strip() for r in rows]
    statements = group_statements(
        ((r.get("statement_id") or "").strip() for r in rows),
        ((r.get(text_column) or "").strip() for r in rows),
        None,
        positions=(_position(r.get(order_column)) if order_column else None for r in rows),
    )
    return table, statements, blank
