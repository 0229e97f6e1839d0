"""PDF: pages, running headers and page numbers, hyphenation, footnotes, and PDF failures."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from ungpkit.documents import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ReadLimits,
    ScannedDocument,
    TooLarge,
    read_bytes,
)

Check = Callable[[object], None]
Build = Callable[..., bytes]

LONG = (
    "Providers of online platforms shall carry out an assessment of the risks to human rights "
    "stemming from the design, functioning and use of their services, including algorithmic "
    "systems, and shall take reasonable and effective mitigation measures."
)


Line = tuple[str, float, bool]


def english_pages() -> list[list[Line]]:
    page_one: list[Line] = [
        ("DIGITAL RIGHTS ACT", 16, True),
        ("Whereas:", 11, False),
        ("(1) Technology affects the enjoyment of human rights in the Union.", 11, False),
        ("HAVE ADOPTED THIS REGULATION:", 11, False),
        ("CHAPTER I", 12, True),
        ("Article 1", 11, True),
        ("Risk assessment", 11, True),
        (f"1. {LONG}", 11, False),
        (
            "2. Member States shall lay down rules on penalties applicable to infringements:",
            11,
            False,
        ),
        ("(a) fines;", 11, False),
        ("(b) periodic penalty payments.", 11, False),
    ]
    page_two: list[Line] = [
        ("Article 2", 11, True),
        ("Right to lodge a complaint", 11, True),
        (
            "1. Every person shall have the right to lodge a complaint with the compe-\ntent "
            "authority.",
            11,
            False,
        ),
        (f"2. {LONG}", 11, False),
    ]
    page_three: list[Line] = [
        ("Article 3", 11, True),
        ("Entry into force", 11, True),
        (
            "This Regulation shall enter into force on the twentieth day following publication.",
            11,
            False,
        ),
    ]
    return [page_one, page_two, page_three]


def test_english_pdf_structure_pages_and_clean_text(make_pdf: Build, consistent: Check) -> None:
    data = make_pdf(
        english_pages(), title="Digital Rights Act", footnotes=["(1) OJ C 12, 1.1.2024, p. 1."]
    )
    document = read_bytes(data, filename="act.pdf")
    consistent(document)
    assert document.format == "pdf"
    assert document.pages == 3
    assert document.title == "Digital Rights Act"
    assert document.language == "en"
    assert "Official Journal" not in document.text  # running header removed
    assert not any(p.text in ("1", "2", "3") for p in document.passages)  # page numbers removed
    first = document.passage("art-1-1")
    assert first.locator == "Article 1(1)"
    assert first.page == 1
    assert first.heading == "Risk assessment"
    assert first.text == f"1. {LONG}"  # wrapped lines joined with single spaces
    assert document.passage("art-1-2-b").locator == "Article 1(2)(b)"
    complaint = document.passage("art-2-1")
    assert complaint.page == 2
    assert "competent authority" in complaint.text  # hyphenated line break re-joined
    assert document.passage("art-3").page == 3
    assert document.passage("art-3").kind == "article"
    assert document.passage("rct-1").kind == "recital"
    note = next(p for p in document.passages if p.kind == "footnote")
    assert note.text.startswith("(1) OJ C 12") and note.page == 1
    article = next(u for u in document.all_units() if u.locator == "Article 2")
    assert article.title == "Right to lodge a complaint"


def test_pdf_reads_are_deterministic(make_pdf: Build) -> None:
    data = make_pdf(english_pages())
    first = read_bytes(data, filename="a.pdf")
    second = read_bytes(data, filename="a.pdf")
    assert [(p.id, p.start, p.end, p.page) for p in first.passages] == [
        (p.id, p.start, p.end, p.page) for p in second.passages
    ]


def test_french_and_spanish_pdf(make_pdf: Build, consistent: Check) -> None:
    french = make_pdf(
        [
            [
                ("Article 1er", 11, True),
                ("Objet", 11, True),
                ("I. – Toute société établit un plan de vigilance raisonnable.", 11, False),
                ("II. – Le plan comporte une cartographie des risques.", 11, False),
            ]
        ],
        header=None,
    )
    document = read_bytes(french, filename="loi.pdf")
    consistent(document)
    assert document.language == "fr"
    assert document.passage("art-1-ii").locator == "Article 1er, II"
    spanish = make_pdf(
        [
            [
                ("Artículo 5. Evaluación de impacto.", 11, True),
                (
                    "1. Los proveedores realizarán una evaluación de impacto sobre los derechos.",
                    11,
                    False,
                ),
                ("2. La evaluación incluirá:", 11, False),
                ("a) una descripción de los procesos;", 11, False),
                ("b) las categorías de personas afectadas.", 11, False),
            ]
        ],
        header=None,
    )
    document = read_bytes(spanish, filename="ley.pdf")
    consistent(document)
    assert document.language == "es"
    assert document.passage("art-5-2-b").locator == "Artículo 5.2.b)"
    assert document.passage("art-5-2-b").page == 1


def test_korean_pdf_when_a_font_exists(make_pdf: Build, consistent: Check) -> None:
    data = make_pdf(
        [
            [
                ("제43조(손해배상)", 11, True),
                ("① 사업자는 손해를 배상하여야 한다.", 11, False),
                ("② 배상의 범위는 대통령령으로 정한다.", 11, False),
            ]
        ],
        header=None,
    )  # skips when no Hangul font is installed
    document = read_bytes(data, filename="law.pdf")
    consistent(document)
    assert document.language == "ko"
    assert document.passage("art-43-2").locator == "제43조 제2항"


def test_encrypted_pdf() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Article 1 secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    with pytest.raises(EncryptedDocument) as caught:
        read_bytes(bytes(pdf.output()), filename="secret.pdf")
    assert "password" in caught.value.message
    assert "without protection" in caught.value.message


def test_scanned_pdf_asks_for_ocr() -> None:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (200, 100), "white"), x=10, y=10, w=100)
    with pytest.raises(ScannedDocument) as caught:
        read_bytes(bytes(pdf.output()), filename="scan.pdf")
    message = caught.value.message
    assert "OCR" in message and "ocrmypdf" in message and "try again" in message


def test_partly_scanned_pdf_warns(make_pdf: Build) -> None:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Article 1\nThis Act applies to all providers of online services.")
    pdf.add_page()
    pdf.image(Image.new("RGB", (200, 100), "white"), x=10, y=10, w=100)
    document = read_bytes(bytes(pdf.output()), filename="partly.pdf")
    assert any("no text layer" in w and "ocrmypdf" in w for w in document.warnings)


def test_truncated_pdf_is_corrupt(make_pdf: Build) -> None:
    data = make_pdf(english_pages())
    with pytest.raises(CorruptDocument) as caught:
        read_bytes(data[: len(data) // 2], filename="cut.pdf")
    assert "truncated" in caught.value.message and "again" in caught.value.message


def test_blank_pdf_is_empty() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    with pytest.raises(EmptyDocument):
        read_bytes(bytes(pdf.output()), filename="blank.pdf")


def test_pdf_page_limit(make_pdf: Build) -> None:
    data = make_pdf(english_pages())
    with pytest.raises(TooLarge) as caught:
        read_bytes(data, filename="act.pdf", limits=ReadLimits(max_pages=2))
    assert "3 pages" in caught.value.message and "max_pages" in caught.value.message


def test_pdf_metadata_title_falls_back_to_first_heading(make_pdf: Build) -> None:
    document = read_bytes(make_pdf(english_pages()), filename="act.pdf")
    assert document.title == "DIGITAL RIGHTS ACT"
    buffer = io.BytesIO(make_pdf(english_pages()))
    assert read_bytes(buffer.getvalue(), filename="x.pdf").title == "DIGITAL RIGHTS ACT"


def test_a_word_hyphenated_across_lines_keeps_the_paragraph_whole(consistent: Check) -> None:
    from fpdf import FPDF

    lines = [
        ("Article 1", True),
        ("Responsibilities", True),
        ("1. Member States shall ensure", False),
        ("that undertakings establish and", False),
        ("implement comprehensive accoun-", False),  # pdfium joins this line with the next
        ("tability frameworks addressing", False),
        ("environmental and human rights.", False),
        ("2. Undertakings shall communic-", False),
        ("ate publicly about their", False),
        ("responsibilities.", False),
    ]
    pdf = FPDF(format="A4")
    pdf.add_page()
    y = 30.0
    for text, bold in lines:
        if text.startswith("2."):
            y += 6  # the space between paragraphs
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.text(20, y, text)
        y += 4.2
    document = read_bytes(bytes(pdf.output()), filename="hyphen.pdf")
    consistent(document)
    body = [p for p in document.passages if p.kind != "heading"]
    assert [p.locator for p in body] == ["Article 1(1)", "Article 1(2)"]
    assert "comprehensive accountability frameworks addressing environmental" in body[0].text
    assert (
        body[1].text == "2. Undertakings shall communicate publicly about their responsibilities."
    )
