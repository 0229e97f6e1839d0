"""Report analysis: sentence model, batch CSV, eval, whole-report analysis, done/promised/denied."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ungpkit.cli.reporting import classify_command, eval_sentences_command
from ungpkit.documents import read_document
from ungpkit.reporting import ELEMENT_IDS, Mode, analyse_report, read_mode, split_sentences
from ungpkit.reporting.batch import classify_csv, evaluate_csv
from ungpkit.reporting.data import DataError, load_labelled, load_sentences
from ungpkit.reporting.metrics import best_threshold, score
from ungpkit.reporting.model import DEFAULT_MODEL, SentenceModel, load_default

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "aims"
needs_model = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="no shipped model file")


@pytest.mark.parametrize(
    ("sentence", "mode"),
    [
        ("We will roll out training to all suppliers in FY2025", Mode.PROMISED),
        ("We plan to audit our tier 2 suppliers", Mode.PROMISED),
        ("In FY2025 we intend to map our supply chain", Mode.PROMISED),
        ("We have not yet assessed our supply chain", Mode.DENIED),
        ("We have not conducted audits of our suppliers", Mode.DENIED),
        ("We audited 40 suppliers in 2023", Mode.DONE),
        ("We did not identify any instances of modern slavery", Mode.DONE),
        ("We will continue to monitor our suppliers", Mode.DONE),
        ("The Board approved this statement on 30 June 2023", Mode.DONE),
        # a relative clause or a sentence about others is not the company's promise
        ("We established a grievance mechanism that will allow workers to speak", Mode.DONE),
        ("This statement was approved by the Board of SCA, which will publish it", Mode.DONE),
        ("SCA will publish its next statement in 2024", Mode.PROMISED),
        ("Suppliers are expected to comply with our Code", Mode.DONE),
        ("The training is expected to be completed in 2025", Mode.PROMISED),
        # lacking something is a denial only when it is a step the company could take
        ("We do not have any operations in high-risk countries", Mode.DONE),
        ("We do not currently have a formal due diligence process", Mode.DENIED),
        ("No supplier audits have been conducted to date", Mode.DENIED),
        ("We never audited our suppliers", Mode.DENIED),
        ("We have never identified modern slavery in our operations", Mode.DONE),
        ("The company has never engaged in or tolerated forced labour", Mode.DONE),
        ("We do not have policies that permit child labour", Mode.DONE),
        ("We found no issues in the audit and corrective actions have been implemented", Mode.DONE),
        ("We have never consulted our subsidiaries", Mode.DENIED),
    ],
)
def test_read_mode(sentence: str, mode: Mode) -> None:
    assert read_mode(sentence).mode is mode


def test_load_both_label_formats() -> None:
    au = load_labelled(FIXTURES / "labelled_au.csv")
    uk = load_labelled(FIXTURES / "labelled_targets.csv")
    assert [len(s.sentences) for s in au] == [4]
    assert au[0].labels[0][0] == 1 and au[0].labels[3][1] == 1
    assert len(uk) == 1 and uk[0].labels[1][7] == 1  # the blank row is skipped


def test_unlabelled_file_is_refused() -> None:
    with pytest.raises(DataError):
        load_labelled(FIXTURES / "sentences.csv")


def test_score_and_threshold() -> None:
    truth = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    scores = score(truth, np.array([[1, 0], [1, 1], [0, 1], [0, 0]]), ("a", "b"))
    assert scores.labels[0].precision == 0.5 and scores.labels[0].recall == 0.5
    assert scores.labels[1].f1 == 1.0
    assert scores.macro_f1 == pytest.approx(0.75)
    truth, probs = np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.7, 0.8])
    assert best_threshold(truth, probs, smoothing=0) == 0.225  # the lowest perfect cut
    assert 0.3 <= best_threshold(truth, probs) <= 0.625  # inside the plateau, off its edges


@needs_model
def test_model_loads_and_round_trips(tmp_path: Path) -> None:
    model = load_default()
    assert model.labels == ELEMENT_IDS
    assert model.meta["attribution"].startswith("Trained on the AIMS.au dataset")
    copy = tmp_path / "m.npz"
    model.save(copy)
    again = SentenceModel.load(copy)
    sentences = ["We audited 40 suppliers", "The Board approved this statement"]
    assert np.allclose(model.predict_proba(sentences), again.predict_proba(sentences))


@needs_model
def test_classify_command_adds_columns(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        classify_command,
        ["--input", str(FIXTURES / "sentences.csv"), "--output", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 10
    for element in ELEMENT_IDS:
        assert rows[0][element] in {"0", "1"}
        assert 0.0 <= float(rows[0][f"{element}_prob"]) <= 1.0
    assert rows[1]["msa.c1_reporting_entity"] == "1"
    assert rows[9]["msa.approval"] == "1"
    assert rows[8]["msa.approval_prob"] == "0.0000"  # the blank sentence


@needs_model
def test_classify_refuses_other_grids(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        classify_command,
        [
            "--grid",
            "regulation",
            "--input",
            str(FIXTURES / "sentences.csv"),
            "--output",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 1


@needs_model
def test_eval_prints_per_criterion_scores() -> None:
    result = CliRunner().invoke(
        eval_sentences_command,
        ["--input", str(FIXTURES / "labelled_au.csv"), "--format", "json"],
        catch_exceptions=False,
    )
    data = json.loads(result.output)
    assert set(data["criteria"]) == set(ELEMENT_IDS)
    assert data["criteria"]["msa.approval"]["f1"] == 1.0


@needs_model
def test_analyse_report_modes(framework) -> None:  # type: ignore[no-untyped-def]
    document = read_document(FIXTURES / "statement.txt")
    assert len(split_sentences(document)) >= 12
    assessment = analyse_report(document, framework.grid("modern-slavery-au"))
    assert [f.element for f in assessment.findings] == list(ELEMENT_IDS)
    assert assessment.finding("msa.approval").status.value == "met"
    assert assessment.finding("msa.c1_reporting_entity").status.value == "met"
    mitigation = assessment.finding("msa.c4_mitigation")
    assert mitigation.status.value != "met"  # only promises and a risk sentence
    modes = [e.mode for f in assessment.findings for e in f.evidence]
    assert "promised" in modes and "denied" in modes and "done" in modes
    assert all(
        e.strength.value != "binding"
        for f in assessment.findings
        for e in f.evidence
        if e.mode != "done"
    ), "a promise or a denial is never evidence of action"
    assert assessment.to_dict()["analyser"]["name"] == "ungpkit.reporting"


@needs_model
@pytest.mark.skipif(not (CORPUS / "au_dev.csv").exists(), reason="AIMS.au corpus not present")
def test_shipped_model_on_au_dev() -> None:
    """au_dev is in the shipped model's training data: this checks the file, not the quality
    (the held-out figure is printed by `ungpkit train`)."""
    assert evaluate_csv(CORPUS / "au_dev.csv").macro_f1 > 0.8


def test_labelled_sentences_are_put_in_document_order(tmp_path: Path) -> None:
    """The UK and Canadian files list some sentences out of place; the index column fixes it."""
    source = tmp_path / "shuffled.csv"
    source.write_text(
        "sentence,statement_id,targets,Unnamed: 0\n"
        'Third sentence,S1,"[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",2\n'
        'First sentence,S1,"[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",0\n'
        'Other statement,S2,"[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",0\n'
        'Second sentence,S1,"[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]",1\n',
        encoding="utf-8",
    )
    first, second = load_labelled(source)
    assert first.sentences == ["First sentence", "Second sentence", "Third sentence"]
    assert [labels[:2] for labels in first.labels] == [(1, 0), (0, 1), (0, 0)]
    assert first.rows == [1, 3, 0] and second.rows == [2]


def test_classify_keeps_rows_when_it_reorders(tmp_path: Path) -> None:
    """Rows with a sentence index are read in that order, and written back where they were."""
    source = tmp_path / "in.csv"
    source.write_text(
        "statement_id,sentence_orig_idxs,sentence\n"
        "s1,1,We audited 40 suppliers against our Supplier Code of Conduct\n"
        "s1,0,Modern Slavery Statement 2023\n"
        "s1,2,This statement was approved by the Board of Directors on 30 June 2023\n",
        encoding="utf-8",
    )
    _, statements, _ = load_sentences(source)
    assert statements[0].sentences[0] == "Modern Slavery Statement 2023"
    assert statements[0].rows == [1, 0, 2]
    if DEFAULT_MODEL.exists():
        out = tmp_path / "out.csv"
        classify_csv(source, out)
        written = list(csv.DictReader(out.open(encoding="utf-8")))
        assert [r["sentence_orig_idxs"] for r in written] == ["1", "0", "2"]
        assert written[2]["msa.approval"] == "1"


def test_company_report_grid_is_read_sentence_by_sentence(run_cli) -> None:  # type: ignore[no-untyped-def]
    """A report grid without a trained model: the cue engine's passages narrowed to the
    sentences that carry the match, each read as done, promised or denied."""
    result = run_cli(
        "check", str(FIXTURES / "statement.txt"), "--grid", "company-report", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    findings = {f["element"]: f for f in json.loads(result.output)["findings"]}
    evidence = [e for f in findings.values() for e in f["evidence"]]
    assert evidence and all(e["mode"] in {"done", "promised", "denied"} for e in evidence)
    source = (FIXTURES / "statement.txt").read_text(encoding="utf-8")
    for item in evidence:
        assert item["text"] in source and "\n" not in item["text"]
        assert all(0 <= a < b <= len(item["text"]) for a, b in item["highlights"])
    embedding = findings["cr.governance.embedding"]
    assert embedding["status"] == "partial"
    assert [e["mode"] for e in embedding["evidence"]] == ["promised"]
    assert embedding["evidence"][0]["text"].startswith("We will roll out")
    assert "promise is not evidence" in embedding["rationale"]
    assert embedding["recommendation"]


def test_a_report_grid_without_a_model_keeps_the_documents_language() -> None:
    from ungpkit.framework import default_framework
    from ungpkit.reporting import check_document

    text = (
        "Déclaration relative aux droits humains 2023\n\n"
        "Le conseil d'administration a approuvé notre politique en matière de droits humains. "
        "Nous avons formé tous les acheteurs aux risques de travail forcé. Nous avons mis en "
        "place un mécanisme de réclamation accessible aux travailleurs de nos fournisseurs.\n"
    )
    from ungpkit.documents import read_text

    document = read_text(text, source="rapport.txt")
    assessment = check_document(document, default_framework().grid("company-report"))
    assert document.language == "fr" and assessment.lang == "fr"
