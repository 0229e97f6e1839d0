"""Fixtures for ungpkit.documents: paths to small fixture files and builders for PDF and DOCX."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
LAWS = Path("/work/shared/corpus/laws")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# One PDF line: (text, size, bold); text "" means a blank gap.
PdfLine = tuple[str, float, bool]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Folder of the small text, HTML and Markdown fixtures."""
    return FIXTURES


@pytest.fixture(scope="session")
def laws_dir() -> Path:
    """The shared corpus of real laws (skips the test when it is absent)."""
    if not LAWS.is_dir():
        pytest.skip(f"{LAWS} is not available on this machine")
    return LAWS


def _font_for(text: str) -> Path | None:
    """A TrueType font able to show ``text`` (None: the core Helvetica font will do)."""
    if all(ord(c) < 256 for c in text):
        return None
    if any("\uac00" <= c <= "\ud7a3" for c in text):
        for pattern in ("*CJK*", "*Nanum*", "*Noto*KR*", "*Unifont*", "*Baekmuk*"):
            # Regular faces first: a bold body font makes every line look like a heading.
            found = sorted(
                Path("/usr/share/fonts").rglob(pattern),
                key=lambda p: ("Regular" not in p.name, p.name),
            )
            if found:
                return found[0]
        pytest.skip("no font with Hangul under /usr/share/fonts to build a Korean PDF")
    if DEJAVU.exists():
        return DEJAVU
    pytest.skip("no Unicode TrueType font to build this PDF")
    return None


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    """Build a PDF with fpdf2: pages of (text, size, bold) lines, running header and footer."""

    def build(
        pages: Sequence[Sequence[PdfLine]],
        *,
        title: str | None = None,
        header: str | None = "Official Journal of the Union L 1/1",
        page_numbers: bool = True,
        footnotes: Sequence[str] = (),
    ) -> bytes:
        from fpdf import FPDF

        every = " ".join(text for page in pages for text, _, _ in page) + " ".join(footnotes)
        font_path = _font_for(every + (header or ""))

        class Pdf(FPDF):
            def header(self) -> None:
                if header:
                    self.set_font(family, "", 8)
                    self.cell(0, 5, header, align="R", new_x="LMARGIN", new_y="NEXT")
                    self.ln(6)

            def footer(self) -> None:
                if page_numbers:
                    self.set_y(-12)
                    self.set_font(family, "", 8)
                    self.cell(0, 5, str(self.page_no()), align="C")

        pdf = Pdf()
        family = "Helvetica"
        if font_path is not None:
            pdf.add_font("Body", "", str(font_path))
            bold = DEJAVU_BOLD if font_path == DEJAVU and DEJAVU_BOLD.exists() else font_path
            pdf.add_font("Body", "B", str(bold))
            family = "Body"
        if title:
            pdf.set_title(title)
        pdf.set_auto_page_break(False)
        for index, page in enumerate(pages):
            pdf.add_page()
            for text, size, is_bold in page:
                if not text:
                    pdf.ln(4)
                    continue
                pdf.set_font(family, "B" if is_bold else "", size)
                pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            if index == 0 and footnotes:
                pdf.set_y(-40)
                for note in footnotes:
                    pdf.set_font(family, "", 7)
                    pdf.multi_cell(0, 3.5, note, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    return build


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    """Build a DOCX with python-docx from (style, text) paragraphs; style "table" adds a row."""

    def build(
        paragraphs: Sequence[tuple[str, str | Sequence[str]]], *, title: str | None = None
    ) -> bytes:
        import docx

        document = docx.Document()
        if title:
            document.core_properties.title = title
        for style, content in paragraphs:
            if style == "table":
                cells = list(content)
                table = document.add_table(rows=1, cols=len(cells))
                for cell, text in zip(table.rows[0].cells, cells, strict=True):
                    cell.text = text
            elif style.startswith("Heading"):
                document.add_heading(str(content), int(style.split()[-1]))
            elif style == "body":
                document.add_paragraph(str(content))
            else:
                document.add_paragraph(str(content), style=style)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return build


def assert_consistent(document: object) -> None:
    """Invariants every Document must satisfy: exact offsets, unique ids, valid unit links."""
    from ungpkit.documents import Document

    assert isinstance(document, Document)
    ids = [p.id for p in document.passages]
    assert len(ids) == len(set(ids)), "passage ids must be unique"
    previous_end = 0
    for passage in document.passages:
        assert document.text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip() and passage.text
        assert "\n" not in passage.text
        assert "\u00ad" not in passage.text and "\x02" not in passage.text
        assert passage.start >= previous_end or passage.kind == "footnote"
        previous_end = passage.end
        assert document.passage(passage.id) is passage
    known = set(ids)
    for unit in document.all_units():
        assert set(unit.passage_ids) <= known


@pytest.fixture
def consistent() -> Callable[[object], None]:
    """The invariant check as a fixture."""
    return assert_consistent
