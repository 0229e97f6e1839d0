"""Downloads of a finished assessment: PDF, DOCX, HTML, Markdown, JSON and CSV, and the
reviewed checklist for `ungpkit eval`.

HTML, Markdown, JSON and CSV are the core renderers' output (``ungpkit.reports.render``) with
the reviewers' decisions added beside the machine's answer. The PDF is WeasyPrint over a
print-quality page built here (cover, summary by stage, gaps, every finding with its evidence
and its review, page numbers, fonts that cover Korean); it never fetches anything over the
network. The DOCX is built with python-docx so drafters can edit it with tracked changes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ungpkit.analysis.model import Assessment as CoreAssessment
from ungpkit.analysis.model import Evidence, Finding, Status
from ungpkit.analysis.rationale import in_language
from ungpkit.apps.check import access, results
from ungpkit.apps.check.models import Assessment, ReviewDecision
from ungpkit.apps.check.results import ReviewedFinding
from ungpkit.framework import default_framework
from ungpkit.framework.models import Grid
from ungpkit.reports import render
from ungpkit.reports.tables import element_title, findings_by_stage, stage_summaries
from ungpkit.reports.words import word

REPORT_LANGUAGES = ("en", "fr", "es", "ko")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
"""Every export format and the content type it is served with."""

EXPORT_FORMATS = tuple(CONTENT_TYPES)


@dataclass(frozen=True)
class Export:
    """A file ready to download."""

    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class Report:
    """Everything an export shows: the machine's answer, the reviews and the context."""

    assessment: Assessment
    core: CoreAssessment
    grid: Grid
    lang: str
    reviewed: dict[str, ReviewedFinding]
    locators: dict[str, str]
    as_reviewed: CoreAssessment
    """The findings as corrected by reviewers: what summaries and gaps show."""

    def review_of(self, element: str) -> ReviewedFinding | None:
        """The finding with its reviews, or ``None`` when nobody has reviewed it."""
        item = self.reviewed.get(element)
        return item if item is not None and item.reviews else None


def export_assessment(
    actor: Any, assessment_id: int, fmt: str, *, lang: str | None = None
) -> Export:
    """The assessment ``actor`` may see, as a file in ``fmt`` (one of ``EXPORT_FORMATS``).

    Raises ``NotFound`` when the assessment is missing or hidden, ``ValidationError`` for an
    unknown format or a check that has not finished. ``lang`` is the report's language
    (default: the current interface language).
    """
    assessment = access.access_assessment(actor, assessment_id)
    if fmt not in CONTENT_TYPES:
        raise ValidationError(
            {"format": _("Choose one of these formats: PDF, DOCX, HTML, Markdown, JSON or CSV.")}
        )
    report = _report(assessment, _report_lang(lang))
    with translation.override(report.lang):
        content = RENDERERS[fmt](report)
    return Export(content, CONTENT_TYPES[fmt], _filename(assessment, fmt))


def export_checklist(actor: Any, assessment_id: int) -> Export:
    """The reviewed findings as a labelled checklist (YAML) for `ungpkit eval`."""
    text = results.checklist_yaml(actor, assessment_id)
    assessment = access.access_assessment(actor, assessment_id)
    return Export(
        text.encode("utf-8"),
        "application/yaml; charset=utf-8",
        _filename(assessment, "yaml", kind="checklist"),
    )


def _report_lang(lang: str | None) -> str:
    candidate = (lang or translation.get_language() or "en")[:2].lower()
    return candidate if candidate in REPORT_LANGUAGES else "en"


def _report(assessment: Assessment, lang: str) -> Report:
    grid = default_framework().grid(assessment.grid)
    core = in_language(results.core_assessment(assessment), grid, lang)
    reviewed = {item.element: item for item in results.reviewed_findings(assessment)}
    return Report(
        assessment=assessment,
        core=core,
        grid=grid,
        lang=lang,
        reviewed=reviewed,
        locators={p["id"]: p["locator"] for p in assessment.document.passages},
        as_reviewed=results.reviewed_core(core, reviewed, grid, lang),
    )


def _filename(assessment: Assessment, ext: str, *, kind: str = "ungp-check") -> str:
    slug = slugify(assessment.document.title)[:60].strip("-")
    return f"{kind}-{assessment.pk}{'-' + slug if slug else ''}.{ext}"


# Words shared by every format ------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _reviewer(item: ReviewedFinding) -> str:
    latest = item.latest
    person = latest.reviewer if latest is not None else None
    if person is None:
        return _("a former user")
    return str(person.get_full_name() or person.get_username())


