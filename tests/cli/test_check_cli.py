"""`ungpkit check`, `compare` and `overlap` as a policymaker runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "eval" / "documents"
DEMO = ROOT / "src" / "ungpkit" / "demo" / "data"
ACT = DEMO / "en-platform-accountability-act.md"
ACT_V2 = DEMO / "en-platform-accountability-act-v2.md"
KO_ACT = DOCS / "ko-ai-human-rights-act.md"


def _json(run_cli, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_check_json_follows_the_documented_schema(run_cli, framework) -> None:  # type: ignore[no-untyped-def]
    data = _json(run_cli, "check", str(ACT))
    assert data["schema"] == "ungpkit.assessment/1"
    grid = framework.grid("regulation")
    assert [f["element"] for f in data["findings"]] == [e.id for e in grid.elements]
    for finding in data["findings"]:
        assert finding["status"] in {"met", "partial", "absent", "not_applicable"}
        assert finding["rationale"]
        if finding["status"] == "absent":
            assert finding["evidence"] == [] and finding["recommendation"]
        else:
            assert finding["evidence"], finding["element"]
            for evidence in finding["evidence"]:
                assert set(evidence) >= {"passage_id", "locator", "page", "text", "score"}


def test_check_finds_the_provisions_a_reader_would_cite(run_cli) -> None:  # type: ignore[no-untyped-def]
    findings = {f["element"]: f for f in _json(run_cli, "check", str(ACT))["findings"]}
    hrdd = findings["reg.mix.hrdd_obligation"]
    assert hrdd["status"] == "met" and hrdd["strength"] == "binding"
    assert hrdd["evidence"][0]["locator"].startswith("Article 5")
    authority = findings["reg.oversight.authority"]
    assert any(e["locator"].startswith("Article 12") for e in authority["evidence"])


def test_voluntary_wording_is_never_reported_as_binding(run_cli) -> None:  # type: ignore[no-untyped-def]
    findings = {f["element"]: f for f in _json(run_cli, "check", str(ACT))["findings"]}
    # Article 11: "A company may establish an operational-level grievance mechanism"
    for finding in findings.values():
        for evidence in finding["evidence"]:
            if evidence["locator"] == "Article 11(1)" or evidence["text"].startswith(
                "A company may establish"
            ):
                assert evidence["strength"] == "voluntary"


def test_exemption_is_not_evidence(run_cli) -> None:  # type: ignore[no-untyped-def]
    """Article 5(3) "does not apply to ... international cooperation agreement"."""
    findings = _json(run_cli, "check", str(ACT))["findings"]
    for finding in findings:
        for evidence in finding["evidence"]:
            assert "does not apply" not in evidence["text"], finding["element"]


def test_korean_law(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = _json(run_cli, "check", str(KO_ACT))
    assert data["document"]["language"] == "ko"
    present = [f for f in data["findings"] if f["status"] != "absent"]
    assert len(present) >= 10
    assert all(e["locator"].startswith(("제", "부칙")) for f in present for e in f["evidence"])


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "text"])
def test_every_format_writes_a_file(run_cli, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"report.{fmt}"
    result = run_cli("check", str(ACT), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Article 5" in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and "<mark>" in text and "http" not in text
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["element"] for r in rows} >= {"reg.mix.hrdd_obligation"}


def test_terminal_table(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(ACT))
    assert result.exit_code == 0
    assert "Human rights due diligence" in result.output and "Article 5" in result.output


def test_report_in_french(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(DOCS / "fr-loi-devoir-vigilance-numerique.md"), "-f", "md")
    assert result.exit_code == 0
    assert "Synthèse par étape" in result.output


def test_compare_drafts(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = _json(run_cli, "compare", str(ACT), str(ACT_V2))
    assert data["schema"] == "ungpkit.comparison/1"
    changes = {c["element"]: c["change"] for c in data["changes"]}
    assert set(changes.values()) - {"unchanged"}, "the second draft changed several duties"
    assert sum(data["summary"].values()) == len(changes)


def test_overlap_table(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = _json(
        run_cli, "overlap", str(ACT), str(ACT_V2), str(DOCS / "es-ley-diligencia-debida-digital.md")
    )
    assert data["schema"] == "ungpkit.overlap/1"
    assert len(data["laws"]) == 3
    kinds = {row["overlap"] for row in data["rows"]}
    assert "duplicated" in kinds or "divergent" in kinds
    row = next(r for r in data["rows"] if r["element"] == "reg.mix.hrdd_obligation")
    assert all(law["locators"] for law in row["laws"])


def test_compare_sees_a_duty_weakened_beside_other_binding_passages(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    draft = (
        "# Draft\n\n## Article 4 — Grievance mechanism\n"
        "1. Providers {verb} establish a grievance mechanism that is free of charge, easily "
        "accessible and confidential.\n\n"
        "2. Providers shall inform the complainant of the outcome and give a reasoned decision.\n"
    )
    old, new = tmp_path / "v1.md", tmp_path / "v2.md"
    old.write_text(draft.format(verb="shall"), encoding="utf-8")
    new.write_text(draft.format(verb="may"), encoding="utf-8")
    data = _json(run_cli, "compare", str(old), str(new))
    change = next(c for c in data["changes"] if c["element"] == "reg.remedy.grievance_mechanism")
    assert change["change"] == "weakened"
    assert change["new"]["evidence"][0]["strength"] == "voluntary"
    assert change["old"]["evidence"][0]["strength"] == "binding"


def test_overlap_duplicates_only_what_the_laws_state_alike(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    full = "Every person shall have the right to lodge a complaint with the Authority."
    laws = {
        "a.md": f"# Act A\n\n## Article 1 — Complaints\n{full}\n\nThe Authority shall handle "
        "complaints within three months.\n",
        "b.md": f"# Act B\n\n## Article 7 — Complaints\n{full}\n\nThe Authority shall handle "
        "complaints within three months.\n",
        "c.md": "# Act C\n\n## Article 3 — Other\nMember States should ensure that users can "
        "submit complaints to the Authority.\n",
    }
    for name, text in laws.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(tmp_path / n) for n in laws]
    two = _json(run_cli, "overlap", *paths[:2])
    three = _json(run_cli, "overlap", *paths)
    element = "reg.remedy.complaint_to_authority"
    assert next(r for r in two["rows"] if r["element"] == element)["overlap"] == "duplicated"
    row = next(r for r in three["rows"] if r["element"] == element)
    assert row["laws"][2]["status"] == "partial"
    assert row["overlap"] == "divergent"
    text = run_cli("overlap", *paths).output
    assert "1. Act A" in text and "3. Act C" in text  # short heads, titles listed below


def test_overlap_needs_two_files(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("overlap", str(ACT))
    assert result.exit_code == 1 and "at least two" in result.stderr


def test_unknown_grid(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(ACT), "--grid", "nope")
    assert result.exit_code == 1 and "regulation" in result.stderr


def test_other_grids_run(run_cli) -> None:  # type: ignore[no-untyped-def]
    data = _json(run_cli, "check", str(ACT), "--grid", "company-report")
    assert data["grid"]["id"] == "company-report"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_show_what_was_set_aside_as_exemptions(run_cli, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    law = tmp_path / "law.md"
    law.write_text(
        "# Act\n\n## Article 2 — Scope\n1. This Act applies to platforms.\n\n"
        "2. This Act does not apply to providers that offer a complaint-handling mechanism "
        "to their users.\n\n## Article 4 — Users\nProviders should establish a grievance "
        "mechanism.\n",
        encoding="utf-8",
    )
    result = run_cli("check", str(law), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Set aside as exemptions" in result.output
    assert "Article 2(2) (“does not apply”)" in result.output


def test_a_report_in_the_readers_language_for_a_law_in_another(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(ACT), "--report-lang", "fr", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "Synthèse par étape" in result.output
    assert (
        "emploie une formulation" in result.output and "uses binding wording" not in result.output
    )
    data = _json(run_cli, "check", str(ACT), "--report-lang", "es")
    assert data["lang"] == "en"  # the document's language is still recorded
    assert any("formulación" in f["rationale"] for f in data["findings"])


def test_a_report_grid_keeps_its_own_explanation_of_promises(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "statement.md"
    report.write_text(
        "# Statement\n\nWe have not yet consulted affected stakeholders.\n\n"
        "We will consult workers and communities next year.\n",
        encoding="utf-8",
    )
    data = _json(run_cli, "check", str(report), "--grid", "company-report", "--report-lang", "en")
    rationales = " ".join(f["rationale"] for f in data["findings"])
    assert "promise" in rationales or "not been taken" in rationales
    assert all(f["reason"] == "" for f in data["findings"] if "promise" in f["rationale"])
