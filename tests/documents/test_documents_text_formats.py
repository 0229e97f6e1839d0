"""Plain text, Markdown and HTML (generic and EUR-Lex) in English, French, Spanish and Korean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ungpkit.documents import Document, read_document, read_text

Check = Callable[[object], None]


def by_locator(document: Document) -> dict[str, str]:
    """Locator -> kind for the non-heading passages."""
    return {p.locator: p.kind for p in document.passages if p.kind != "heading"}


def test_korean_text_law(fixtures_dir: Path, consistent: Check) -> None:
    document = read_document(fixtures_dir / "ko_law.txt")
    consistent(document)
    assert document.language == "ko"
    assert document.format == "text"
    assert document.title == "인공지능 기본법"
    assert document.pages is None
    kinds = by_locator(document)
    assert kinds["제1조"] == "article"
    assert kinds["제2조 제3호"] == "point"
    assert kinds["제2조 제3호 가목"] == "point"
    assert kinds["제31조 제2항"] == "paragraph"
    assert kinds["제43조 제2항 제1호"] == "point"
    paragraph = document.passage("art-43-1")
    assert paragraph.locator == "제43조 제1항"
    assert paragraph.text.startswith("① 인공지능사업자가")
    assert paragraph.heading == "손해배상"
    assert paragraph.unit_path == ("제2장", "제43조")
    # ② written on the same line as ① is its own passage.
    assert document.passage("art-43-2").text.startswith("② 제1항에 따른")
    # 부칙 is annex-like and its articles restart.
    supplementary = document.passage("sp-art-1")
    assert supplementary.kind == "annex"
    assert supplementary.locator == "부칙 제1조"
    assert supplementary.operative
    annex_units = [u for u in document.units if u.kind == "annex"]
    assert annex_units and annex_units[0].locator.startswith("부칙")
    articles = [u for u in document.all_units() if u.kind == "article"]
    assert [u.number for u in articles] == ["1", "2", "31", "43", "1"]
    assert articles[3].title == "손해배상"


def test_french_markdown_law(fixtures_dir: Path, consistent: Check) -> None:
    document = read_document(fixtures_dir / "fr_loi.md")
    consistent(document)
    assert document.language == "fr"
    assert document.format == "markdown"
    assert document.title.startswith("Proposition de loi relative au devoir de vigilance")
    recital = document.passage("rct-2")
    assert (recital.locator, recital.kind, recital.operative) == ("Considérant 2", "recital", False)
    assert document.passage("art-1").locator == "Article 1er"
    assert document.passage("art-1-1").locator == "Article 1er, 1°"
    assert document.passage("art-2-2-b").locator == "Article 2, paragraphe 2, point b)"
    assert document.passage("art-2-2-b").text.startswith("b) des procédures")
    assert document.passage("art-2-2-s2").locator == "Article 2, paragraphe 2, alinéa 2"
    code_article = document.passage("art-l-225-102-4-ii")
    assert code_article.locator == "Art. L. 225-102-4, II"
    assert code_article.unit_path == ("Chapitre II", "Art. L. 225-102-4")
    assert document.passage("art-3-s2").locator == "Article 3, alinéa 2"
    annex = document.passage("anx-i-2")
    assert (annex.locator, annex.kind) == ("Annexe I, point 2", "annex")
    assert annex.heading == "Liste des secteurs à risque"
    chapter = next(u for u in document.units if u.kind == "chapter")
    assert (chapter.locator, chapter.number, chapter.title) == (
        "Chapitre Ier",
        "I",
        "Dispositions générales",
    )


def test_spanish_html_law(fixtures_dir: Path, consistent: Check) -> None:
    document = read_document(fixtures_dir / "es_ley.html")
    consistent(document)
    assert document.language == "es"
    assert document.format == "html"
    assert "inteligencia artificial" in document.title
    assert "No debe aparecer" not in document.text  # <script>
    assert "Inicio" not in document.text  # <nav>
    assert "Boletín" not in document.text  # site <footer>
    point = document.passage("art-5-2-b")
    assert (point.locator, point.kind) == ("Artículo 5.2.b)", "point")
    assert point.unit_path == ("Título I", "Capítulo I", "Artículo 5", "Artículo 5.2")
    assert point.heading == "Evaluación de impacto"
    assert document.passage("art-5-3").locator == "Artículo 5.3"
    assert document.passage("art-1").locator == "Artículo 1"
    assert document.passage("art-6-s2").locator == "Artículo 6, párrafo 2"
    assert document.passage("pre-2").kind == "preamble"
    disposition = document.passage("disp-adicional-primera")
    assert disposition.locator == "Disposición adicional primera"
    assert disposition.unit_path == ()


def test_eurlex_official_journal_layout(fixtures_dir: Path, consistent: Check) -> None:
    document = read_document(fixtures_dir / "eurlex_oj.html")
    consistent(document)
    assert document.title.startswith("REGULATION (EU) 2016/679")
    assert "Official Journal of the European Union" not in document.text  # running header
    recital = document.passage("rct-1")
    assert recital.locator == "Recital 1"
    assert recital.text.startswith("(1) The protection of natural persons")
    complaint = document.passage("art-77-1")
    assert complaint.locator == "Article 77(1)"
    assert complaint.kind == "paragraph"
    assert complaint.unit_path == ("Chapter VIII", "Article 77")
    assert complaint.heading == "Right to lodge a complaint with a supervisory authority"
    assert document.passage("art-2-2-b-ii").locator == "Article 2(2)(b)(ii)"
    assert document.passage("art-2-2-b-ii").text == "(ii) with friends."
    annex_point = document.passage("anx-i-2-a")
    assert (annex_point.locator, annex_point.kind) == ("Annex I, point 2(a)", "annex")
    assert document.passage("anx-i-1").text.startswith("1. Biometrics")
    note = document.passage("fn-1")
    assert (note.kind, note.locator, note.operative) == ("footnote", "Footnote 1", False)
    assert "OJ C 229" in note.text
    final = [p for p in document.passages if p.text.startswith("Done at Brussels")]
    assert final and final[0].kind == "closing" and not final[0].operative  # obliges nobody
    chapter = next(u for u in document.units if u.locator == "Chapter VIII")
    article = chapter.children[0]
    assert (article.kind, article.number, article.title) == (
        "article",
        "77",
        "Right to lodge a complaint with a supervisory authority",
    )
    assert [c.locator for c in article.children] == ["Article 77(1)", "Article 77(2)"]


def test_eurlex_old_layout(fixtures_dir: Path, consistent: Check) -> None:
    document = read_document(fixtures_dir / "eurlex_old.html")
    consistent(document)
    assert document.title.startswith("DIRECTIVE 2000/31/EC")
    assert "17.7.2000" not in document.text
    assert document.passage("rct-2").kind == "recital"
    assert document.passage("art-1-2-b").locator == "Article 1(2)(b)"
    assert document.passage("art-1-t").text == "Objective and scope"
    assert document.passage("art-2-a").locator == "Article 2(a)"
    assert document.passage("art-2-s2").text == "Member States shall ensure compliance."
    assert document.passage("fn-1").kind == "footnote"


def test_eurlex_consolidated_layout(fixtures_dir: Path, consistent: Check) -> None:
    document = read_document(fixtures_dir / "eurlex_consolidated.html")
    consistent(document)
    assert "documentation tool" not in document.text  # disclaimer
    assert "▼" not in document.text  # amendment markers
    assert document.passage("art-1-2").text.startswith("2. This Regulation does not apply")
    assert document.passage("art-1-2-a").text.startswith("(a) in the course of an activity")
    annex = [p for p in document.passages if p.kind == "annex"]
    # Correlation tables cite articles but do not open new ones.
    assert [p.text for p in annex][1] == "Article 1(1) | Article 1(2)"
    assert sum(1 for u in document.all_units() if u.kind == "article") == 1


def test_generic_html_degrades_gracefully(consistent: Check) -> None:
    html = """<html><head><title>Consultation</title></head><body>
    <header><p>Site banner</p></header>
    <main><h1>Platform rules</h1><h2>Background</h2>
    <p>Platforms shape public debate.<br>They must respect rights.</p>
    <ul><li>First idea</li><li>Second idea</li></ul>
    <aside><p>1 A footnote in an aside.</p></aside></main></body></html>"""
    document = read_text(html, format="html")
    consistent(document)
    assert document.title == "Platform rules"
    assert "Site banner" not in document.text
    texts = [p.text for p in document.passages]
    assert "Platforms shape public debate. They must respect rights." in texts
    assert any(p.kind == "footnote" and "aside" in p.text for p in document.passages)
    background = next(p for p in document.passages if p.text.startswith("Platforms"))
    assert background.heading == "Background"
    assert background.locator.startswith("¶ ")


def test_unstructured_text_uses_paragraph_signs(consistent: Check) -> None:
    text = (
        "Consultation notes\n\nThe secretariat prepared this note. It reflects\nthe views of "
        "participants.\n\nVictims need effective remedies.\n\nNext steps follow."
    )
    document = read_text(text)
    consistent(document)
    body = [p for p in document.passages if p.kind == "text"]
    assert [p.locator for p in body] == ["¶ 1", "¶ 2", "¶ 3"]
    assert [p.id for p in body] == ["p-0001", "p-0002", "p-0003"]
    assert body[0].text == (
        "The secretariat prepared this note. It reflects the views of participants."
    )
    assert all(p.operative for p in body)
    assert document.source == "<text>"


def test_plain_english_law_with_recitals_and_annex(consistent: Check) -> None:
    text = """DIRECTIVE ON DIGITAL DUE DILIGENCE

