"""Load and validate the framework data from a directory of YAML files.

Layout of a framework directory::

    principles.yaml      the pillars and the 31 Guiding Principles
    rights.yaml          the rights taxonomy
    vocabularies.yaml    controlled vocabularies (risk patterns, GP31 criteria, ...)
    grids/*.yaml         one assessment grid per file

Errors name the file, the place inside it (key path and line) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ungpkit.framework.errors import FrameworkError, Problem
from ungpkit.framework.framework import Framework
from ungpkit.framework.integrity import check_integrity
from ungpkit.framework.models import Grid, PrinciplesFile, RightsFile, VocabulariesFile

DATA_DIR = Path(__file__).parent / "data"

M = TypeVar("M", bound=BaseModel)


def _line_of(root: yaml.Node | None, path: Sequence[Any]) -> int | None:
    """The line of the deepest key or item of ``path`` that exists in the YAML node tree."""
    node, line = root, root.start_mark.line + 1 if root is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _place(path: Sequence[Any], data: Any) -> str:
    """Render a key path readably, naming list items by their id where they have one."""
    parts: list[str] = []
    current = data
    for key in path:
        if isinstance(key, int) and isinstance(current, list) and key < len(current):
            item = current[key]
            item_id = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{key}]" + (f" ({item_id})" if item_id else ""))
            current = item
        else:
            parts.append(f".{key}" if parts else str(key))
            current = current.get(key) if isinstance(current, dict) else None
    return "".join(parts)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> tuple[Any, str]:
    """Parse ``path`` and return its data and text, or raise ``FrameworkError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([Problem(path, "", None, f"cannot be read: {exc}")]) from exc
    try:
        return yaml.load(text, Loader=_Loader), text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkError([Problem(path, "", line, f"is not valid YAML: {problem}")]) from exc


def parse_file(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it against ``model``, reporting every problem found."""
    data, text = read_yaml(path)
    if data is None:
        raise FrameworkError([Problem(path, "", None, "is empty")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        root = yaml.compose(text, Loader=_Loader)
        problems = [
            Problem(path, _place(err["loc"], data), _line_of(root, err["loc"]), err["msg"])
            for err in exc.errors()
        ]
        raise FrameworkError(problems) from exc


def load_framework(directory: Path | str | None = None) -> Framework:
    """Load, validate and cross-check the framework in ``directory`` (the shipped data by default).

    Raises ``FrameworkError`` listing every problem: malformed files, missing labels,
    duplicate ids and references that do not resolve.
    """
    base = Path(directory) if directory is not None else DATA_DIR
    if not base.is_dir():
        raise FrameworkError([Problem(base, "", None, "is not a directory")])
    problems: list[Problem] = []
    principles = _collect(problems, base / "principles.yaml", PrinciplesFile)
    rights = _collect(problems, base / "rights.yaml", RightsFile)
    vocabularies = _collect(problems, base / "vocabularies.yaml", VocabulariesFile)
    grid_files = sorted((base / "grids").glob("*.yaml")) if (base / "grids").is_dir() else []
    if not grid_files:
        problems.append(Problem(base / "grids", "", None, "holds no grid (*.yaml)"))
    grids: dict[Path, Grid] = {}
    for path in grid_files:
        grid = _collect(problems, path, Grid)
        if grid is not None:
            grids[path] = grid
    if problems or principles is None or rights is None or vocabularies is None:
        raise FrameworkError(problems)
    framework = Framework(
        pillars=list(principles.pillars),
        principles=list(principles.principles),
        rights=list(rights.rights),
        vocabularies=list(vocabularies.vocabularies),
        grids=list(grids.values()),
    )
    sources = {
        "principles": base / "principles.yaml",
        "rights": base / "rights.yaml",
        "vocabularies": base / "vocabularies.yaml",
        **{f"grid:{grid.id}": path for path, grid in grids.items()},
    }
    problems = check_integrity(framework, sources)
    if problems:
        raise FrameworkError(problems)
    return framework


def _collect(problems: list[Problem], path: Path, model: type[M]) -> M | None:
    if not path.is_file():
        problems.append(Problem(path, "", None, "is missing"))
        return None
    try:
        return parse_file(path, model)
    except FrameworkError as exc:
        problems.extend(exc.problems)
        return None


@lru_cache(maxsize=1)
def default_framework() -> Framework:
    """The shipped framework, loaded once per process."""
    return load_framework(DATA_DIR)
