"""The shared numbering parser: markers, inline points, and property tests on arbitrary text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ungpkit.documents import EmptyDocument, read_text
from ungpkit.documents.numbering import (
    inline_splits,
    match_heading,
    match_item,
    roman_to_int,
)


@pytest.mark.parametrize(
    ("text", "kind", "label", "number", "title"),
    [
        ("Article 77", "article", "Article 77", "77", None),
        ("ARTICLE 5 — Scope", "article", "Article 5", "5", "Scope"),
        ("Article 1er : Objet", "article", "Article 1er", "1", "Objet"),
        ("Article premier", "article", "Article premier", "1", None),
        ("Article 5 bis", "article", "Article 5 bis", "5 bis", None),
        ("Art. L. 225-102-4", "article", "Art. L. 225-102-4", "L. 225-102-4", None),
        (
            "Artículo 5. Evaluación de impacto.",
            "article",
            "Artículo 5",
            "5",
            "Evaluación de impacto",
        ),
        ("Artículo único", "article", "Artículo único", "único", None),
        ("제43조(손해배상)", "article", "제43조", "43", "손해배상"),
        ("제10조의2(적용 범위)", "article", "제10조의2", "10의2", "적용 범위"),
        ("CHAPTER VIII", "chapter", "Chapter VIII", "VIII", None),
        ("Chapitre Ier", "chapter", "Chapitre Ier", "I", None),
        ("CAPÍTULO II", "chapter", "Capítulo II", "II", None),
        ("TITLE III — Final provisions", "title", "Title III", "III", "Final provisions"),
        ("Section 2", "section", "Section 2", "2", None),
        ("Sección 1.ª", "section", "Sección 1.ª", "1", None),
        ("PART A", "part", "Part A", "A", None),
        ("ANNEX III", "annex", "Annex III", "III", None),
        ("ANNEXE I — Liste", "annex", "Annexe I", "I", "Liste"),
        ("Anexo", "annex", "Anexo", None, None),
        ("제1장 총칙", "chapter", "제1장", "1", "총칙"),
        (
            "부칙 <제20676호, 2025. 1. 21.>",
            "supplementary",
            "부칙 <제20676호, 2025. 1. 21.>",
            None,
            None,
        ),
    ],
)
def test_headings(text: str, kind: str, label: str, number: str | None, title: str | None) -> None:
    marker = match_heading(text)
    assert marker is not None
    assert (marker.kind, marker.label, marker.number, marker.title) == (kind, label, number, title)


@pytest.mark.parametrize(
    "text",
    [
        "Article 5 of Regulation (EU) 2016/679 applies.",
        "article 5",
        "Chapter II applies to providers.",
        "Annex I lists the areas.",
        "Part of the data is public.",
        "Section 3 of the Act is repealed.",
        "제3조에 따른 신고를 하여야 한다.",
        "별표 1에 따른 기준",
    ],
)
def test_sentences_are_not_headings(text: str) -> None:
    assert match_heading(text) is None


@pytest.mark.parametrize(
    ("text", "style", "value"),
    [
        ("1. text", "dot-num", 1),
        ("(a) text", "paren-alpha", 1),
        ("(iii) text", "paren-roman", 3),
        ("a) texto", "alpha-paren", 1),
        ("1° texte", "degree", 1),
        ("1.º texto", "degree", 1),
        ("I. – texte", "roman-dot", 1),
        ("② 내용", "circled", 2),
        ("나. 내용", "hangul-dot", 2),
        ("(12) Whereas", "paren-num", 12),
        ("- item", "bullet", 0),
    ],
)
def test_item_markers(text: str, style: str, value: int) -> None:
    marker = match_item(text)
    assert marker is not None
    assert (marker.style, marker.value) == (style, value)


@pytest.mark.parametrize("text", ["2020. 1. 21. 공포", "1.5 million", "e.g. this", "Text"])
def test_not_item_markers(text: str) -> None:
    assert match_item(text) is None


def test_inline_points_after_colon_only() -> None:
    text = (
        "2. It does not apply: (a) to courts; (b) to Member States when acting under points "
        "(a) and (b) of Article 2; or (c) to persons: (i) at home; (ii) abroad."
    )
    splits = inline_splits(text, match_item(text))
    assert [text[s : s + 4] for s in splits] == ["(a) ", "(b) ", "(c) ", "(i) ", "(ii)"]


def test_inline_points_spanish_and_korean() -> None:
    spanish = "1. Tendrán derecho a: a) ser informadas; b) reclamar; y c) obtener reparación."
    assert [spanish[s : s + 2] for s in inline_splits(spanish, match_item(spanish))] == [
        "a)",
        "b)",
        "c)",
    ]
    korean = "① 사업자는 배상하여야 한다. ② 범위는 대통령령으로 정한다."
    assert [korean[s] for s in inline_splits(korean, match_item(korean))] == ["②"]


def test_roman_numerals() -> None:
    assert roman_to_int("xiv") == 14
    assert roman_to_int("IIII") is None
    assert roman_to_int("") is None


# -- properties ----------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Article 1",
        "Article 2",
        "ARTICLE 3 — Scope",
        "CHAPTER I",
        "Chapter II",
        "Section 1",
        "ANNEX I",
        "Annexe II",
        "1.",
        "2.",
        "(a)",
        "(b)",
        "(i)",
        "(ii)",
        "a)",
        "1°",
        "①",
        "②",
        "제1조(목적)",
        "제2장 총칙",
        "가.",
        "부칙",
        "Whereas:",
        "(1)",
        "(2)",
        "Recital",
        "shall",
        "the",
        "providers",
        "rights",
        "remedy",
        ":",
        ";",
        ".",
        "—",
        "\u00ad",
        "\x02",
        "\t",
        " ",
        "Art. L. 225-1",
        "Artículo 5.",
        "y",
        "or",
        "«",
        "données",
        "인공지능",
        "\u00a0",
    ]
)


@st.composite
def law_like_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.lists(_WORDS, min_size=0, max_size=8), min_size=0, max_size=25))
    separators = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "\r\n", " "]), min_size=len(lines), max_size=len(lines)
        )
    )
    return "".join(" ".join(words) + sep for words, sep in zip(lines, separators, strict=True))


_FIXTURE_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=120, deadline=None, suppress_health_check=_FIXTURE_OK)
@given(text=law_like_text(), fmt=st.sampled_from(["text", "markdown", "html"]))
def test_structured_text_always_yields_consistent_passages(
    text: str, fmt: str, consistent: Callable[[object], None]
) -> None:
    try:
        first = read_text(text, format=fmt)
    except EmptyDocument:
        return
    consistent(first)
    again = read_text(text, format=fmt)
    assert [(p.id, p.locator, p.start, p.end) for p in first.passages] == [
        (p.id, p.locator, p.start, p.end) for p in again.passages
    ]


@settings(max_examples=120, deadline=None, suppress_health_check=_FIXTURE_OK)
@given(text=st.text(max_size=400), fmt=st.sampled_from(["text", "markdown", "html"]))
def test_arbitrary_text_never_crashes(
    text: str, fmt: str, consistent: Callable[[object], None]
) -> None:
    try:
        document = read_text(text, format=fmt)
    except EmptyDocument:
        return
    consistent(document)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("(abi)12①②;:, .yor")), max_size=80))
def test_inline_splits_are_ordered_marker_positions(text: str) -> None:
    splits = inline_splits(text, match_item(text))
    assert splits == sorted(set(splits))
    for position in splits:
        assert 0 < position < len(text)
        assert text[position] in "(abi12①②"