Whereas:

(1) Companies should respect human rights.

(2) Victims should have access to remedy.

HAVE ADOPTED THIS DIRECTIVE:

CHAPTER I
GENERAL PROVISIONS

Article 1
Subject matter

This Directive lays down rules on due diligence.

Article 2
Definitions

For the purposes of this Directive:
(a) 'company' means a legal person;
(b) 'stakeholder' means a person affected:
(i) directly; or
(ii) indirectly.

Section 2
Remedies

Article 3
Complaints

1. Member States shall ensure that
persons can submit complaints.
2. Complaints shall be handled promptly.

Done at Brussels, 1 March 2025.

ANNEX II
LIST OF RIGHTS

1. The right to privacy.
2. The right to an effective remedy.
"""
    document = read_text(text, source="directive.txt")
    consistent(document)
    assert document.title == "DIRECTIVE ON DIGITAL DUE DILIGENCE"
    assert document.language == "en"
    kinds = {p.id: (p.locator, p.kind) for p in document.passages}
    assert kinds["rct-2"] == ("Recital 2", "recital")
    assert kinds["art-1"] == ("Article 1", "article")
    assert kinds["art-2"] == ("Article 2", "article")
    assert kinds["art-2-b-ii"] == ("Article 2(b)(ii)", "point")
    assert kinds["art-3-1"] == ("Article 3(1)", "paragraph")
    assert kinds["anx-ii-2"] == ("Annex II, point 2", "annex")
    assert document.passage("art-3-1").text == (
        "1. Member States shall ensure that persons can submit complaints."
    )
    assert document.passage("art-3-1").unit_path == ("Chapter I", "Section 2", "Article 3")
    assert document.passage("art-3-1").heading == "Complaints"
    assert document.passage("anx-ii-1").heading == "LIST OF RIGHTS"
    preamble = [p for p in document.passages if p.kind == "preamble"]
    assert [p.operative for p in preamble] == [False] * len(preamble)


def test_spanish_text_with_inline_points_and_korean_html(consistent: Check) -> None:
    spanish = read_text(
        "Artículo 7. Derechos.\n1. Las personas afectadas tendrán derecho a: a) ser informadas; "
        "b) presentar una reclamación; y c) obtener una reparación.\n2. Nada impide otras vías."
    )
    consistent(spanish)
    assert spanish.language == "es"
    assert spanish.passage("art-7-1-c").locator == "Artículo 7.1.c)"
    assert spanish.passage("art-7-1-c").text == "c) obtener una reparación."
    assert spanish.passage("art-7-h").heading == "Derechos"
    korean = read_text(
        "<html><body><p>제1조(목적) 이 법은 이용자의 권리를 보호함을 목적으로 한다.</p>"
        "<p>제2조(책임) ① 사업자는 손해를 배상하여야 한다.<br>"
        "② 배상의 범위는 대통령령으로 정한다.</p>"
        "</body></html>",
        format="html",
    )
    consistent(korean)
    assert korean.language == "ko"
    assert korean.passage("art-2-2").locator == "제2조 제2항"
    assert korean.passage("art-2-2").text == "② 배상의 범위는 대통령령으로 정한다."


def test_ids_are_stable_across_reads(fixtures_dir: Path) -> None:
    for name in ("ko_law.txt", "fr_loi.md", "es_ley.html", "eurlex_oj.html"):
        first = read_document(fixtures_dir / name)
        second = read_bytes_of(fixtures_dir / name)
        assert [(p.id, p.locator, p.start, p.end) for p in first.passages] == [
            (p.id, p.locator, p.start, p.end) for p in second.passages
        ]
        assert first.units == second.units


def read_bytes_of(path: Path) -> Document:
    from ungpkit.documents import read_bytes

    return read_bytes(path.read_bytes(), filename=path.name)


def test_mixed_language_warning(fixtures_dir: Path) -> None:
    document = read_document(fixtures_dir / "en_de_mixed.txt")
    assert document.language == "en"
    assert len(document.warnings) == 1
    warning = document.warnings[0]
    assert "German" in warning and "cannot analyse" in warning


def test_language_override_and_unsupported_language_warning() -> None:
    german = read_text(
        "Artikel 1\nDieses Gesetz gilt für alle Anbieter digitaler Dienste in "
        "der Union und schützt die Rechte der Nutzer."
    )
    assert german.language == "de"
    assert any("German" in w and "cannot" in w for w in german.warnings)
    forced = read_text("Article 5\nCe texte est court.", language="FR")
    assert forced.language == "fr"
    assert forced.passage("art-5").locator == "Article 5"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_read_text_formats_accept_empty_title(fmt: str) -> None:
    document = read_text("Article 1\nRules apply.", format=fmt, title="My draft")
    assert document.title == "My draft"
    assert document.format == fmt


def test_us_style_sections_are_article_level(consistent: Check) -> None:
    document = read_text(
        "AN ACT to protect users online.\n\nSEC. 2. DEFINITIONS.\nIn this Act:\n"
        "(1) PLATFORM.—The term platform means a website.\n\nSEC. 3. DUTY OF CARE.\n"
        "(a) IN GENERAL.—A platform shall act in the best interests of users.\n"
    )
    consistent(document)
    assert document.passage("sec-2-1").locator == "Sec. 2(1)"
    assert document.passage("sec-3-a").locator == "Sec. 3(a)"
    assert document.passage("sec-3-a").heading == "DUTY OF CARE"


def test_markdown_markup_is_removed(consistent: Check) -> None:
    markdown = """---
