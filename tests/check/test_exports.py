"""Exports of a finished assessment: each format's content, the reviews beside the machine's
answer, an offline PDF with Korean text, and refusal for other organisations."""

from __future__ import annotations

import csv
import ctypes
import io
import json
import shutil
import subprocess
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.core.exceptions import ValidationError

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.check import actions, exports
from ungpkit.apps.check.models import Assessment
from ungpkit.demo.dataset import REVIEWS

CORRECTED, ACCEPTED = REVIEWS[0][1], REVIEWS[1][1]


def _has_korean_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    fonts = subprocess.run([fc_list, ":lang=ko"], capture_output=True, text=True).stdout
    return bool(fonts.strip())


needs_korean_font = pytest.mark.skipif(
    not _has_korean_font(), reason="no Korean font installed (run `make browser`)"
)


def _pdf_pages(content: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(content)
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    return [" ".join(page.split()) for page in pages]  # lines wrap wherever the layout says


def _font_of(content: bytes, needle: str) -> str:
    """The name of the font the first character of ``needle`` is drawn with."""
    pdf = pdfium.PdfDocument(content)
    try:
        for i in range(len(pdf)):
            textpage = pdf[i].get_textpage()
            index = textpage.get_text_range().find(needle)
            if index < 0:
                continue
            buffer = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, flags)
            return buffer.raw[: max(size - 1, 0)].decode("utf-8", "replace")
    finally:
        pdf.close()
    raise AssertionError(f"{needle!r} is not in the PDF")


def test_pdf_has_cover_findings_evidence_reviews_and_page_numbers(
    finished_assessment: Assessment, drafter: Any
) -> None:
    export = exports.export_assessment(drafter, finished_assessment.pk, "pdf", lang="en")

    assert export.content.startswith(b"%PDF-")
    assert export.content_type == "application/pdf"
    assert export.filename.endswith(".pdf")
    pages = _pdf_pages(export.content)
    text = "\n".join(pages)
    assert "Veridia Platform and AI Accountability Act (Draft 1)" in pages[0]
    assert "Veridia Ministry of Digital Affairs" in pages[0]
    assert "UNGP check for technology regulation" in pages[0]
    assert "Summary by stage" in text
    assert "Gaps and recommendations" in text
    locators = {
        e["locator"] for f in finished_assessment.findings for e in f["evidence"] if e["locator"]
    }
    assert locators and all(locator in text for locator in locators)
    assert "Reviewer" in text and "Esi Mensah" in text
    assert "it is not a duty" in text  # the reviewer's comment, beside the machine's answer
    assert f"2 / {len(pages)}" in pages[1]  # page numbers from the second page on


@needs_korean_font
def test_pdf_renders_a_korean_title_with_a_korean_font(
    korean_assessment: Assessment, drafter: Any
) -> None:
    export = exports.export_assessment(drafter, korean_assessment.pk, "pdf", lang="ko")

    pages = _pdf_pages(export.content)
    assert "인공지능 기본법" in pages[0]
    assert "UNGP 점검" in pages[0]
    assert "CJK" in _font_of(export.content, "인공지능")
    assert any(f["evidence"] for f in korean_assessment.findings)
    assert "제31조" in "\n".join(pages)


