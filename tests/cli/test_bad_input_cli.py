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


LAW = Path(__file__).resolve().parents[1] / "fixtures" / "laws" / "ko-privacy-act-excerpt.txt"


def test_max_bytes_stops_reading_at_the_limit() -> None:
    # /dev/zero never ends and says it has 0 bytes: only a bounded read can refuse it
    code, message = _check(Path("/dev/zero"), "--max-bytes", "1000")
    assert code == 1 and "larger than the 1000 bytes limit" in message


def test_a_file_the_system_cannot_read(tmp_path: Path) -> None:
    mem = Path("/proc/self/mem")  # reading it at offset 0 fails with an I/O error
    if not mem.exists():
        pytest.skip("no /proc on this system")
    code, message = _check(mem)
    assert code == 1 and "could not be read" in message


def test_output_onto_the_input_is_refused(tmp_path: Path) -> None:
    law = tmp_path / "law.txt"
    law.write_bytes(LAW.read_bytes())
    code, message = _check(law, "-o", str(law))
    assert code == 1 and "would replace it" in message
    assert law.read_bytes() == LAW.read_bytes()
    result = CliRunner().invoke(cli, ["compare", str(LAW), str(law), "-o", str(law)])
    assert result.exit_code == 1 and law.read_bytes() == LAW.read_bytes()


@pytest.mark.parametrize(("name", "first"), [("r.json", "{"), ("r.csv", "element"), ("r.md", "#")])
def test_the_output_extension_chooses_the_format(tmp_path: Path, name: str, first: str) -> None:
    out = tmp_path / name
    code, message = _check(LAW, "-o", str(out))
    assert code == 0, message
    assert out.read_text(encoding="utf-8").lstrip().startswith(first)


def test_a_format_that_contradicts_the_extension_is_refused(tmp_path: Path) -> None:
    code, message = _check(LAW, "-f", "json", "-o", str(tmp_path / "r.html"))
    assert code == 1 and "does not match the extension" in message
    assert not (tmp_path / "r.html").exists()


def test_a_file_name_that_is_not_utf8_is_written_safely(tmp_path: Path) -> None:
    odd = tmp_path / b"law\xff.txt".decode("utf-8", "surrogateescape")
    odd.write_bytes(LAW.read_bytes())
    out = tmp_path / "r.json"
    code, message = _check(odd, "-o", str(out))
    assert code == 0, message
    assert "law?.txt" in out.read_text(encoding="utf-8")  # the undecodable byte, replaced


ENGLISH_LAW = (
    "Article 1\n\n1. Providers shall carry out human rights due diligence to identify, prevent "
    "and mitigate the adverse impacts of their systems on the rights of the persons concerned. "
    "2. Member States shall ensure that any person affected has access to an effective remedy "
    "before a court, and that the competent authority may impose penalties which shall be "
    "effective, proportionate and dissuasive.\n"
)


def test_a_language_the_text_is_not_in_is_refused(tmp_path: Path) -> None:
    law = tmp_path / "law.txt"
    law.write_text(ENGLISH_LAW, encoding="utf-8")
    code, message = _check(law, "--lang", "fr")
    assert code == 1
    assert "its text is in English" in message and "--lang en" in message
    assert _check(law, "--lang", "en")[0] == 0


def test_the_core_warns_when_the_language_asked_for_is_not_the_texts() -> None:
    from ungpkit.documents import read_text

    document = read_text(ENGLISH_LAW, source="law.txt", language="es")
    assert document.language == "es"  # as asked: a person may know better than detection
    assert any("but its text is in English" in w for w in document.warnings)
    assert not any("while the rest" in w for w in document.warnings)


def test_page_limit_from_the_command_line_and_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(_pdf("Article 1. The provider shall report. " * 400))  # several pages
    code, message = _check(path, "--max-pages", "2")
    assert code == 1 and "more than the 2 allowed" in message and "--max-pages" in message
    result = CliRunner().invoke(cli, ["check", str(path)], env={"UNGPKIT_MAX_PAGES": "2"})
    assert result.exit_code == 1 and "more than the 2 allowed" in " ".join(result.stderr.split())
    result = CliRunner().invoke(cli, ["check", str(path)], env={"UNGPKIT_MAX_ZIP_ENTRIES": "x"})
    assert result.exit_code == 1
    assert "UNGPKIT_MAX_ZIP_ENTRIES: expected a whole number" in " ".join(result.stderr.split())


def test_read_limits_from_the_environment() -> None:
    from ungpkit.config import ConfigError, read_limits
    from ungpkit.documents import ReadLimits

    limits = read_limits(
        {"UNGPKIT_MAX_PAGES": "10", "UNGPKIT_MAX_COMPRESSION_RATIO": "12"}, max_bytes=99
    )
    assert (limits.max_pages, limits.max_compression_ratio, limits.max_bytes) == (10, 12, 99)
    assert read_limits({}) == ReadLimits()
    with pytest.raises(ConfigError, match="UNGPKIT_MAX_PAGES"):
        read_limits({"UNGPKIT_MAX_PAGES": "-3"})
    with pytest.raises(ConfigError, match="UNGPKIT_MAX_ZIP_ENTRIES: must be more than 0"):
        read_limits({"UNGPKIT_MAX_ZIP_ENTRIES": "0"})