def _status_word(status: str, lang: str) -> str:
    if status == "rejected":
        return _("rejected by the reviewer")
    return word(status, lang)


def _decision_word(item: ReviewedFinding) -> str:
    latest = item.latest
    return str(ReviewDecision(latest.decision).label) if latest is not None else ""


def _corrected_locators(report: Report, item: ReviewedFinding) -> list[str]:
    latest = item.latest
    if latest is None or latest.decision != ReviewDecision.CORRECT:
        return []
    return [report.locators.get(p, p) for p in latest.passage_ids]


def _review_summary(report: Report, item: ReviewedFinding) -> str:
    """One sentence: the reviewer's decision, who and when, for text formats."""
    latest = item.latest
    assert latest is not None
    strength = f", {word(item.strength, report.lang)}" if item.strength else ""
    return _("%(decision)s by %(reviewer)s on %(when)s: %(status)s%(strength)s") % {
        "decision": _decision_word(item),
        "reviewer": _reviewer(item),
        "when": _when(latest.created_at),
        "status": _status_word(item.status, report.lang),
        "strength": strength,
    }


def _review_dict(report: Report, item: ReviewedFinding | None) -> dict[str, Any] | None:
    if item is None or item.latest is None:
        return None
    latest = item.latest
    return {
        "decision": latest.decision,
        "status": item.status,
        "strength": item.strength,
        "passage_ids": list(latest.passage_ids),
        "locators": _corrected_locators(report, item),
        "comment": latest.comment,
        "reviewer": _reviewer(item),
        "reviewed_at": latest.created_at.isoformat(),
        "reviews": len(item.reviews),
    }


# HTML, Markdown, JSON, CSV: the core renderers plus the reviews --------------------------


def _json(report: Report) -> bytes:
    data = json.loads(render(report.core, report.grid, "json", report.lang))
    for finding in data["findings"]:
        finding["review"] = _review_dict(report, report.review_of(finding["element"]))
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


CSV_REVIEW_COLUMNS = [
    "reviewed_status",
    "reviewed_strength",
    "review_decision",
    "reviewer",
    "reviewed_at",
    "review_comment",
]


def _csv(report: Report) -> bytes:
    rows = list(csv.reader(io.StringIO(render(report.core, report.grid, "csv", report.lang))))
    header, body = rows[0], rows[1:]
    column = header.index("element")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header + CSV_REVIEW_COLUMNS)
    for row in body:
        review = _review_dict(report, report.review_of(row[column])) or {}
        writer.writerow(
            [
                *row,
                review.get("status", ""),
                review.get("strength") or "",
                review.get("decision", ""),
                review.get("reviewer", ""),
                review.get("reviewed_at", ""),
                review.get("comment", ""),
            ]
        )
    return out.getvalue().encode("utf-8")


def _reviewed_items(report: Report) -> list[ReviewedFinding]:
    return [item for f in report.core.findings if (item := report.review_of(f.element))]


def _html(report: Report) -> bytes:
    page = render(report.as_reviewed, report.grid, "html", report.lang)
    rows = [
        f"<tr><th scope='row'>{escape(element_title(report.grid, item.element, report.lang))}"
        f"</th><td>{escape(word(item.machine['status'], report.lang))}</td>"
        f"<td>{escape(_status_word(item.status, report.lang))}</td>"
        f"<td>{escape(_decision_word(item))}</td>"
        f"<td>{escape(_reviewer(item))}, {escape(_when(item.latest and item.latest.created_at))}"
        f"</td><td>{escape(item.latest.comment if item.latest else '')}</td></tr>"
        for item in _reviewed_items(report)
    ]
    section = [f"<h2 id='reviews'>{escape(_('Reviewers’ decisions'))}</h2>"]
    if rows:
        heads = (_("Element"), _("Machine"), _("Reviewed"), _("Decision"), _("Who"), _("Comment"))
        section += [
            "<table><thead><tr>",
            *(f"<th scope='col'>{escape(h)}</th>" for h in heads),
            "</tr></thead><tbody>",
            *rows,
            "</tbody></table>",
        ]
    else:
        section.append(f"<p>{escape(_('No finding has been reviewed yet.'))}</p>")
    return page.replace("</main>", "\n".join(section) + "\n</main>", 1).encode("utf-8")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md(report: Report) -> bytes:
    text = render(report.as_reviewed, report.grid, "md", report.lang).rstrip("\n")
    lines = [text, "", f"## {_('Reviewers’ decisions')}", ""]
    items = _reviewed_items(report)
    if not items:
        lines.append(_("No finding has been reviewed yet."))
    else:
        heads = (_("Element"), _("Machine"), _("Reviewed"), _("Who"), _("Comment"))
        lines += ["| " + " | ".join(heads) + " |", "|---|---|---|---|---|"]
        for item in items:
            cells = [
                f"{element_title(report.grid, item.element, report.lang)} (`{item.element}`)",
                word(item.machine["status"], report.lang),
                f"**{_status_word(item.status, report.lang)}** ({_decision_word(item)})",
                f"{_reviewer(item)}, {_when(item.latest and item.latest.created_at)}",
                item.latest.comment if item.latest else "",
            ]
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")


