"""Content sniffing, decoding and the plain-language errors of the reader."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ungpkit.documents import (
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    MismatchedType,
    ReadLimits,
    TooLarge,
    UnsupportedFormat,
    read_bytes,
    read_document,
    read_text,
)
from ungpkit.documents.errors import (
    CorruptDocument,
    ScannedDocument,
    ZipBomb,
)

SAMPLE = "Article 1\nSubject matter\n1. This Act protects the rights of users.\n"


def test_every_error_is_a_document_error() -> None:
    for error in (
        EncryptedDocument,
        ScannedDocument,
        CorruptDocument,
        EmptyDocument,
        MismatchedType,
        UnsupportedFormat,
        TooLarge,
        ZipBomb,
    ):
        assert issubclass(error, DocumentError)
    instance = TooLarge("too big", source="x.pdf")
    assert instance.message == "too big" == str(instance)
    assert instance.source == "x.pdf"


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", codecs.BOM_UTF8])
def test_empty_files(data: bytes) -> None:
    with pytest.raises(EmptyDocument) as caught:
        read_bytes(data, filename="draft.txt")
    assert "empty" in caught.value.message


def test_text_without_any_words_is_empty() -> None:
    with pytest.raises(EmptyDocument):
        read_text("<html><body><script>x()</script></body></html>", format="html")


def test_pdf_extension_with_text_content() -> None:
    with pytest.raises(MismatchedType) as caught:
        read_bytes(SAMPLE.encode(), filename="law.pdf")
    message = caught.value.message
    assert "named as a PDF" in message and "plain text" in message and ".txt" in message


def test_docx_extension_with_pdf_content(make_pdf: object) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Article 1")
    with pytest.raises(MismatchedType) as caught:
        read_bytes(bytes(pdf.output()), filename="law.docx")
    assert "looks like a PDF" in caught.value.message


def test_text_extension_with_binary_content() -> None:
    with pytest.raises(MismatchedType) as caught:
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, filename="law.txt")
    assert "PNG image" in caught.value.message


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("law.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Word document"),
        ("law.odt", b"PK\x03\x04" + b"\0" * 64, "OpenDocument"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "PNG image"),
        ("data.csv", b"a,b,c\n1,2,3\n", ".csv"),
    ],
)
def test_unsupported_formats_list_what_is_supported(
    filename: str, data: bytes, expected: str
) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        read_bytes(data, filename=filename)
    message = caught.value.message
    assert expected in message
    assert "PDF" in message and ".docx" in message


def test_encrypted_word_file() -> None:
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 64
    )
    with pytest.raises(EncryptedDocument) as caught:
        read_bytes(data, filename="secret.docx")
    assert "password" in caught.value.message


def test_too_large_says_how_to_raise_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(SAMPLE * 100, encoding="utf-8")
    with pytest.raises(TooLarge) as caught:
        read_document(path, limits=ReadLimits(max_bytes=1024))
    message = caught.value.message
    assert "1 KiB" in message
    assert "UNGPKIT_MAX_UPLOAD_BYTES" in message and "--max-bytes" in message
    with pytest.raises(TooLarge):
        read_bytes(path.read_bytes(), filename="big.txt", limits=ReadLimits(max_bytes=1024))


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_document(tmp_path / "nope.pdf")


def test_read_text_rejects_binary_formats() -> None:
    with pytest.raises(UnsupportedFormat):
        read_text(SAMPLE, format="pdf")


@pytest.mark.parametrize(
    ("encoding", "text", "warned"),
    [
        ("utf-8", "Article 1\nLe présent règlement protège les données.", False),
        ("utf-8-sig", "Article 1\nLe présent règlement protège les données.", False),
        ("utf-16", "Article 1\nLe présent règlement protège les données.", False),
        ("cp1252", "Article 1\nLe présent règlement protège les données « personnelles ».", True),
        ("cp949", "제1조(목적) 이 법은 개인정보의 처리 및 보호에 관한 사항을 정한다.", True),
    ],
)
def test_text_encodings(encoding: str, text: str, warned: bool) -> None:
    document = read_bytes(text.encode(encoding), filename="law.txt")
    assert text.split("\n")[-1] in document.text
    assert any("not UTF-8" in w for w in document.warnings) == warned


def test_html_meta_charset_is_honoured() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body><p>Article 1</p>'
        "<p>Le présent règlement protège les données.</p></body></html>"
    )
    document = read_bytes(html.encode("iso-8859-1"), filename="loi.html")
    assert "présent" in document.text
    assert not document.warnings


def test_extension_less_upload_is_sniffed() -> None:
    document = read_bytes(
        b"<html><body><p>Article 1</p><p>Rules apply.</p></body></html>", filename="upload"
    )
    assert document.format == "html"
    assert document.title == "upload"
