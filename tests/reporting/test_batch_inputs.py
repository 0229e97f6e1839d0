"""Sentence CSVs as people send them: `classify` and `eval` read them whole or refuse them
with a message that says what to do; nothing is overwritten or silently dropped."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ungpkit.cli.reporting import classify_command, eval_sentences_command
from ungpkit.reporting import ELEMENT_IDS
from ungpkit.reporting.data import DATASET_COLUMNS
from ungpkit.reporting.model import DEFAULT_MODEL, load_default

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="no shipped model file")

SENTENCES = [
    ("a", "This statement is made by Acme Pty Ltd (ABN 12 345 678 901) under the Act"),
    ("a", "We audited 40 suppliers against our Supplier Code of Conduct"),
    ("b", "The Board of Directors approved this statement on 30 June 2023"),
    ("b", "We will roll out training to all buyers next year"),
]


def _classify(source: Path, target: Path) -> tuple[int, str]:
    result = CliRunner().invoke(classify_command, ["--input", str(source), "--output", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def _evaluate(source: Path) -> tuple[int, str]:
    result = CliRunner().invoke(eval_sentences_command, ["--input", str(source)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_columns_named_by_element_id_are_not_overwritten(tmp_path: Path) -> None:
    labels = [["1" if k == 0 else "0" for k in range(11)] for _ in SENTENCES]
    source = _write(
        tmp_path / "in.csv",
        ["statement_id", "sentence", *ELEMENT_IDS],
        [[sid, text, *lab] for (sid, text), lab in zip(SENTENCES, labels, strict=True)],
    )
    before = source.read_bytes()
    code, output = _classify(source, tmp_path / "out.csv")
    assert code == 1
    assert "msa.approval" in output and "overwritten" in output
    assert not (tmp_path / "out.csv").exists()
    assert source.read_bytes() == before


def test_every_input_column_comes_back_as_it_was(tmp_path: Path) -> None:
    # a spreadsheet export: trailing unnamed columns, a note column, a short row
    header = ["statement_id", "sentence", "note", " ", " "]
    rows = [[sid, text, f"n{k}", "", ""] for k, (sid, text) in enumerate(SENTENCES)]
    rows[1] = rows[1][:3]
    source = _write(tmp_path / "in.csv", header, rows)
    code, output = _classify(source, tmp_path / "out.csv")
    assert code == 0, output
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0][:5] == header
    assert written[0][5:] == [c for e in ELEMENT_IDS for c in (e, f"{e}_prob")]
    assert [r[:3] for r in written[1:]] == [r[:3] for r in rows]
    assert all(len(r) == len(written[0]) for r in written)


@pytest.mark.parametrize(
    ("encoding", "readable"),
    [("utf-8-sig", True), ("utf-16", True), ("latin-1", False), ("cp1252", False)],
)
def test_encodings(tmp_path: Path, encoding: str, readable: bool) -> None:
    rows = [[sid, text.replace("Acme", "Société Générale")] for sid, text in SENTENCES]
    source = _write(tmp_path / "in.csv", ["statement_id", "sentence"], rows, encoding)
    code, output = _classify(source, tmp_path / "out.csv")
    if readable:
        assert code == 0, output
        written = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
        assert written[0]["sentence"].startswith("This statement is made by Société Générale")
    else:
        assert code == 1
        assert "not UTF-8" in output and "CSV UTF-8" in output
        assert "Traceback" not in output


def test_a_field_over_ten_megabytes_is_refused_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('statement_id,sentence\na,"' + "word " * 2_100_000 + '"\n', "utf-8")
    code, output = _classify(source, tmp_path / "out.csv")
    assert code == 1 and "quote that is never closed" in output


def test_ragged_rows_and_ambiguous_headers_are_refused(tmp_path: Path) -> None:
    ragged = _write(
        tmp_path / "ragged.csv",
        ["statement_id", "sentence"],
        [["a", "We audited suppliers", "EXTRA"]],
    )
    code, output = _classify(ragged, tmp_path / "out.csv")
    assert code == 1 and "Row 1 has more fields" in output
    twice = _write(
        tmp_path / "twice.csv",
        ["statement_id", "sentence", "sentence"],
        [["a", "We audited suppliers", "Nous avons audité"]],
    )
    code, output = _classify(twice, tmp_path / "out.csv")
    assert code == 1 and "'sentence' more than once" in output


def test_semicolon_files_get_a_hint(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("statement_id;sentence\na;We audited suppliers\n", "utf-8")
    code, output = _classify(source, tmp_path / "out.csv")
    assert code == 1 and "semicolons" in output


def _labelled(tmp_path: Path, cells: list[list[str]], header: list[str] | None = None) -> Path:
    header = header or ["statement_id", "sentence", *DATASET_COLUMNS]
    return _write(tmp_path / "labelled.csv", header, cells)


def test_eval_names_a_blank_or_odd_label_instead_of_dropping_the_row(tmp_path: Path) -> None:
    good = ["0"] * 11
    blank = ["0"] * 9 + ["", "0"]
    source = _labelled(tmp_path, [["a", SENTENCES[0][1], *good], ["a", SENTENCES[1][1], *blank]])
    code, output = _evaluate(source)
    assert code == 1 and "Row 2" in output and "C5 (effectiveness)" in output
    odd = ["yes"] + ["0"] * 10
    source = _labelled(tmp_path, [["a", SENTENCES[0][1], *odd]])
    code, output = _evaluate(source)
    assert code == 1 and "Row 1: Approval is 'yes'" in output
    # a row with no label at all is an unlabelled row: left out, as documented
    source = _labelled(tmp_path, [["a", SENTENCES[0][1], *good], ["a", "x", *[""] * 11]])
    code, output = _evaluate(source)
    assert code == 0, output


def test_eval_names_the_missing_label_column(tmp_path: Path) -> None:
    header = ["statement_id", "sentence", *DATASET_COLUMNS[:-1]]
    source = _labelled(tmp_path, [["a", SENTENCES[0][1], *["0"] * 10]], header)
    code, output = _evaluate(source)
    assert code == 1 and "missing: C6 (consultation)" in output


def test_many_statements_are_scored_as_each_alone() -> None:
    model = load_default()
    statements = [
        [text for sid, text in SENTENCES if sid == "a"],
        [text for sid, text in SENTENCES if sid == "b"],
        [],
        ["A single sentence about our supply chains in Malaysia"],
    ]
    alone = np.vstack([model.predict(s)[1] for s in statements if s])
    batched = np.vstack([p for _, _, p in model.predict_many(statements, batch=2)])
    assert batched.shape == alone.shape
    assert np.allclose(batched, alone, atol=1e-6)


def test_a_criterion_without_positives_is_named_beside_the_macro_f1() -> None:
    from ungpkit.reporting.metrics import score

    table = score(np.array([[1, 0], [0, 0]]), np.array([[1, 0], [0, 0]]), ("a", "b")).table()
    assert "No positive sentence for b" in table
    assert "macro-F1 over the 1 criteria with positives: 1.000" in table


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "aims"


def test_eval_says_when_the_file_was_training_data(tmp_path: Path) -> None:
    code, output = _evaluate(FIXTURES / "labelled_au.csv")
    assert code == 0 and "training data" not in output
    if not (CORPUS / "au_dev.csv").exists():
        pytest.skip("the AIMS.au data is not beside the project")
    with (CORPUS / "au_dev.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    sample = _write(tmp_path / "seen.csv", rows[0], rows[1:200])
    code, output = _evaluate(sample)
    assert code == 0 and "were in the model's training data" in " ".join(output.split())


def test_an_unknown_grid_is_named_as_unknown(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        classify_command,
        [
            "--grid",
            "nope",
            "--input",
            str(FIXTURES / "sentences.csv"),
            "--output",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "Unknown grid 'nope'" in " ".join(result.output.split())