title: Draft on platforms
---

Draft law
=========

**Article 1** — *Scope*

1. This law applies to [online platforms](https://example.org) as defined in `Annex I`.[^1]

> 2. It does not apply to micro enterprises.

* a bullet about remedies

[^1]: See the definition in Annex I.
"""
    document = read_text(markdown, format="markdown")
    consistent(document)
    assert document.title == "Draft on platforms"
    assert document.passage("title").text == "Draft law"
    first = document.passage("art-1-1")
    assert first.text.startswith("1. This law applies to online platforms as defined in Annex I.")
    assert document.passage("art-1-2").text == "2. It does not apply to micro enterprises."
    assert document.passage("fn-1").kind == "footnote"
    assert document.units[0].title == "Scope"
    assert document.passage("art-1-2-t1").text == "- a bullet about remedies"


def test_form_feeds_number_pages_in_text() -> None:
    document = read_text("Article 1\nFirst page text.\f\nArticle 2\nSecond page text.")
    assert document.pages == 2
    assert document.passage("art-2").page == 2


def test_an_article_number_followed_by_its_rule_on_one_line(consistent: Check) -> None:
    text = (
        "Data Act\n\nArticle 1. Subject matter\nThis Act protects people.\n\n"
        "Article 2. Any person whose rights have been infringed may lodge a complaint with "
        "the supervisory authority.\n\n"
        "Article 3 Due diligence\nProviders shall identify risks.\n\n"
        "Article 4 The authority shall handle complaints within three months.\n\n"
        "Article 5\nArticle 3 applies to all providers.\n"
    )
    document = read_text(text, language="en")
    consistent(document)
    body = {p.locator: p for p in document.passages if p.kind != "heading"}
    assert body["Article 2"].text.startswith("Any person whose rights")
    assert body["Article 2"].heading is None  # the rule is not a title
    assert body["Article 3"].heading == "Due diligence"
    assert body["Article 4"].text.startswith("The authority shall handle")
    assert body["Article 5"].text == "Article 3 applies to all providers."  # a reference


def test_an_untitled_article_does_not_take_its_chapters_title(consistent: Check) -> None:
    text = (
        "CHAPTER I HUMAN RIGHTS DUE DILIGENCE AND REMEDIES\n\n"
        "Article 1\nThis Act enters into force on 1 January 2026.\n\n"
        "Article 2 — Due diligence\nCompanies shall identify risks.\n"
    )
    document = read_text(text, language="en")
    consistent(document)
    body = {p.locator: p for p in document.passages if p.kind != "heading"}
    assert body["Article 1"].heading is None
    assert body["Article 2"].heading == "Due diligence"


def test_markdown_lists_numbered_lazily_are_numbered_as_shown(consistent: Check) -> None:
    text = (
        "# Act\n\n## Article 1 — Scope\n\n1. Platforms.\n1. Services offered here.\n"
        "1. Not micro-enterprises.\n\n## Article 2 — Written numbers\n\n1. First.\n3. Third.\n"
    )
    document = read_text(text, format="markdown", language="en")
    consistent(document)
    body = [(p.locator, p.text) for p in document.passages if p.kind != "heading"]
    assert body == [
        ("Article 1(1)", "1. Platforms."),
        ("Article 1(2)", "2. Services offered here."),
        ("Article 1(3)", "3. Not micro-enterprises."),
        ("Article 2(1)", "1. First."),
        ("Article 2(3)", "3. Third."),  # a number written otherwise stays as written
    ]


def test_closing_formulas_oblige_nobody(consistent: Check) -> None:
    french = read_text(
        "Loi\n\nArticle 1er\nLa société établit un plan.\n\n"
        "La présente loi sera exécutée comme loi de l'État.\n\nFait à Paris, le 27 mars 2017.\n",
        language="fr",
    )
    spanish = read_text(
        "Ley\n\nArtículo 1. Objeto.\nLa ley regula la diligencia debida.\n\nPor tanto,\n\n"
        "Mando a todos los españoles, particulares y autoridades, que guarden y hagan guardar "
        "esta ley.\n\nMadrid, 3 de junio de 2025.\n",
        language="es",
    )
    for document, last_rule in ((french, "Article 1er"), (spanish, "Artículo 1")):
        consistent(document)
        closing = [p for p in document.passages if p.kind == "closing"]
        assert len(closing) >= 2 and not any(p.operative for p in closing)
        assert [p for p in document.passages if p.operative][-1].locator == last_rule


def test_an_acts_long_title_and_enacting_words_are_its_preamble(consistent: Check) -> None:
    text = (
        "Supply Chains Act 2025\n\nAn Act to make provision about human rights due diligence "
        "in supply chains.\n\nBE IT ENACTED by the King's most Excellent Majesty as follows:\n\n"
        "Section 1 Overview\n\nThis Act makes provision about due diligence.\n\n"
        "Section 2 Duty\n\n(1) A commercial organisation must carry out due diligence.\n"
    )
    document = read_text(text, language="en")
    consistent(document)
    before = [p for p in document.passages if p.text.startswith(("An Act", "BE IT"))]
    assert [p.kind for p in before] == ["preamble", "preamble"]
    assert document.passage("sec-2-1").locator == "Section 2(1)"
