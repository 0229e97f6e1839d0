"""Lines broken by the page or by a fixed width keep their units: the same locators whatever
the format (PDF in one font, text wrapped at 60 columns, unwrapped text)."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from ungpkit.documents import read_bytes, read_text
from ungpkit.documents.numbering import continues_reference

LAW = """\
Article 1
Subject matter

1. Companies shall carry out human rights due diligence as referred to in Article 64. Member States shall ensure that they do.

2. The obligations of paragraph 1 apply without prejudice to the mechanism referred to in Article 63. Nothing here limits them.

3. Where processing is based on point (a) of Article 6(1), the provider shall inform the person concerned.

Article 2
Remedy

1. Any person affected shall have the right to lodge a complaint with the supervisory authority:
(a) directly; or
(b) through a representative.

2. Member States shall lay down rules on penalties.
"""


def _locators(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.locator for p in document.passages]


def _wrapped(width: int) -> str:
    paragraphs = LAW.split("\n\n")
    out = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        out.append("\n".join(textwrap.fill(line, width) for line in lines))
    return "\n\n".join(out)


EXPECTED = [
    "Article 1",
    "Article 1",  # the title
    "Article 1(1)",
    "Article 1(2)",
    "Article 1(3)",
    "Article 2",
    "Article 2",
    "Article 2(1)",
    "Article 2(1)(a)",
    "Article 2(1)(b)",
    "Article 2(2)",
]


def test_unwrapped_text_is_the_reference() -> None:
    assert _locators(read_text(LAW, source="law.txt")) == EXPECTED


def test_text_wrapped_at_a_fixed_width_gives_the_same_units() -> None:
    wrapped = _wrapped(40)
    assert "in\nArticle 64." in wrapped and "point\n(a) of" in wrapped  # the breaks under test
    assert _locators(read_text(wrapped, source="law.txt")) == EXPECTED
    wrapped = _wrapped(41)
    assert "Article\n64." in wrapped  # a number opening a line after "Article"
    assert _locators(read_text(wrapped, source="law.txt")) == EXPECTED
    wrapped = _wrapped(47)
    assert "in\nArticle 63." in wrapped  # a unit keyword opening a line after "in"
    assert _locators(read_text(wrapped, source="law.txt")) == EXPECTED


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=40, max_value=110))
def test_any_wrapping_width_gives_the_same_units(width: int) -> None:
    assert _locators(read_text(_wrapped(width), source="law.txt")) == EXPECTED


def test_a_pdf_in_one_font_finds_its_articles() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in LAW.splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    document = read_bytes(bytes(pdf.output()), filename="law.pdf")
    assert _locators(document) == EXPECTED


def test_continues_reference() -> None:
    assert continues_reference("as referred to in Article", "64. Member States")
    assert continues_reference("based on point", "(a) of Article 6(1)")
    assert continues_reference("the mechanism referred to in", "Article 63.")
    assert not continues_reference("the supervisory authority.", "2. Member States")
    assert not continues_reference("(a) directly; or", "(b) through a representative")
    assert not continues_reference("Subject matter", "1. Companies shall")
    assert not continues_reference("the processing carried out by", "(a) a public authority; or")
    assert not continues_reference("(a) natural persons and", "(b) legal persons.")
    assert not continues_reference("ANNEX", "1. Information to be provided")
