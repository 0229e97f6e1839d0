"""`ungpkit framework ...` and the top-level command, as a person runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ungpkit import __version__
from ungpkit.framework import DATA_DIR


def test_version_and_help(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("--version").output.strip() == f"ungpkit, version {__version__}"
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("framework", "demo", "manage", "worker"):
        assert command in result.output
    assert "validate" in run_cli("framework", "--help").output


def test_show_burden_of_proof_in_korean(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("framework", "show", "reg.remedy.burden_of_proof", "--lang", "ko")
    assert result.exit_code == 0
    assert "reg.remedy.burden_of_proof" in result.output
    assert "부재 시 권고" in result.output and "이행원칙" in result.output
    hangul = sum("\uac00" <= ch <= "\ud7a3" for ch in result.output)
    assert hangul > 100


def test_show_principle_right_grid_and_term(run_cli, framework) -> None:  # type: ignore[no-untyped-def]
    gp31 = run_cli("framework", "show", "gp31", "--lang", "fr")
    assert gp31.exit_code == 0 and framework.principle("gp31").title.fr in gp31.output
    privacy = run_cli("framework", "show", "right.privacy")
    assert "ICCPR 17" in privacy.output
    grid = run_cli("framework", "show", "regulation", "--lang", "es")
    assert "reg.mix.hrdd_obligation" in grid.output
    term = run_cli("framework", "show", "involvement.contribute")
    assert term.exit_code == 0


def test_show_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("framework", "show", "msa.c3_risks", "--format", "json")
    assert json.loads(result.output)["id"] == "msa.c3_risks"


def test_show_unknown_id_suggests(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("framework", "show", "burden_of")
    assert result.exit_code == 1
    assert "no framework entry" in result.stderr and "reg.remedy.burden_of_proof" in result.stderr


def test_list(run_cli) -> None:  # type: ignore[no-untyped-def]
    everything = run_cli("framework", "list").output
    assert "gp17" in everything and "right.child" in everything and "regulation" in everything
    elements = run_cli("framework", "list", "--grid", "modern-slavery-au").output
    assert elements.count("msa.") == 11
    assert "no grid" in run_cli("framework", "list", "--grid", "nope").stderr


def test_validate_accepts_shipped_and_refuses_broken(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = run_cli("framework", "validate")
    assert ok.exit_code == 0 and "Valid." in ok.output
    broken = tmp_path / "mine"
    shutil.copytree(DATA_DIR, broken)
    rights = broken / "rights.yaml"
    rights.write_text(
        rights.read_text(encoding="utf-8").replace("right.privacy", "Right Privacy", 1),
        encoding="utf-8",
    )
    result = run_cli("framework", "validate", str(broken))
    assert result.exit_code == 1
    assert f"{rights}:" in result.stderr
    assert "rights[0]" in result.stderr and "should match pattern" in result.stderr


def test_export_json(run_cli, tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "framework.json"
    assert run_cli("framework", "export", "--format", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "ungpkit.framework/1"
    assert len(data["principles"]) == 31
    assert {g["id"] for g in data["grids"]} >= {"regulation", "company-report", "modern-slavery-au"}
    assert json.loads(run_cli("framework", "export").output)["rights"]


def test_a_long_running_worker_freezes_what_start_up_made() -> None:
    """``ungpkit worker`` compiles triage's rules and freezes start-up's objects out of the
    garbage collector's way before it takes work (run in a fresh process: freezing is for
    the whole process)."""
    import subprocess
    import sys

    code = (
        "import gc\n"
        "from ungpkit.cli.web import _freeze_start_up, _setup\n"
        "from ungpkit.grievances import triage_cues as triage\n"
        "_setup()\n"
        "before = len(triage._COMPILED)\n"
        "_freeze_start_up()\n"
        "print(before, len(triage._COMPILED), gc.get_freeze_count() > 0)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    before, after, frozen = found.stdout.split()
    assert (int(before), int(after), frozen) == (0, 4, "True")
