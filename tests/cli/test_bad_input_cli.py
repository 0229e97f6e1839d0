"""Bad input to `ungpkit check`: a one-paragraph error, exit code 1, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ungpkit.cli import cli


def _check(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(path), *extra])
    assert "Traceback" not in result.output + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    return result.exit_code, " ".join(result.stderr.split())


def _pdf(text: str | None, *, encrypt: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text:
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(0, 6, text)
    else:
        pdf.set_fill_color(120, 120, 120)  # a page with a drawing and no text, like a scan
        pdf.rect(20, 20, 150, 200, style="F")
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def test_encrypted_pdf(folder: Path) -> None:
    path = folder / "locked.pdf"
    path.write_bytes(_pdf("Article 1. The provider shall report.", encrypt=True))
    code, message = _check(path)
    assert code == 1 and "password" in message.lower()


def test_scanned_pdf_says_ocr_is_needed(folder: Path) -> None:
    path = folder / "scan.pdf"
    path.write_bytes(_pdf(None))
    code, message = _check(path)
    assert code == 1 and "OCR" in message


def test_truncated_pdf(folder: Path) -> None:
    path = folder / "cut.pdf"
    path.write_bytes(_pdf("Article 1. The provider shall report. " * 40)[:400])
    code, message = _check(path)
    assert code == 1 and ("corrupt" in message.lower() or "truncated" in message.lower())


def test_empty_file(folder: Path) -> None:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    code, message = _check(path)
    assert code == 1 and "empty" in message.lower()


def test_content_that_does_not_match_the_extension(folder: Path) -> None:
    path = folder / "law.pdf"
    path.write_text("Article 1. This is plain text, not a PDF.", encoding="utf-8")
    code, message = _check(path)
    assert code == 1 and "law.pdf" in message


def test_unsupported_format(folder: Path) -> None:
    path = folder / "law.xyz"
    path.write_bytes(b"\x00\x01\x02binary")
    code, message = _check(path)
    assert code == 1 and "PDF" in message


def test_docx_zip_bomb(folder: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b"0" * 300_000_000 + b"</w:document>")
    path = folder / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    code, message = _check(path)
    assert code == 1 and ("compress" in message.lower() or "zip" in message.lower())


def test_oversized_file_names_the_limit(folder: Path) -> None:
    path = folder / "big.txt"
    path.write_text("Article 1. The provider shall report.\n" * 200, encoding="utf-8")
    code, message = _check(path, "--max-bytes", "1000")
    assert code == 1 and "--max-bytes" in message


def test_unsupported_language(folder: Path) -> None:
    path = folder / "gesetz.txt"
    path.write_text(
        "Artikel 1. Der Anbieter muss die Risiken für die Rechte der Nutzer bewerten und der "
        "Behörde über die getroffenen Maßnahmen berichten. Die Behörde kann Geldbußen verhängen "
        "und die Einhaltung dieses Gesetzes überwachen.\n" * 5,
        encoding="utf-8",
    )
    code, message = _check(path)
    assert code == 1 and ("German" in message or "'de'" in message)
    code, _ = _check(path, "--lang", "en")
    assert code == 0, "with an explicit language the check runs"


def test_missing_file(folder: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(folder / "nope.pdf")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
