"""The terminal view: a compact table by stage, with colour."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ungpkit.analysis.compare import Comparison
from ungpkit.analysis.model import Assessment, Finding
from ungpkit.analysis.overlap import OverlapTable
from ungpkit.framework.models import Grid
from ungpkit.reports.tables import element_title, findings_by_stage
from ungpkit.reports.words import word

STATUS_STYLE = {
    "met": "bold green",
    "partial": "yellow",
    "absent": "bold red",
    "not_applicable": "dim",
}
CHANGE_STYLE = {
    "new": "green",
    "strengthened": "green",
    "lost": "red",
    "weakened": "red",
    "unchanged": "dim",
}


def assessment_view(assessment: Assessment, grid: Grid, lang: str) -> RenderableType:
    """A table per stage: element, status, strength, first locators."""
    parts: list[RenderableType] = []
    doc = assessment.document
    pages = ", " + word("n_pages", lang).format(n=doc.pages) if doc.pages else ""
    passages = word("n_passages", lang).format(n=doc.passages)
    parts.append(
        Text.assemble(
            (doc.title, "bold"),
            f"  ({doc.format}, {doc.language}{pages}, {passages}) · {grid.title.get(lang)}",
        )
    )
    counts = assessment.counts()
    parts.append(
        Text.assemble(
            *[
                (f"{word(s, lang)} {counts[s]}  ", STATUS_STYLE[s])
                for s in ("met", "partial", "absent")
            ]
        )
    )
    for stage_id, findings in findings_by_stage(assessment, grid):
        table = Table(
            title=grid.stage(stage_id).title.get(lang),
            title_justify="left",
            title_style="bold",
            expand=False,
            show_lines=False,
        )
        table.add_column(word("element", lang), no_wrap=False, max_width=44)
        table.add_column(word("status", lang), no_wrap=True)
        table.add_column(word("strength", lang), no_wrap=True)
        table.add_column(word("evidence", lang), max_width=46)
        for finding in findings:
            locators = ", ".join(dict.fromkeys(e.locator for e in finding.evidence[:3]))
            table.add_row(
                element_title(grid, finding.element, lang),
                Text(word(finding.status.value, lang), style=STATUS_STYLE[finding.status.value]),
                _strength_cell(finding, lang),
                locators or "-",
            )
        parts.append(table)
    for warning in assessment.warnings:
        parts.append(Text(f"! {warning}", style="yellow"))
    return Group(*parts)


def _strength_cell(finding: Finding, lang: str) -> str:
    """The obligation strength, or for report analysis whether the top evidence is done."""
    if finding.evidence and finding.evidence[0].mode:
        return word(finding.evidence[0].mode, lang)
    return word(finding.strength.value, lang) if finding.strength else ""


def comparison_view(comparison: Comparison, grid: Grid, lang: str) -> RenderableType:
    """One row per element: old status, new status, change, locators on each side."""
    table = Table(
        title=f"{comparison.old.document.title} → {comparison.new.document.title}",
        title_justify="left",
        title_style="bold",
    )
    for heading in ("element", "old", "new_draft", "change"):
        table.add_column(word(heading, lang))
    for change in comparison.changes:
        old, new = change.old, change.new
        table.add_row(
            element_title(grid, change.element, lang),
            _side(
                old.status.value,
                old.strength.value if old.strength else None,
                [e.locator for e in old.evidence[:2]],
                lang,
            ),
            _side(
                new.status.value,
                new.strength.value if new.strength else None,
                [e.locator for e in new.evidence[:2]],
                lang,
            ),
            Text(word(change.change.value, lang), style=CHANGE_STYLE[change.change.value]),
        )
    counts = comparison.counts()
    summary = Text("  ".join(f"{word(k, lang)} {v}" for k, v in counts.items()))
    return Group(table, summary)


def _side(status: str, strength: str | None, locators: list[str], lang: str) -> Text:
    text = Text(word(status, lang), style=STATUS_STYLE[status])
    if strength:
        text.append(f" ({word(strength, lang)})")
    if locators:
        text.append("\n" + ", ".join(locators), style="dim")
    return text


def overlap_view(table_data: OverlapTable, grid: Grid, lang: str) -> RenderableType:
    """Element × law, each cell the status, strength and locators; the overlap flagged."""
    table = Table(title=word("overlap", lang), title_justify="left", title_style="bold")
    table.add_column(word("element", lang), max_width=36)
    titles = table_data.titles()
    for number, title in enumerate(titles, start=1):
        table.add_column(f"{number}. {_short(title)}", max_width=30)
    table.add_column(word("overlap", lang))
    for row in table_data.rows:
        cells = [
            _side(
                c.status.value,
                c.strength.value if c.strength else None,
                [e.locator for e in c.evidence[:2]],
                lang,
            )
            for c in row.cells
        ]
        style = {"duplicated": "bold magenta", "divergent": "bold yellow"}.get(
            row.kind.value, "dim"
        )
        table.add_row(
            element_title(grid, row.element, lang),
            *cells,
            Text(word(row.kind.value, lang) if row.kind.value != "none" else "-", style=style),
        )
    legend = Text("\n".join(f"{n}. {title}" for n, title in enumerate(titles, start=1)))
    return Group(table, legend)


def _short(title: str, width: int = 26) -> str:
    """A law's title cut to fit a column head (the full title is listed under the table)."""
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def to_plain_text(renderable: RenderableType, width: int = 120) -> str:
    """Render to text without colour codes (for files)."""
    console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()
