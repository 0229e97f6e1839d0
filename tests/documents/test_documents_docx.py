"""DOCX: styles as hints, tables, automatic numbering, Korean, zip bombs and damaged files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from ungpkit.documents import (
    CorruptDocument,
    MismatchedType,
    ReadLimits,
    ZipBomb,
    read_bytes,
)

Check = Callable[[object], None]
Build = Callable[..., bytes]


def test_english_docx_with_heading_styles_and_table_points(
    make_docx: Build, consistent: Check
) -> None:
    data = make_docx(
        [
            ("Title", "Draft Platform Accountability Act"),
            ("Heading 1", "CHAPTER I"),
            ("Heading 2", "General provisions"),
            ("Heading 3", "Article 1"),
            ("body", "Subject matter"),
            ("body", "1. This Act lays down obligations for providers of online platforms."),
            ("body", "2. Providers shall assess the risks to:"),
            ("table", ["(a)", "the right to privacy;"]),
            ("table", ["(b)", "the right to an effective remedy."]),
            ("Heading 3", "Article 2"),
            ("body", "Complaints"),
            ("body", "Users may complain to the regulator.\nThe regulator shall reply."),
        ],
        title="Platform Accountability (core title)",
    )
    document = read_bytes(data, filename="draft.docx")
    consistent(document)
    assert document.format == "docx"
    assert document.title == "Platform Accountability (core title)"
    assert document.pages is None
    point = document.passage("art-1-2-b")
    assert (point.locator, point.text) == (
        "Article 1(2)(b)",
        "(b) the right to an effective remedy.",
    )
    assert point.unit_path == ("Chapter I", "Article 1", "Article 1(2)")
    assert point.heading == "Subject matter"
    assert document.passage("title").kind == "heading"
    # A line break inside a Word paragraph (w:br) is kept as a wrapped line of the same text.
    assert document.passage("art-2").text == (
        "Users may complain to the regulator. The regulator shall reply."
    )


def test_docx_automatic_numbering_is_rendered(make_docx: Build, consistent: Check) -> None:
    data = make_docx(
        [
            ("Heading 2", "Article 4"),
            ("body", "Obligations"),
            ("List Number", "Providers shall publish a human rights policy."),
            ("List Number", "Providers shall provide a grievance mechanism."),
        ]
    )
    document = read_bytes(data, filename="numbered.docx")
    consistent(document)
    second = document.passage("art-4-2")
    assert second.locator == "Article 4(2)"
    assert second.text == "2. Providers shall provide a grievance mechanism."
    assert document.title == "Article 4"


def test_korean_and_french_docx(make_docx: Build, consistent: Check) -> None:
    korean = read_bytes(
        make_docx(
            [
                ("Title", "개인정보 보호법"),
                ("body", "제1장 총칙"),
                (
                    "body",
                    "제4조(정보주체의 권리) 정보주체는 자신의 개인정보 처리와 관련하여 "
                    "다음 각 호의 권리를 가진다.",
                ),
                ("body", "1. 개인정보의 처리에 관한 정보를 제공받을 권리"),
                (
                    "body",
                    "2. 개인정보의 처리로 인하여 발생한 피해를 "
                    "신속하고 공정한 절차에 따라 구제받을 권리",
                ),
            ]
        ),
        filename="pipa.docx",
    )
    consistent(korean)
    assert korean.language == "ko"
    assert korean.title == "개인정보 보호법"
    assert korean.passage("art-4-2").locator == "제4조 제2호"
    assert korean.passage("art-4").locator == "제4조"
    assert korean.passage("art-4").unit_path == ("제1장",)
    french = read_bytes(
        make_docx(
            [
                ("Heading 1", "Article 3"),
                ("body", "Toute personne peut saisir l'autorité de contrôle d'une réclamation."),
                ("body", "L'autorité informe la personne de l'issue de la réclamation."),
            ]
        ),
        filename="loi.docx",
    )
    consistent(french)
    assert french.language == "fr"
    assert french.passage("art-3-s2").locator == "Article 3, alinéa 2"


def _zip(entries: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level
    ) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_docx_is_refused() -> None:
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"\0" * (40 * 1024 * 1024),
        }
    )
    assert len(bomb) < 200_000
    with pytest.raises(ZipBomb) as caught:
        read_bytes(bomb, filename="bomb.docx")
    assert "zip bomb" in caught.value.message and "word/document.xml" in caught.value.message


def test_docx_total_uncompressed_limit(make_docx: Build) -> None:
    data = make_docx([("body", "Article 1\nText.")])
    with pytest.raises(ZipBomb) as caught:
        read_bytes(data, filename="small.docx", limits=ReadLimits(max_uncompressed_bytes=1000))
    assert "1000 bytes" in caught.value.message


def test_docx_with_too_many_entries() -> None:
    entries = {f"word/media/{i}.bin": b"x" for i in range(50)}
    entries["word/document.xml"] = b"<w:document/>"
    with pytest.raises(ZipBomb):
        read_bytes(_zip(entries), filename="many.docx", limits=ReadLimits(max_zip_entries=20))


def test_truncated_docx_is_corrupt(make_docx: Build) -> None:
    data = make_docx([("body", "Article 1\nText.")])
    with pytest.raises(CorruptDocument) as caught:
        read_bytes(data[: len(data) // 2], filename="cut.docx")
    assert "damaged" in caught.value.message and "save it again" in caught.value.message


def test_docx_with_broken_xml_is_corrupt() -> None:
    data = _zip({"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(CorruptDocument):
        read_bytes(data, filename="broken.docx")


def test_zip_that_is_not_a_word_document() -> None:
    data = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    with pytest.raises(MismatchedType) as caught:
        read_bytes(data, filename="draft.docx")
    assert "OpenDocument" in caught.value.message


def test_docx_footnotes_are_kept_apart(make_docx: Build, consistent: Check) -> None:
    data = make_docx([("Heading 2", "Article 9"), ("body", "Providers shall keep records.")])
    notes = (
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>OJ L 119, 4.5.2016, p. 1.</w:t>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/footnotes.xml", notes)
    document = read_bytes(buffer.getvalue(), filename="notes.docx")
    consistent(document)
    note = document.passage("fn-1")
    assert (note.kind, note.locator, note.text) == (
        "footnote",
        "Footnote 1",
        "1 OJ L 119, 4.5.2016, p. 1.",
    )
    assert document.passage("art-9").text == "Providers shall keep records."


def test_a_bill_named_in_its_first_plain_paragraph(make_docx: Build, consistent: Check) -> None:
    french = read_bytes(
        make_docx(
            [
                ("body", "Projet de loi relatif au devoir de vigilance des plateformes"),
                ("Heading 2", "Article 1er"),
                ("body", "Les plateformes doivent établir un plan de vigilance."),
            ]
        ),
        filename="projet.docx",
    )
    consistent(french)
    assert french.title == "Projet de loi relatif au devoir de vigilance des plateformes"
    assert french.passages[0].kind == "heading"  # the name, not a preamble cited as evidence
    assert not any(p.kind == "preamble" for p in french.passages)
    korean = read_bytes(
        make_docx(
            [
                ("body", "디지털 플랫폼 인권 책임에 관한 법률안"),
                ("body", "제1조(목적) 이 법은 인권을 보호함을 목적으로 한다."),
            ]
        ),
        filename="ko.docx",
    )
    consistent(korean)
    assert korean.title == "디지털 플랫폼 인권 책임에 관한 법률안"
    assert not any(p.kind == "preamble" for p in korean.passages)
    # A first paragraph that is a sentence stays text.
    plain = read_bytes(
        make_docx([("body", "This Act protects people."), ("Heading 2", "Article 1")]),
        filename="plain.docx",
    )
    assert plain.passages[0].kind != "heading"


def test_text_boxes_and_moved_text_appear_once(make_docx: Build, consistent: Check) -> None:
    data = make_docx(
        [("Heading 2", "Article 3"), ("body", "MOVED"), ("body", "Courts hear claims. BOX")]
    )
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    box = (
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:r><w:txbxContent>'
        f"<w:p>{run.format('See Annex.')}</w:p></w:txbxContent></w:r></mc:Choice>"
        f"<mc:Fallback><w:r><w:txbxContent><w:p>{run.format('See Annex.')}</w:p>"
        "</w:txbxContent></w:r></mc:Fallback></mc:AlternateContent>"
    )
    moved = "Victims may bring civil claims."
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    xml = entries["word/document.xml"].decode()
    assert f'xmlns:w="{w}"' in xml
    xml = xml.replace(
        "<w:t>MOVED</w:t></w:r>",
        "<w:t>Intro.</w:t></w:r>"
        f'<w:moveFrom w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">{run.format(" " + moved)}'
        "</w:moveFrom>",
    )
    xml = xml.replace(
        "<w:t>Courts hear claims. BOX</w:t></w:r>", "<w:t>Courts hear claims. </w:t></w:r>" + box
    )
    xml = xml.replace(
        "</w:body>",
        f'<w:p><w:moveTo w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">{run.format(moved)}'
        "</w:moveTo></w:p></w:body>",
    )
    entries["word/document.xml"] = xml.encode()
    document = read_bytes(_zip(entries), filename="tracked.docx")
    consistent(document)
    assert document.text.count(moved) == 1 and document.text.count("See Annex.") == 1
    assert "Intro." in document.text


def test_the_paragraphs_of_a_text_box_stay_apart(make_docx: Build, consistent: Check) -> None:
    data = make_docx([("Heading 2", "Article 3"), ("body", "Courts hear claims. BOX")])
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    inner = (
        f"<w:p>{run.format('Providers shall keep records.')}</w:p>"
        f"<w:p>{run.format('Victims may sue')}</w:p>"
    )
    box = (
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:r><w:txbxContent>'
        f"{inner}</w:txbxContent></w:r></mc:Choice></mc:AlternateContent>"
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    xml = (
        entries["word/document.xml"]
        .decode()
        .replace(
            "<w:t>Courts hear claims. BOX</w:t></w:r>", "<w:t>Courts hear claims.</w:t></w:r>" + box
        )
    )
    entries["word/document.xml"] = xml.encode()
    document = read_bytes(_zip(entries), filename="box.docx")
    consistent(document)
    text = document.text
    assert "Providers shall keep records." in text and "Victims may sue" in text
    assert "records.Victims" not in text  # two paragraphs, not one run of words


def test_word_numbering_as_word_shows_it(make_docx: Build, consistent: Check) -> None:
    """A list set to start at 3, and a numbered paragraph deleted with tracked changes
    (it takes no number): the locators are the numbers Word displays."""
    data = make_docx(
        [
            ("Heading 2", "Article 2"),
            ("List Number", "The plan is published."),
            ("List Number", "DELETED"),
            ("List Number", "The plan is updated."),
        ]
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    numbering = entries["word/numbering.xml"].decode()
    numbering = numbering.replace(
        '<w:num w:numId="5"><w:abstractNumId w:val="7"/></w:num>',
        '<w:num w:numId="5"><w:abstractNumId w:val="7"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>',
    )
    assert "startOverride" in numbering
    xml = entries["word/document.xml"].decode()
    xml = xml.replace(
        "<w:r><w:t>DELETED</w:t></w:r>",
        '<w:del w:id="9" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r>'
        "<w:delText>DELETED</w:delText></w:r></w:del>",
    )
    assert "delText" in xml
    entries["word/numbering.xml"] = numbering.encode()
    entries["word/document.xml"] = xml.encode()
    document = read_bytes(_zip(entries), filename="numbered.docx")
    consistent(document)
    body = [(p.locator, p.text) for p in document.passages if p.kind != "heading"]
    assert body == [
        ("Article 2(3)", "3. The plan is published."),
        ("Article 2(4)", "4. The plan is updated."),
    ]


def test_a_level_told_never_to_restart_keeps_counting() -> None:
    from ungpkit.documents.extract_docx import _Numbering

    def chapters_and_articles(restarts: dict[tuple[str, int], int]) -> list[str | None]:
        numbering = _Numbering(
            formats={
                ("1", 0): ("upperRoman", "CHAPTER %1", 1),
                ("1", 1): ("decimal", "Article %2", 1),
            },
            restarts=restarts,
        )
        levels = [0, 1, 1, 0, 1]  # chapter I, two articles, chapter II, an article
        return [numbering.label("1", level) for level in levels]

    assert chapters_and_articles({("1", 1): 0})[-1] == "Article 3"  # w:lvlRestart w:val="0"
    assert chapters_and_articles({})[-1] == "Article 1"  # Word's default: restart
