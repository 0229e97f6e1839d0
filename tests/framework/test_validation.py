"""A malformed or inconsistent framework is refused with the file, the place and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ungpkit.framework import DATA_DIR, FrameworkError, load_framework


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped framework data."""
    target = tmp_path / "framework"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(directory: Path) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        load_framework(directory)
    return [str(p) for p in info.value.problems]


def test_the_shipped_copy_is_valid(copy: Path) -> None:
    assert load_framework(copy).grid("regulation")


def test_missing_translation_names_file_place_and_line(copy: Path) -> None:
    grid = copy / "grids" / "regulation.yaml"

    def drop_korean(data: dict) -> None:  # type: ignore[type-arg]
        element = next(e for e in data["elements"] if e["id"] == "reg.remedy.burden_of_proof")
        del element["title"]["ko"]

    _edit(grid, drop_korean)
    [problem] = _problems(copy)
    assert str(grid) in problem
    assert "(reg.remedy.burden_of_proof).title.ko" in problem
    assert "Field required" in problem
    line = int(problem.split(str(grid) + ":")[1].split(" ")[0])
    assert "title:" in grid.read_text(encoding="utf-8").splitlines()[line - 1]


def test_unknown_principle_reference_is_refused(copy: Path) -> None:
    def bad_ref(data: dict) -> None:  # type: ignore[type-arg]
        data["elements"][0]["ungp"].append("gp32")

    _edit(copy / "grids" / "regulation.yaml", bad_ref)
    problems = _problems(copy)
    assert any("unknown principle 'gp32'" in p and ".ungp" in p for p in problems)


def test_unknown_stage_and_unknown_key_are_refused(copy: Path) -> None:
    def bad(data: dict) -> None:  # type: ignore[type-arg]
        data["elements"][1]["stage"] = "reg.stage.nowhere"
        data["elements"][2]["colour"] = "blue"

    _edit(copy / "grids" / "regulation.yaml", bad)
    problems = "\n".join(_problems(copy))
    assert "Extra inputs are not permitted" in problems
    assert "colour" in problems
    with pytest.raises(FrameworkError):
        load_framework(copy)


def test_stage_that_does_not_exist_is_reported(copy: Path) -> None:
    def bad(data: dict) -> None:  # type: ignore[type-arg]
        data["elements"][1]["stage"] = "reg.stage.nowhere"

    _edit(copy / "grids" / "regulation.yaml", bad)
    assert any("unknown stage 'reg.stage.nowhere'" in p for p in _problems(copy))


def test_duplicate_ids_are_refused(copy: Path) -> None:
    def duplicate(data: dict) -> None:  # type: ignore[type-arg]
        data["elements"].append(dict(data["elements"][0]))

    _edit(copy / "grids" / "regulation.yaml", duplicate)
    assert any("is used 2 times" in p for p in _problems(copy))


def test_invalid_yaml_gives_the_line(copy: Path) -> None:
    path = copy / "rights.yaml"
    path.write_text("rights:\n  - id: right.privacy\n    label: [unclosed\n", encoding="utf-8")
    [problem] = _problems(copy)
    assert problem.startswith(f"{path}:") and "not valid YAML" in problem


def test_missing_file_and_empty_grids_are_reported(copy: Path) -> None:
    (copy / "principles.yaml").unlink()
    for grid in (copy / "grids").glob("*.yaml"):
        grid.unlink()
    problems = "\n".join(_problems(copy))
    assert "principles.yaml: is missing" in problems
    assert "holds no grid" in problems


def test_principle_in_the_wrong_pillar(copy: Path) -> None:
    def move(data: dict) -> None:  # type: ignore[type-arg]
        data["principles"][12]["pillar"] = "remedy"

    _edit(copy / "principles.yaml", move)
    assert any("GP13 belongs to pillar 'respect'" in p for p in _problems(copy))
