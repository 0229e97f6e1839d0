"""Triage is measured against staff-confirmed labels, in code and through `ungpkit eval`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ungpkit.grievances.triage import triage
from ungpkit.grievances.triage_eval import (
    LabelledGrievance,
    LabelScore,
    LabelsError,
    evaluate_triage,
    load_labelled,
)

LABELLED = Path(__file__).resolve().parents[2] / "eval" / "triage" / "labelled.jsonl"


def _line(**change: object) -> str:
    data: dict[str, object] = {
        "description": "Hackers leaked my personal data. I am afraid.",
        "language": "en",
        "affected_count": None,
        "ongoing": False,
        "child_involved": False,
        "fear_of_reprisal": False,
        "wants": [],
        "company_text": "",
        "rights": ["right.privacy"],
        "harms": ["harm.data_breach"],
        "urgency": [],
        "scale": 2,
        "scope": 1,
        "irremediability": 2,
    }
    data.update(change)
    return json.dumps(data, ensure_ascii=False)


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_precision_recall_and_f1_follow_their_definitions() -> None:
    score = LabelScore("right.privacy", tp=3, fp=1, fn=2)
    assert (score.precision, score.recall, score.support) == (0.75, 0.6, 5)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))
    assert LabelScore("x").f1 is None
    assert LabelScore("x", fp=2).f1 == 0.0


def test_one_grievance_is_counted_label_by_label(tmp_path: Path) -> None:
    items = load_labelled(_write(tmp_path, _line()))
    result = evaluate_triage(items)
    assert result.n == 1
    assert result.labels["right.privacy"].tp == 1
    assert result.labels["harm.data_breach"].tp == 1
    # "afraid" suggests a fear of reprisal that staff did not confirm.
    assert result.labels["urgent.reprisal"].fp == 1
    assert "#1: urgent.reprisal suggested, not confirmed" in result.misses
    assert result.dimensions["severity.irremediability"].accuracy == 1.0
    assert result.language_accuracy == 1.0


def test_levels_one_apart_count_as_within_one(tmp_path: Path) -> None:
    suggested = triage(LabelledGrievance.model_validate(json.loads(_line())).as_input())
    level = suggested.level("severity.scale")
    assert level == 1
    items = load_labelled(_write(tmp_path, _line(scale=2), _line(scale=3), _line(scale=1)))
    scale = evaluate_triage(items).dimensions["severity.scale"]
    assert (scale.n, scale.exact, scale.within_one) == (3, 1, 2)
    assert scale.confusion == {(2, 1): 1, (3, 1): 1, (1, 1): 1}
    assert scale.accuracy == pytest.approx(1 / 3)


def test_micro_and_macro_averages(tmp_path: Path) -> None:
    items = load_labelled(_write(tmp_path, _line(rights=["right.privacy", "right.health"])))
    result = evaluate_triage(items)
    rights = result.micro("right")
    assert (rights.tp, rights.fn) == (1, 1)
    assert result.macro_f1("right") == pytest.approx(0.5)


def test_a_malformed_labels_file_names_each_bad_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _line(),
        "{not json",
        _line(scale=7),
        _line(harms=["harm.made_up"]),
    )
    with pytest.raises(LabelsError) as info:
        load_labelled(path)
    message = str(info.value)
    assert f"{path}:2: not valid JSON" in message
    assert f"{path}:3: scale:" in message
    assert f"{path}:4: unknown labels: harm.made_up" in message


def test_an_unknown_language_does_not_count_for_the_language_figure(tmp_path: Path) -> None:
    items = load_labelled(_write(tmp_path, _line(language="und"), _line(language=None)))
    result = evaluate_triage(items)
    assert (result.language_known, result.language_accuracy) == (0, None)
    items = load_labelled(_write(tmp_path, _line(language="fr"), _line()))
    assert evaluate_triage(items).language_accuracy == 0.5


def test_the_confirmed_language_is_given_to_triage_only_on_request() -> None:
    item = LabelledGrievance.model_validate(json.loads(_line(language="fr")))
    assert item.as_input().language is None
    assert item.as_input(with_language=True).language == "fr"


def test_the_labelled_set_covers_the_four_languages() -> None:
    items = load_labelled(LABELLED)
    assert len(items) >= 80
    languages = Counter(item.language for item in items)
    assert languages["en"] >= 25 and all(languages[lang] >= 20 for lang in ("fr", "es", "ko"))


# --- Through the command line -----------------------------------------------------------------


def test_eval_triage_prints_the_figures_per_label(run_cli: Callable[..., Result]) -> None:
    expected = evaluate_triage(load_labelled(LABELLED))
    result = run_cli("eval", "--triage", str(LABELLED))
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"Triage against {expected.n} labelled grievances" in out
    privacy = expected.labels["right.privacy"]
    row = next(line for line in out.splitlines() if "right.privacy " in line)
    assert f"{privacy.support}" in row and f"{privacy.f1:.2f}" in row
    micro = expected.micro()
    row = next(line for line in out.splitlines() if "all labels (micro)" in line)
    assert f"{micro.precision:.2f}" in row and f"{micro.f1:.2f}" in row
    macro = next(line for line in out.splitlines() if "all labels (macro)" in line)
    assert f"{expected.macro_f1():.2f}" in macro
    scale = expected.dimensions["severity.scale"]
    row = next(line for line in out.splitlines() if "severity.scale" in line)
    assert f"{scale.accuracy:.2f}" in row and f"{scale.within_one_accuracy:.2f}" in row
    assert f"language told right: {expected.language_accuracy:.2f}" in out


def test_eval_triage_json_gives_the_same_figures(run_cli: Callable[..., Result]) -> None:
    expected = evaluate_triage(load_labelled(LABELLED))
    result = run_cli("eval", "--triage", str(LABELLED), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["grievances"] == expected.n
    assert data["averages"]["all"]["macro_f1"] == pytest.approx(expected.macro_f1())
    assert (
        data["labels"]["harm.data_breach"]["support"] == expected.labels["harm.data_breach"].support
    )
    assert set(data["severity"]) == {"severity.scale", "severity.scope", "severity.irremediability"}


def test_eval_triage_lists_disagreements_on_request(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = run_cli("eval", "--triage", str(_write(tmp_path, _line())), "--misses")
    assert result.exit_code == 0
    assert "#1: urgent.reprisal suggested, not confirmed" in result.output


def test_eval_triage_refuses_a_malformed_file(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = run_cli("eval", "--triage", str(_write(tmp_path, _line(), "[1, 2]")))
    assert result.exit_code == 1
    assert "labels.jsonl:2" in result.output + (result.stderr if result.stderr_bytes else "")
