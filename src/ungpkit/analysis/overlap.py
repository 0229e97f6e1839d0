"""Where several laws impose the same kind of obligation: an element-by-law table.

Seed 000 warns of the "doubling and accumulative effect" of fragmented regulation: the same
duty imposed by several laws and institutions, sometimes with different strengths. This view
puts every law's finding for each element side by side and flags the elements that more than
one law covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ungpkit.analysis.model import Assessment, Finding, Status


class Overlap(StrEnum):
    """How the laws relate on one element."""

    DUPLICATED = "duplicated"
    DIVERGENT = "divergent"
    SINGLE = "single"
    NONE = "none"


@dataclass(frozen=True)
class OverlapRow:
    """One element across every law."""

    element: str
    stage: str
    kind: Overlap
    cells: tuple[Finding, ...]

    def to_dict(self, titles: list[str]) -> dict[str, Any]:
        """JSON form."""
        return {
            "element": self.element,
            "stage": self.stage,
            "overlap": self.kind.value,
            "laws": [
                {
                    "law": title,
                    "status": cell.status.value,
                    "strength": cell.strength.value if cell.strength else None,
                    "locators": [e.locator for e in cell.evidence],
                }
                for title, cell in zip(titles, self.cells, strict=True)
            ],
        }


@dataclass(frozen=True)
class OverlapTable:
    """Every element of the grid against every law."""

    assessments: list[Assessment]
    rows: list[OverlapRow]

    SCHEMA = "ungpkit.overlap/1"

    def titles(self) -> list[str]:
        """The laws' titles, in column order."""
        return [a.document.title for a in self.assessments]

    def to_dict(self) -> dict[str, Any]:
        """JSON form, versioned by ``schema``."""
        titles = self.titles()
        return {
            "schema": self.SCHEMA,
            "grid": self.assessments[0].grid,
            "laws": [
                {"title": a.document.title, "source": a.document.source} for a in self.assessments
            ],
            "rows": [row.to_dict(titles) for row in self.rows],
        }


def overlap(assessments: list[Assessment]) -> OverlapTable:
    """Build the element-by-law table; two or more laws covering an element is an overlap."""
    if len(assessments) < 2:
        raise ValueError("Overlap needs at least two laws.")
    grids = {a.grid for a in assessments}
    if len(grids) > 1:
        raise ValueError(f"All laws must be assessed with the same grid, not {sorted(grids)}.")
    rows = []
    for finding in assessments[0].findings:
        cells = tuple(a.finding(finding.element) for a in assessments)
        present = [c for c in cells if c.status in (Status.MET, Status.PARTIAL)]
        if len(present) >= 2:
            # The same duty twice only when the laws state it alike (status and strength);
            # a law that fully imposes it beside one that only touches it diverges.
            readings = {(c.status, c.strength) for c in present}
            kind = Overlap.DUPLICATED if len(readings) == 1 else Overlap.DIVERGENT
        else:
            kind = Overlap.SINGLE if present else Overlap.NONE
        rows.append(OverlapRow(finding.element, finding.stage, kind, cells))
    return OverlapTable(assessments, rows)