def test_pdf_never_fetches_remote_resources() -> None:
    fetcher = exports.offline_url_fetcher()

    for url in ("https://example.org/font.woff", "http://169.254.169.254/", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher(url)
    assert fetcher("data:text/plain,ok").read() == b"ok"


def test_docx_has_a_heading_per_stage_and_each_finding_with_quotes(
    finished_assessment: Assessment, drafter: Any
) -> None:
    from docx import Document

    export = exports.export_assessment(drafter, finished_assessment.pk, "docx", lang="en")

    assert export.content_type.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(export.content))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Scope the problem and objective" in headings
    for finding in finished_assessment.findings:
        assert any(h.endswith(f"({finding['element']})") for h in headings)
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    first_evidence = next(f["evidence"][0] for f in finished_assessment.findings if f["evidence"])
    assert any(q.startswith(first_evidence["locator"]) for q in quotes)
    assert any(p.startswith("Recommendation: ") for p in paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("Esi Mensah" in c for c in cells)
    assert "Article 9 only encourages companies to consult; it is not a duty." in cells


def test_csv_has_one_row_per_finding_with_the_reviewed_status(
    finished_assessment: Assessment, drafter: Any
) -> None:
    export = exports.export_assessment(drafter, finished_assessment.pk, "csv")

    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8"))))
    assert [r["element"] for r in rows] == [f["element"] for f in finished_assessment.findings]
    by_element = {r["element"]: r for r in rows}
    corrected = by_element[CORRECTED]
    assert corrected["reviewed_status"] == "partial"
    assert corrected["review_decision"] == "correct"
    assert corrected["reviewer"] == "Esi Mensah"
    accepted = by_element[ACCEPTED]
    assert accepted["reviewed_status"] == accepted["status"]
    unreviewed = next(r for r in rows if r["element"] not in (CORRECTED, ACCEPTED))
    assert unreviewed["reviewed_status"] == ""


def test_json_keeps_the_engine_schema_and_adds_the_review_beside_each_finding(
    finished_assessment: Assessment, drafter: Any
) -> None:
    export = exports.export_assessment(drafter, finished_assessment.pk, "json")

    data = json.loads(export.content)
    assert data["schema"] == "ungpkit.assessment/1"
    assert data["summary"] == finished_assessment.result["summary"]
    findings = {f["element"]: f for f in data["findings"]}
    machine = {f["element"]: f for f in finished_assessment.findings}
    assert findings[CORRECTED]["status"] == machine[CORRECTED]["status"]  # never overwritten
    assert findings[CORRECTED]["review"]["status"] == "partial"
    assert findings[CORRECTED]["review"]["locators"]
    assert findings[ACCEPTED]["review"]["decision"] == "accept"
    assert sum(1 for f in data["findings"] if f["review"] is None) == len(findings) - 2


def test_html_and_markdown_add_the_reviewers_decisions(
    finished_assessment: Assessment, drafter: Any
) -> None:
    html = exports.export_assessment(drafter, finished_assessment.pk, "html", lang="en")
    markdown = exports.export_assessment(drafter, finished_assessment.pk, "md", lang="en")

    page = html.content.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Reviewers’ decisions" in page
    assert page.index("Reviewers’ decisions") < page.index("</main>")
    assert "Esi Mensah" in page
    text = markdown.content.decode("utf-8")
    assert "## Reviewers’ decisions" in text
    assert f"(`{CORRECTED}`)" in text and "**partial** (Correct)" in text
    assert markdown.content_type.startswith("text/markdown")


def test_the_report_language_follows_the_request(
    finished_assessment: Assessment, drafter: Any
) -> None:
    export = exports.export_assessment(drafter, finished_assessment.pk, "md", lang="fr")

    assert "Synthèse par étape" in export.content.decode("utf-8")


def test_checklist_is_yaml_labels_from_the_reviews(
    finished_assessment: Assessment, reviewer: Any
) -> None:
    import yaml

    export = exports.export_checklist(reviewer, finished_assessment.pk)

    data = yaml.safe_load(export.content)
    assert export.filename.endswith(".yaml")
    assert data["elements"][CORRECTED]["status"] == "partial"
    assert set(data["elements"]) == {CORRECTED, ACCEPTED}


def test_another_organisation_gets_not_found(
    finished_assessment: Assessment, outsider: Any
) -> None:
    for fmt in ("pdf", "json"):
        with pytest.raises(NotFound):
            exports.export_assessment(outsider, finished_assessment.pk, fmt)
    with pytest.raises(NotFound):
        exports.export_checklist(outsider, finished_assessment.pk)
    with pytest.raises(NotFound):
        exports.export_assessment(outsider, 10**9, "pdf")


def test_a_public_assessment_can_be_exported_by_anyone_signed_in(
    finished_assessment: Assessment, drafter: Any, outsider: Any
) -> None:
    actions.set_public(drafter, finished_assessment.pk, True)

    export = exports.export_assessment(outsider, finished_assessment.pk, "csv")

    assert export.content.startswith(b"element,")


def test_unknown_format_and_unfinished_check_are_refused(
    finished_assessment: Assessment, drafter: Any
) -> None:
    with pytest.raises(ValidationError):
        exports.export_assessment(drafter, finished_assessment.pk, "xlsx")
    Assessment.objects.filter(pk=finished_assessment.pk).update(state="running", result=None)
    with pytest.raises(ValidationError):
        exports.export_assessment(drafter, finished_assessment.pk, "pdf")


def test_the_gaps_follow_the_reviewers_corrections(
    finished_assessment: Assessment, drafter: Any, reviewer: Any, client: Any
) -> None:
    machine = {f["element"]: f["status"] for f in finished_assessment.findings}
    absent = next(e for e, s in machine.items() if s == "absent")
    actions.review_finding(
        reviewer,
        finished_assessment.pk,
        absent,
        decision="correct",
        status="met",
        passage_ids=[finished_assessment.document.passages[3]["id"]],
        comment="Article 3 does require it.",
    )
    assert machine[CORRECTED] == "met"  # the fixture corrected it to partial

    client.force_login(drafter)
    page = client.get(f"/en/check/assessments/{finished_assessment.pk}/").content.decode()
    gaps = page[page.index('id="gaps-heading"') :]
    gaps = gaps[: gaps.index("</section>")]
    markdown = exports.export_assessment(drafter, finished_assessment.pk, "md", lang="en")
    text = markdown.content.decode("utf-8")
    gaps_md = text[text.index("## Gaps") : text.index("## Reviewers’ decisions")]
    printed = exports.print_html(exports._report(finished_assessment, "en"))
    gaps_pdf = printed[printed.index("<h2>Gaps") :]
    gaps_pdf = gaps_pdf[: gaps_pdf.index("</ul>")]
    report = exports._report(finished_assessment, "en")
    reviewed = {f.element: f for f in report.as_reviewed.findings}
    assert reviewed[absent].status.value == "met" and reviewed[absent].recommendation is None
    assert reviewed[CORRECTED].status.value == "partial" and reviewed[CORRECTED].recommendation
    assert {f.element: f.status.value for f in report.core.findings} == machine  # kept
    title_absent = report.grid.element(absent).title.get("en")
    title_corrected = report.grid.element(CORRECTED).title.get("en")
    for shown in (gaps, gaps_md, gaps_pdf):
        assert title_absent not in shown
        assert title_corrected in shown


def test_a_failed_check_says_it_failed_not_that_it_is_unfinished() -> None:
    from ungpkit.apps.check import results

    failed = Assessment(state="failed", result=None)
    with pytest.raises(ValidationError, match="This check failed"):
        results.core_assessment(failed)
    running = Assessment(state="running", result=None)
    with pytest.raises(ValidationError, match="has not finished yet"):
        results.core_assessment(running)