# PDF: a print-quality page rendered by WeasyPrint, offline -------------------------------

PRINT_CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @top-left { content: string(document-title); font-size: 8pt; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
@page :first { @top-left { content: none; } @bottom-right { content: none; } }
html { font-family: "Noto Sans", "Noto Sans CJK KR", "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 9.5pt; line-height: 1.45; color: #1b1b1b; }
.cover { break-after: page; padding-top: 45mm; }
.cover .kind { font-size: 14pt; color: #0b5cad; font-weight: bold; letter-spacing: .03em; }
.cover h1 { font-size: 24pt; line-height: 1.2; margin: 4mm 0 10mm;
  string-set: document-title content(); }
.cover dl { display: grid; grid-template-columns: 40mm auto; gap: 2mm 4mm; font-size: 10pt; }
.cover dt { font-weight: bold; } .cover dd { margin: 0; }
.cover .note { margin-top: 20mm; color: #444; font-size: 9pt; }
h2 { font-size: 15pt; border-bottom: 1.5pt solid #1b1b1b; margin-top: 8mm; break-after: avoid; }
h3 { font-size: 12pt; margin-top: 6mm; color: #0b5cad; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 0 0 1.5mm; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm;
  border-bottom: .5pt solid #bbb; }
td.n { text-align: right; }
table.summary { table-layout: fixed; } table.summary th:first-child { width: 40%; }
.bar { display: flex; height: 3mm; width: 100%; border: .5pt solid #555; }
.bar span { display: block; height: 3mm; }
.met { background: #1a7f37; color: #fff; } .partial { background: #9a6700; color: #fff; }
.absent { background: #b42318; color: #fff; }
.not_applicable, .rejected { background: #6e7781; color: #fff; }
.badge { padding: 0 1.5mm; border-radius: 1mm; font-size: 8.5pt; font-weight: bold; }
.finding { border: .5pt solid #bbb; border-radius: 1.5mm; padding: 3mm 4mm; margin: 3mm 0; }
.finding .id { color: #555; font-size: 8pt; font-family: "DejaVu Sans Mono", monospace; }
.answers td { width: 50%; border: .5pt solid #bbb; background: #fafafa; }
.answers th { font-size: 8pt; text-transform: uppercase; color: #444; border: none; }
blockquote { margin: 2mm 0; padding: 1mm 3mm; border-left: 2pt solid #0b5cad; background: #f4f7fb;
  break-inside: avoid; }
blockquote .where { font-weight: bold; } mark { background: #ffe08a; }
.muted { color: #555; font-size: 8.5pt; }
"""


def _badge(status: str, lang: str) -> str:
    return f'<span class="badge {escape(status)}">{escape(_status_word(status, lang))}</span>'


def _quoted(evidence: Evidence) -> str:
    text, out, position = evidence.text, [], 0
    for start, end in sorted(evidence.highlights):
        if start >= position:
            out += [escape(text[position:start]), f"<mark>{escape(text[start:end])}</mark>"]
            position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _evidence_html(evidence: Evidence, lang: str) -> str:
    page = f", {word('page', lang)} {evidence.page}" if evidence.page is not None else ""
    return (
        f'<blockquote><span class="where">{escape(evidence.locator)}</span>{escape(page)}'
        f"<br>{_quoted(evidence)}</blockquote>"
    )


def _machine_cell(finding: Finding, lang: str) -> str:
    strength = f" · {escape(word(finding.strength.value, lang))}" if finding.strength else ""
    return f"{_badge(finding.status.value, lang)}{strength}"


def _review_cell(report: Report, finding: Finding) -> str:
    item = report.review_of(finding.element)
    if item is None or item.latest is None:
        return f'<span class="muted">{escape(_("Not reviewed yet."))}</span>'
    latest = item.latest
    strength = f" · {escape(word(item.strength, report.lang))}" if item.strength else ""
    parts = [
        f"{_badge(item.status, report.lang)}{strength}",
        f'<br><span class="muted">{escape(_decision_word(item))}, {escape(_reviewer(item))}, '
        f"{escape(_when(latest.created_at))}</span>",
    ]
    locators = _corrected_locators(report, item)
    if locators:
        parts.append(f"<br>{escape(_('Evidence:'))} {escape(', '.join(locators))}")
    if latest.comment:
        parts.append(f"<br>“{escape(latest.comment)}”")
    return "".join(parts)


def _finding_html(report: Report, finding: Finding) -> str:
    lang = report.lang
    parts = [
        '<section class="finding">',
        f"<h4>{escape(element_title(report.grid, finding.element, lang))}</h4>",
        f'<div class="id">{escape(finding.element)}</div>',
        '<table class="answers"><tr>'
        f"<th>{escape(_('Machine’s answer'))}</th><th>{escape(_('Reviewer’s decision'))}</th>"
        f"</tr><tr><td>{_machine_cell(finding, lang)}</td>"
        f"<td>{_review_cell(report, finding)}</td></tr></table>",
        f"<p><strong>{escape(word('rationale', lang))}:</strong> {escape(finding.rationale)}</p>",
    ]
    if finding.evidence:
        parts.append(f"<p><strong>{escape(word('evidence', lang))}</strong></p>")
        parts += [_evidence_html(e, lang) for e in finding.evidence]
    if finding.recommendation and finding.status is not Status.MET:
        parts.append(
            f"<p><strong>{escape(word('recommendation', lang))}:</strong> "
            f"{escape(finding.recommendation)}</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _cover_html(report: Report) -> str:
    assessment, core, lang = report.assessment, report.core, report.lang
    document = assessment.document
    pages = f", {document.pages} {word('page', lang)}" if document.pages else ""
    reviewed = len(_reviewed_items(report))
    rows = [
        (word("document", lang), f"{document.filename} ({core.document.format}{pages})"),
        (word("language", lang), core.lang or document.language),
        (word("grid", lang), f"{report.grid.title.get(lang)} {report.grid.version}"),
        (_("Organisation"), assessment.organisation.name),
        (_("Checked on"), _when(assessment.finished_at)),
        (_("Exported on"), _when(timezone.now())),
        (word("analyser", lang), f"{core.analyser} {core.analyser_version}"),
        (_("Reviewed findings"), f"{reviewed} / {len(core.findings)}"),
    ]
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    note = _(
        "Every finding quotes the passages it rests on. Reviewers’ decisions are shown "
        "beside the machine’s answer and never replace it."
    )
    return (
        f'<section class="cover"><div class="kind">{escape(word("title", lang))}</div>'
        f"<h1>{escape(document.title)}</h1><dl>{details}</dl>"
        f'<p class="note">{escape(note)}</p></section>'
    )


def _summary_html(report: Report) -> str:
    lang = report.lang
    keys = ("met", "partial", "absent", "not_applicable")
    head = "".join(f"<th>{escape(word(k, lang))}</th>" for k in keys)
    rows = []
    for s in stage_summaries(report.as_reviewed, report.grid, lang):
        counts = (s.met, s.partial, s.absent, s.not_applicable)
        bar = "".join(
            f'<span class="{k}" style="width:{100 * n / max(s.total, 1):.1f}%"></span>'
            for k, n in zip(keys, counts, strict=True)
        )
        cells = "".join(f'<td class="n">{n}</td>' for n in counts)
        rows.append(
            f'<tr><th>{escape(s.title)}</th>{cells}<td><div class="bar">{bar}</div></td></tr>'
        )
    return (
        f'<h2>{escape(word("summary", lang))}</h2><table class="summary"><thead><tr>'
        f"<th>{escape(word('stage', lang))}</th>{head}<th></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _gaps_html(report: Report) -> str:
    lang = report.lang
    gaps = [f for f in report.as_reviewed.findings if results.is_gap(f.status.value)]
    if not gaps:
        return ""
    items = "".join(
        f"<li><strong>{escape(element_title(report.grid, f.element, lang))}</strong> "
        f"{_badge(f.status.value, lang)}: {escape(f.recommendation or '')}</li>"
        for f in gaps
    )
    return f"<h2>{escape(word('gaps', lang))}</h2><ul>{items}</ul>"


def print_html(report: Report) -> str:
    """The page the PDF is printed from: cover, summary, gaps, findings by stage."""
    body = [_cover_html(report), _summary_html(report), _gaps_html(report)]
    body.append(f"<h2>{escape(word('findings', report.lang))}</h2>")
    for stage_id, findings in findings_by_stage(report.core, report.grid):
        body.append(f"<h3>{escape(report.grid.stage(stage_id).title.get(report.lang))}</h3>")
        body += [_finding_html(report, f) for f in findings]
    if report.core.warnings:
        body.append(f"<h2>{escape(word('warnings', report.lang))}</h2><ul>")
        body += [f"<li>{escape(w)}</li>" for w in report.core.warnings]
        body.append("</ul>")
    title = f"{word('title', report.lang)}: {report.assessment.document.title}"
    return (
        f'<!DOCTYPE html><html lang="{report.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{PRINT_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def offline_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL except inline ``data:`` ones."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), fail_on_errors=False)


def _pdf(report: Report) -> bytes:
    from weasyprint import HTML

    document = HTML(string=print_html(report), url_fetcher=offline_url_fetcher())
    pdf = document.write_pdf()
    assert pdf is not None
    return bytes(pdf)


# DOCX: headings per stage, a table per finding, evidence as quotes -----------------------


def _docx(report: Report) -> bytes:
    from docx import Document as WordDocument

    lang, core = report.lang, report.core
    doc = WordDocument()
    doc.core_properties.title = f"{word('title', lang)}: {report.assessment.document.title}"
    doc.core_properties.language = lang
    doc.core_properties.author = "ungpkit"
    doc.add_heading(report.assessment.document.title, level=0)
    doc.add_paragraph(
        f"{word('title', lang)} · {word('grid', lang)}: {report.grid.title.get(lang)} "
        f"{report.grid.version} · {_when(report.assessment.finished_at)}"
    )
    _docx_summary(doc, report)
    for stage_id, findings in findings_by_stage(core, report.grid):
        doc.add_heading(report.grid.stage(stage_id).title.get(lang), level=1)
        for finding in findings:
            _docx_finding(doc, report, finding)
    gaps = [f for f in report.as_reviewed.findings if results.is_gap(f.status.value)]
    if gaps:
        doc.add_heading(word("gaps", lang), level=1)
        for finding in gaps:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(element_title(report.grid, finding.element, lang)).bold = True
            paragraph.add_run(f" ({word(finding.status.value, lang)}): {finding.recommendation}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_summary(doc: Any, report: Report) -> None:
    lang = report.lang
    doc.add_heading(word("summary", lang), level=1)
    keys = ("met", "partial", "absent", "not_applicable")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, [word("stage", lang)] + [word(k, lang) for k in keys], strict=True
    ):
        cell.text = text
    for s in stage_summaries(report.as_reviewed, report.grid, lang):
        cells = table.add_row().cells
        for cell, value in zip(
            cells, [s.title, s.met, s.partial, s.absent, s.not_applicable], strict=True
        ):
            cell.text = str(value)


def _docx_finding(doc: Any, report: Report, finding: Finding) -> None:
    lang = report.lang
    doc.add_heading(
        f"{element_title(report.grid, finding.element, lang)} ({finding.element})", level=2
    )
    item = report.review_of(finding.element)
    strength = word(finding.strength.value, lang) if finding.strength else "-"
    rows = [
        (word("status", lang), word(finding.status.value, lang)),
        (word("strength", lang), strength),
        (
            _("Reviewer’s decision"),
            _review_summary(report, item) if item else _("Not reviewed yet."),
        ),
        (word("rationale", lang), finding.rationale),
    ]
    if item is not None and item.latest is not None and item.latest.comment:
        rows.append((_("Reviewer’s comment"), item.latest.comment))
    if item is not None and _corrected_locators(report, item):
        rows.append((_("Corrected evidence"), ", ".join(_corrected_locators(report, item))))
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for evidence in finding.evidence:
        page = f", {word('page', lang)} {evidence.page}" if evidence.page is not None else ""
        quote = doc.add_paragraph(style="Quote")
        quote.add_run(f"{evidence.locator}{page}: ").bold = True
        quote.add_run(evidence.text)
    if finding.recommendation and finding.status is not Status.MET:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{word('recommendation', lang)}: ").bold = True
        paragraph.add_run(finding.recommendation)


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "pdf": _pdf,
    "docx": _docx,
    "html": _html,
    "md": _md,
    "json": _json,
    "csv": _csv,
}
