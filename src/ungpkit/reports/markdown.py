"""Markdown reports, for track-changes editing and for pasting into briefs."""

from __future__ import annotations

from ungpkit.analysis.compare import Comparison
from ungpkit.analysis.model import Assessment, Status
from ungpkit.analysis.overlap import OverlapTable
from ungpkit.framework.models import Grid
from ungpkit.reports.tables import element_title, findings_by_stage, set_aside, stage_summaries
from ungpkit.reports.words import word


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def assessment_markdown(assessment: Assessment, grid: Grid, lang: str) -> str:
    """The whole assessment: summary table, findings with quotes, gaps."""
    doc = assessment.document
    lines = [
        f"# {word('title', lang)}: {doc.title}",
        "",
        f"- {word('document', lang)}: `{doc.source}` ({doc.format}, {doc.language})",
        f"- {word('grid', lang)}: {grid.title.get(lang)} (`{grid.id}` {grid.version})",
        f"- {word('analyser', lang)}: {assessment.analyser} {assessment.analyser_version}",
        "",
        f"## {word('summary', lang)}",
        "",
        f"| {word('stage', lang)} | {word('met', lang)} | {word('partial', lang)} | "
        f"{word('absent', lang)} |",
        "|---|---:|---:|---:|",
    ]
    for summary in stage_summaries(assessment, grid, lang):
        lines.append(
            f"| {_cell(summary.title)} | {summary.met} | {summary.partial} | {summary.absent} |"
        )
    lines += ["", f"## {word('findings', lang)}"]
    for stage_id, findings in findings_by_stage(assessment, grid):
        lines += ["", f"### {grid.stage(stage_id).title.get(lang)}"]
        for finding in findings:
            strength = f", {word(finding.strength.value, lang)}" if finding.strength else ""
            lines += [
                "",
                f"#### {element_title(grid, finding.element, lang)} "
                f"(`{finding.element}`): **{word(finding.status.value, lang)}**"
                f"{strength}",
                "",
                finding.rationale,
            ]
            for evidence in finding.evidence:
                page = f", {word('page', lang)} {evidence.page}" if evidence.page else ""
                mode = f", {word(evidence.mode, lang)}" if evidence.mode else ""
                lines += [
                    "",
                    f"> **{evidence.locator}**{page} ({evidence.score:.2f}{mode}): {evidence.text}",
                ]
            if finding.excluded:
                aside = set_aside(finding.excluded)
                lines += ["", f"*{word('set_aside', lang)}:* {aside}"]
    gaps = [f for f in assessment.findings if f.status is not Status.MET and f.recommendation]
    if gaps:
        lines += ["", f"## {word('gaps', lang)}", ""]
        for finding in gaps:
            lines.append(
                f"- **{element_title(grid, finding.element, lang)}** "
                f"({word(finding.status.value, lang)}): {finding.recommendation}"
            )
    if assessment.warnings:
        lines += ["", f"## {word('warnings', lang)}", ""]
        lines += [f"- {w}" for w in assessment.warnings]
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: Comparison, grid: Grid, lang: str) -> str:
    """A table of every element in both drafts."""
    lines = [
        f"# {comparison.old.document.title} → {comparison.new.document.title}",
        "",
        f"| {word('element', lang)} | {word('old', lang)} | {word('new_draft', lang)} | "
        f"{word('change', lang)} |",
        "|---|---|---|---|",
    ]
    for change in comparison.changes:
        sides = []
        for finding in (change.old, change.new):
            locs = ", ".join(e.locator for e in finding.evidence[:3])
            strength = f" ({word(finding.strength.value, lang)})" if finding.strength else ""
            sides.append(f"{word(finding.status.value, lang)}{strength} {locs}".strip())
        lines.append(
            f"| {_cell(element_title(grid, change.element, lang))} | {_cell(sides[0])} "
            f"| {_cell(sides[1])} | {word(change.change.value, lang)} |"
        )
    return "\n".join(lines) + "\n"


def overlap_markdown(table: OverlapTable, grid: Grid, lang: str) -> str:
    """Element × law."""
    titles = table.titles()
    lines = [
        f"# {word('overlap', lang)}",
        "",
        "| "
        + " | ".join([word("element", lang), *map(_cell, titles), word("overlap", lang)])
        + " |",
        "|" + "---|" * (len(titles) + 2),
    ]
    for row in table.rows:
        cells = []
        for cell in row.cells:
            strength = f" ({word(cell.strength.value, lang)})" if cell.strength else ""
            locs = ", ".join(e.locator for e in cell.evidence[:3])
            cells.append(_cell(f"{word(cell.status.value, lang)}{strength} {locs}".strip()))
        kind = word(row.kind.value, lang) if row.kind.value != "none" else "-"
        lines.append(
            f"| {_cell(element_title(grid, row.element, lang))} | "
            + " | ".join(cells)
            + f" | {kind} |"
        )
    return "\n".join(lines) + "\n"
