"""Plain-data views shared by every renderer: stage summaries and finding rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ungpkit.analysis.model import Assessment, Exclusion, Finding
from ungpkit.framework.models import Grid


@dataclass(frozen=True)
class StageSummary:
    """Counts of each status for one stage of the grid."""

    stage_id: str
    title: str
    met: int
    partial: int
    absent: int
    not_applicable: int

    @property
    def total(self) -> int:
        """Elements in the stage."""
        return self.met + self.partial + self.absent + self.not_applicable


def stage_summaries(assessment: Assessment, grid: Grid, lang: str) -> list[StageSummary]:
    """One summary per stage, in the grid's order."""
    summaries = []
    for stage in grid.stages:
        findings = [f for f in assessment.findings if f.stage == stage.id]
        counts = {
            s: sum(1 for f in findings if f.status.value == s)
            for s in ("met", "partial", "absent", "not_applicable")
        }
        summaries.append(StageSummary(stage.id, stage.title.get(lang), **counts))
    return summaries


def findings_by_stage(assessment: Assessment, grid: Grid) -> list[tuple[str, list[Finding]]]:
    """The findings grouped by stage id, in the grid's order."""
    return [
        (stage.id, [f for f in assessment.findings if f.stage == stage.id]) for stage in grid.stages
    ]


def element_title(grid: Grid, element_id: str, lang: str) -> str:
    """The element's title in ``lang``."""
    return grid.element(element_id).title.get(lang)


def set_aside(excluded: Sequence[Exclusion], shown: int = 5) -> str:
    """The passages set aside as exemptions, as a line: the first few, then how many more."""
    listed = "; ".join(f"{x.locator} (“{x.marker}”)" for x in excluded[:shown])
    more = len(excluded) - shown
    return f"{listed}; +{more}" if more > 0 else listed
