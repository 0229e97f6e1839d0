"""CSV exports: one row per finding (assessment), per element (comparison, overlap)."""

from __future__ import annotations

import csv
import io

from ungpkit.analysis.compare import Comparison
from ungpkit.analysis.model import Assessment
from ungpkit.analysis.overlap import OverlapTable


def _write(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def assessment_csv(assessment: Assessment) -> str:
    """One row per finding, evidence locators and the top quote included; for report grids,
    ``modes`` says how each evidence sentence reads (done, promised, denied)."""
    rows: list[list[object]] = [
        [
            "element",
            "stage",
            "status",
            "strength",
            "locators",
            "pages",
            "top_evidence",
            "rationale",
            "recommendation",
            "modes",
        ]
    ]
    for f in assessment.findings:
        rows.append(
            [
                f.element,
                f.stage,
                f.status.value,
                f.strength.value if f.strength else "",
                "; ".join(e.locator for e in f.evidence),
                "; ".join(str(e.page) for e in f.evidence if e.page is not None),
                f.evidence[0].text if f.evidence else "",
                f.rationale,
                f.recommendation or "",
                "; ".join(e.mode for e in f.evidence if e.mode),
            ]
        )
    return _write(rows)


def comparison_csv(comparison: Comparison) -> str:
    """One row per element: both sides and the change."""
    rows: list[list[object]] = [
        [
            "element",
            "stage",
            "change",
            "old_status",
            "old_strength",
            "old_locators",
            "new_status",
            "new_strength",
            "new_locators",
        ]
    ]
    for c in comparison.changes:
        rows.append(
            [
                c.element,
                c.stage,
                c.change.value,
                c.old.status.value,
                c.old.strength.value if c.old.strength else "",
                "; ".join(e.locator for e in c.old.evidence),
                c.new.status.value,
                c.new.strength.value if c.new.strength else "",
                "; ".join(e.locator for e in c.new.evidence),
            ]
        )
    return _write(rows)


def overlap_csv(table: OverlapTable) -> str:
    """One row per element and law."""
    rows: list[list[object]] = [
        ["element", "stage", "overlap", "law", "status", "strength", "locators"]
    ]
    for row in table.rows:
        for title, cell in zip(table.titles(), row.cells, strict=True):
            rows.append(
                [
                    row.element,
                    row.stage,
                    row.kind.value,
                    title,
                    cell.status.value,
                    cell.strength.value if cell.strength else "",
                    "; ".join(e.locator for e in cell.evidence),
                ]
            )
    return _write(rows)
