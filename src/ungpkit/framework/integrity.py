"""Cross-file checks: unique ids, references that resolve, stages that exist."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ungpkit.framework.errors import Problem
from ungpkit.framework.framework import Framework
from ungpkit.framework.models import id_prefix


def check_integrity(framework: Framework, sources: dict[str, Path]) -> list[Problem]:
    """Return every inconsistency between the files of ``framework`` (empty when sound)."""
    problems: list[Problem] = []
    problems += _duplicate_ids(framework, sources)
    problems += _principle_numbers(framework, sources["principles"])
    principle_ids = {p.id for p in framework.principles}
    right_ids = {r.id for r in framework.rights}
    for grid in framework.grids:
        path = sources.get(f"grid:{grid.id}", Path(f"grids/{grid.id}.yaml"))
        stage_ids = {s.id for s in grid.stages}
        prefixes = {id_prefix(element.id) for element in grid.elements}
        if len(prefixes) > 1:
            problems.append(
                Problem(path, "elements", None, f"element ids mix prefixes {sorted(prefixes)}")
            )
        for index, element in enumerate(grid.elements):
            place = f"elements[{index}] ({element.id})"
            if element.stage not in stage_ids:
                problems.append(
                    Problem(path, place + ".stage", None, f"unknown stage {element.stage!r}")
                )
            problems += _refs(path, place + ".ungp", element.ungp, principle_ids, "principle")
            problems += _refs(path, place + ".rights", element.rights, right_ids, "right")
            facet_ids = Counter(facet.id for facet in element.facets)
            for facet_id, count in facet_ids.items():
                if count > 1:
                    problems.append(Problem(path, place, None, f"facet {facet_id!r} repeated"))
    path = sources["vocabularies"]
    for vocabulary in framework.vocabularies:
        for index, term in enumerate(vocabulary.terms):
            place = f"vocabularies ({vocabulary.id}).terms[{index}] ({term.id})"
            problems += _refs(path, place + ".ungp", term.ungp, principle_ids, "principle")
            problems += _refs(path, place + ".rights", term.rights, right_ids, "right")
    return problems


def _refs(path: Path, place: str, refs: list[str], known: set[str], kind: str) -> list[Problem]:
    return [
        Problem(path, place, None, f"refers to unknown {kind} {ref!r}")
        for ref in refs
        if ref not in known
    ]


def _duplicate_ids(framework: Framework, sources: dict[str, Path]) -> list[Problem]:
    counts = Counter(entry.id for entry in framework.entries())
    return [
        Problem(Path("framework"), "", None, f"id {identifier!r} is used {count} times")
        for identifier, count in sorted(counts.items())
        if count > 1
    ]


def _principle_numbers(framework: Framework, path: Path) -> list[Problem]:
    numbers = sorted(p.number for p in framework.principles)
    if numbers != list(range(1, 32)):
        missing = sorted(set(range(1, 32)) - set(numbers))
        return [Problem(path, "principles", None, f"principles missing: {missing}")]
    pillars = {1: "protect", 11: "respect", 25: "remedy"}
    problems = []
    for principle in framework.principles:
        expected = next(
            p for start, p in sorted(pillars.items(), reverse=True) if principle.number >= start
        )
        if principle.pillar != expected:
            problems.append(
                Problem(
                    path,
                    f"principles ({principle.id}).pillar",
                    None,
                    f"GP{principle.number} belongs to pillar {expected!r}",
                )
            )
    return problems
