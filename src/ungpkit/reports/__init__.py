"""Render assessments, comparisons and overlaps as text, HTML, Markdown, JSON and CSV."""

from __future__ import annotations

import json

from ungpkit.analysis.compare import Comparison
from ungpkit.analysis.model import Assessment
from ungpkit.analysis.overlap import OverlapTable
from ungpkit.framework.models import Grid
from ungpkit.reports import html, markdown, tabular, text

FORMATS = ("text", "html", "md", "json", "csv")


def render(result: Assessment | Comparison | OverlapTable, grid: Grid, fmt: str, lang: str) -> str:
    """Render ``result`` in ``fmt`` (one of :data:`FORMATS`) as a string."""
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if isinstance(result, Assessment):
        if fmt == "csv":
            return tabular.assessment_csv(result)
        if fmt == "html":
            return html.assessment_html(result, grid, lang)
        if fmt == "md":
            return markdown.assessment_markdown(result, grid, lang)
        return text.to_plain_text(text.assessment_view(result, grid, lang))
    if isinstance(result, Comparison):
        if fmt == "csv":
            return tabular.comparison_csv(result)
        if fmt == "html":
            return html.comparison_html(result, grid, lang)
        if fmt == "md":
            return markdown.comparison_markdown(result, grid, lang)
        return text.to_plain_text(text.comparison_view(result, grid, lang))
    if fmt == "csv":
        return tabular.overlap_csv(result)
    if fmt == "html":
        return html.overlap_html(result, grid, lang)
    if fmt == "md":
        return markdown.overlap_markdown(result, grid, lang)
    return text.to_plain_text(text.overlap_view(result, grid, lang), width=160)


__all__ = ["FORMATS", "render"]
