"""Self-contained HTML reports: one file, no external resources, readable and printable."""

from __future__ import annotations

from html import escape

from ungpkit.analysis.compare import Comparison
from ungpkit.analysis.model import Assessment, Evidence, Finding, Status
from ungpkit.analysis.overlap import OverlapTable
from ungpkit.framework.models import Grid
from ungpkit.reports.tables import element_title, findings_by_stage, set_aside, stage_summaries
from ungpkit.reports.words import word

CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR",sans-serif;
color:#1b1b1b;max-width:60rem;margin:0 auto;padding:1rem 1.25rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #1b1b1b}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;
border-bottom:1px solid #ccc;vertical-align:top}
.bar{display:flex;height:1rem;min-width:8rem;border:1px solid #555}
.bar span{display:block}.met{background:#1a7f37;color:#fff}.partial{background:#9a6700;color:#fff}
.absent{background:#b42318;color:#fff}.not_applicable{background:#6e7781;color:#fff}
.badge{display:inline-block;padding:0 .45rem;border-radius:.3rem;font-size:.85rem;font-weight:600}
.finding{border:1px solid #ccc;border-radius:.4rem;padding:.5rem 1rem;margin:1rem 0}
blockquote{margin:.5rem 0;padding:.25rem .75rem;border-left:4px solid #0b5cad;background:#f4f7fb}
mark{background:#ffe08a}a{color:#0b5cad}a:focus{outline:3px solid #0b5cad}
.meta{color:#444;font-size:.9rem}.skip{position:absolute;left:-999px}.skip:focus{left:1rem}
@media print{.finding{break-inside:avoid}a{color:inherit}}
"""


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<a class="skip" href="#main">{escape(word("skip", lang))}</a>\n<main id="main">\n{body}\n'
        f"</main>\n</body>\n</html>\n"
    )


def _badge(key: str, lang: str) -> str:
    return f'<span class="badge {key}">{escape(word(key, lang))}</span>'


def _highlighted(evidence: Evidence) -> str:
    text, out, position = evidence.text, [], 0
    for start, end in sorted(evidence.highlights):
        if start < position:
            continue
        out += [escape(text[position:start]), f"<mark>{escape(text[start:end])}</mark>"]
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _anchor(passage_id: str) -> str:
    return "passage-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in passage_id)


def _finding(finding: Finding, grid: Grid, lang: str) -> str:
    title = element_title(grid, finding.element, lang)
    strength = (
        " " + _badge(finding.strength.value, lang).replace("badge ", "badge meta ")
        if finding.strength
        else ""
    )
    parts = [
        f'<section class="finding" id="{escape(finding.element)}" '
        f'aria-labelledby="h-{escape(finding.element)}">',
        f'<h4 id="h-{escape(finding.element)}">{escape(title)} {_badge(finding.status.value, lang)}'
        f"{strength}</h4>",
        f'<p class="meta"><code>{escape(finding.element)}</code></p>',
        f"<p>{escape(finding.rationale)}</p>",
    ]
    for evidence in finding.evidence:
        page = f", {word('page', lang)} {evidence.page}" if evidence.page else ""
        parts.append(
            f'<blockquote><a href="#{_anchor(evidence.passage_id)}">'
            f"<strong>{escape(evidence.locator)}</strong></a>{escape(page)} "
            f'<span class="meta">({evidence.score:.2f})</span><br>'
            f"{_highlighted(evidence)}</blockquote>"
        )
    if finding.excluded:
        aside = set_aside(finding.excluded)
        parts.append(
            f'<p class="meta"><strong>{escape(word("set_aside", lang))}:</strong> '
            f"{escape(aside)}</p>"
        )
    if finding.recommendation:
        parts.append(
            f"<p><strong>{escape(word('recommendation', lang))}:</strong> "
            f"{escape(finding.recommendation)}</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def assessment_html(assessment: Assessment, grid: Grid, lang: str) -> str:
    """The full report: summary chart by stage, findings with quotes, gaps, cited passages."""
    doc = assessment.document
    title = f"{word('title', lang)}: {doc.title}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(word("document", lang))}: {escape(doc.source)} '
        f"({escape(doc.format)}, {escape(doc.language)}) · {escape(word('grid', lang))}: "
        f"{escape(grid.title.get(lang))} {escape(grid.version)} · "
        f"{escape(assessment.analyser)} {escape(assessment.analyser_version)}</p>",
        f"<h2>{escape(word('summary', lang))}</h2>",
        "<table>",
        f'<thead><tr><th scope="col">{escape(word("stage", lang))}</th>'
        + "".join(
            f'<th scope="col">{escape(word(s, lang))}</th>' for s in ("met", "partial", "absent")
        )
        + f'<th scope="col"><span class="skip">{escape(word("chart", lang))}</span></th>'
        + "</tr></thead><tbody>",
    ]
    for s in stage_summaries(assessment, grid, lang):
        bar = "".join(
            f'<span class="{k}" style="width:{100 * n / max(s.total, 1):.1f}%"></span>'
            for k, n in (("met", s.met), ("partial", s.partial), ("absent", s.absent))
        )
        body.append(
            f'<tr><th scope="row">{escape(s.title)}</th><td>{s.met}</td>'
            f"<td>{s.partial}</td><td>{s.absent}</td>"
            f'<td><div class="bar" role="img" aria-label="{s.met} {escape(word("met", lang))}, '
            f"{s.partial} {escape(word('partial', lang))}, {s.absent} "
            f'{escape(word("absent", lang))}">{bar}</div></td></tr>'
        )
    body.append("</tbody></table>")
    gaps = [f for f in assessment.findings if f.status is not Status.MET and f.recommendation]
    if gaps:
        body.append(f"<h2>{escape(word('gaps', lang))}</h2><ul>")
        body += [
            f'<li><a href="#{escape(f.element)}">{escape(element_title(grid, f.element, lang))}'
            f"</a> {_badge(f.status.value, lang)}: {escape(f.recommendation or '')}</li>"
            for f in gaps
        ]
        body.append("</ul>")
    body.append(f"<h2>{escape(word('findings', lang))}</h2>")
    for stage_id, findings in findings_by_stage(assessment, grid):
        body.append(f"<h3>{escape(grid.stage(stage_id).title.get(lang))}</h3>")
        body += [_finding(f, grid, lang) for f in findings]
    cited: dict[str, Evidence] = {}
    for finding in assessment.findings:
        for evidence in finding.evidence:
            cited.setdefault(evidence.passage_id, evidence)
    if cited:
        body.append(f"<h2>{escape(word('passages', lang))}</h2>")
        for passage_id, evidence in cited.items():
            page = f" ({word('page', lang)} {evidence.page})" if evidence.page else ""
            body.append(
                f'<p id="{_anchor(passage_id)}"><strong>{escape(evidence.locator)}'
                f"</strong>{escape(page)}: {escape(evidence.text)}</p>"
            )
    if assessment.warnings:
        body.append(f"<h2>{escape(word('warnings', lang))}</h2><ul>")
        body += [f"<li>{escape(w)}</li>" for w in assessment.warnings]
        body.append("</ul>")
    return _page(title, "\n".join(body), lang)


def comparison_html(comparison: Comparison, grid: Grid, lang: str) -> str:
    """Both drafts side by side, element by element."""
    title = f"{comparison.old.document.title} → {comparison.new.document.title}"
    rows = []
    for change in comparison.changes:
        sides = []
        for finding in (change.old, change.new):
            quotes = "".join(
                f"<blockquote><strong>{escape(e.locator)}</strong>: "
                f"{escape(e.text[:400])}</blockquote>"
                for e in finding.evidence[:2]
            )
            sides.append(f"<td>{_badge(finding.status.value, lang)}{quotes}</td>")
        rows.append(
            f'<tr><th scope="row">{escape(element_title(grid, change.element, lang))}'
            f"</th>{''.join(sides)}<td>{escape(word(change.change.value, lang))}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{escape(word(k, lang))}</th>'
        for k in ("element", "old", "new_draft", "change")
    )
    body = (
        f"<h1>{escape(title)}</h1><table><thead><tr>{head}</tr></thead><tbody>"
        f"{''.join(rows)}</tbody></table>"
    )
    return _page(title, body, lang)


def overlap_html(table: OverlapTable, grid: Grid, lang: str) -> str:
    """Element × law with locators and strengths."""
    head = "".join(
        f'<th scope="col">{escape(t)}</th>'
        for t in [word("element", lang), *table.titles(), word("overlap", lang)]
    )
    rows = []
    for row in table.rows:
        cells = "".join(
            f"<td>{_badge(c.status.value, lang)} "
            f"{escape(word(c.strength.value, lang)) if c.strength else ''}<br>"
            f"{escape(', '.join(e.locator for e in c.evidence[:3]))}</td>"
            for c in row.cells
        )
        kind = escape(word(row.kind.value, lang)) if row.kind.value != "none" else "-"
        rows.append(
            f'<tr><th scope="row">{escape(element_title(grid, row.element, lang))}</th>'
            f"{cells}<td>{kind}</td></tr>"
        )
    body = (
        f"<h1>{escape(word('overlap', lang))}</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return _page(word("overlap", lang), body, lang)
