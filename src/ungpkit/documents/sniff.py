"""Content sniffing: what a file really is, whether that matches its name, and text decoding."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from .errors import (
    SUPPORTED_FORMATS_TEXT,
    EmptyDocument,
    EncryptedDocument,
    MismatchedType,
    UnsupportedFormat,
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    "": "",
}

# Formats we recognise but cannot read, with what the user can do instead.
_UNSUPPORTED: dict[str, str] = {
    ".doc": "an old Word document (.doc)",
    ".odt": "an OpenDocument text (.odt)",
    ".rtf": "a Rich Text Format file (.rtf)",
    ".pptx": "a PowerPoint presentation",
    ".xlsx": "an Excel workbook",
    ".xls": "an Excel workbook",
    ".epub": "an e-book (.epub)",
    ".pages": "an Apple Pages document",
}

_FORMAT_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "html": "a web page (HTML)",
    "markdown": "a Markdown file",
    "text": "a plain text file",
}


@dataclass(frozen=True)
class Sniffed:
    """What the bytes look like: a readable format, or a description of something else."""

    format: str | None  # pdf | docx | html | text, or None when not readable
    description: str


def _zip_kind(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:5000])
            mimetype = ""
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 200:
                    mimetype = archive.read("mimetype").decode("ascii", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if b"word/document.xml" in data[:4096] or b"[Content_Types].xml" in data[:4096]:
            return Sniffed("docx", "a damaged Word document (.docx)")
        return Sniffed(None, "a damaged ZIP archive")
    if "word/document.xml" in names:
        return Sniffed("docx", _FORMAT_NAMES["docx"])
    if "opendocument.text" in mimetype:
        return Sniffed(None, "an OpenDocument text (.odt)")
    if any(name.startswith("xl/") for name in names):
        return Sniffed(None, "an Excel workbook (.xlsx)")
    if any(name.startswith("ppt/") for name in names):
        return Sniffed(None, "a PowerPoint presentation (.pptx)")
    if "epub" in mimetype:
        return Sniffed(None, "an e-book (.epub)")
    return Sniffed(None, "a ZIP archive")


_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|p|div|h[1-6]|table|title|meta)\b[^>]*>", re.I)


def sniff(data: bytes) -> Sniffed:
    """Identify the content of ``data`` from its first bytes."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return Sniffed("pdf", _FORMAT_NAMES["pdf"])
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(_OLE_MAGIC):
        return Sniffed(None, "an old Microsoft Office file (.doc/.xls)")
    if head.startswith(b"{\\rtf"):
        return Sniffed(None, "a Rich Text Format file (.rtf)")
    images = (
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
    )
    for magic, name in images:
        if head.startswith(magic):
            return Sniffed(None, f"a {name} image")
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return Sniffed(None, "a compressed archive")
    text_head = _decode_head(head)
    encoded = text_head.encode("utf-8", "replace")
    if _HTML_START.match(encoded) or len(_HTML_TAGS.findall(encoded)) >= 2:
        return Sniffed("html", _FORMAT_NAMES["html"])
    if _looks_binary(head):
        return Sniffed(None, "binary data")
    return Sniffed("text", _FORMAT_NAMES["text"])


def _decode_head(head: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(encoding, "ignore")
    if _utf16_without_bom(head):
        return head.decode("utf-16-le", "ignore")
    return head.decode("utf-8", "ignore")


def _utf16_without_bom(head: bytes) -> bool:
    sample = head[:512]
    if len(sample) < 8:
        return False
    odd_nuls = sample[1::2].count(0)
    return odd_nuls > 0.4 * (len(sample) // 2) and sample[0::2].count(0) < 0.1 * len(sample)


def _looks_binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return control > 0.05 * max(len(head), 1)


def resolve_format(data: bytes, filename: str) -> str:
    """The format to read ``data`` as, checking the file extension against the content."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument(
            f"The file {filename!r} is empty. Check that you chose the right file, or export "
            "the document again.",
            source=filename,
        )
    suffix = PurePath(filename).suffix.lower()
    sniffed = sniff(data)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data[:1_000_000]:
        raise EncryptedDocument(
            f"{filename!r} is a password-protected Office document, so its text cannot be read. "
            "Open it in Word, remove the password (File > Info > Protect Document > Encrypt "
            "with Password), save it as .docx and try again.",
            source=filename,
        )
    if suffix in _UNSUPPORTED and sniffed.format is None:
        raise UnsupportedFormat(
            f"The file {filename!r} is {_UNSUPPORTED[suffix]}, which ungpkit cannot read. "
            f"Save or export it as PDF or Word (.docx) and try again. Supported formats: "
            f"{SUPPORTED_FORMATS_TEXT}.",
            source=filename,
        )
    expected = EXTENSIONS.get(suffix)
    if expected is None and suffix not in _UNSUPPORTED:
        if sniffed.format is None:
            raise UnsupportedFormat(
                f"The file {filename!r} ({suffix} file, it looks like {sniffed.description}) is "
                f"not in a format ungpkit can read. Supported formats: {SUPPORTED_FORMATS_TEXT}.",
                source=filename,
            )
        if sniffed.format in ("text", "html"):
            raise UnsupportedFormat(
                f"ungpkit does not know files ending in {suffix!r} ({filename!r}). If it is a "
                "text file, rename it to .txt; if it is a web page, to .html. Supported formats: "
                f"{SUPPORTED_FORMATS_TEXT}.",
                source=filename,
            )
        return sniffed.format
    if sniffed.format is None:
        named = f"named as {_FORMAT_NAMES[expected]}" if expected else "without an extension"
        raise MismatchedType(
            f"The file {filename!r} is {named} but its content looks like "
            f"{sniffed.description}. Check that you uploaded the right file, or export the "
            f"document again as PDF or Word (.docx). Supported formats: "
            f"{SUPPORTED_FORMATS_TEXT}.",
            source=filename,
        )
    if not expected:
        return sniffed.format
    if expected == sniffed.format:
        return expected
    if expected in ("text", "markdown") and sniffed.format in ("text", "html"):
        return expected
    if expected == "html" and sniffed.format == "text":
        return "html"
    raise MismatchedType(
        f"The file {filename!r} is named as {_FORMAT_NAMES[expected]} but its content looks like "
        f"{sniffed.description}. Rename it with the right extension (for example "
        f"{_suggested_extension(sniffed.format)}) or upload the intended file.",
        source=filename,
    )


def _suggested_extension(fmt: str) -> str:
    return {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}.get(fmt, ".txt")


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding used, and a warning if it was a guess."""

    text: str
    encoding: str
    warning: str | None = None


def decode_text(data: bytes, *, html: bool = False) -> Decoded:
    """Decode text bytes: BOMs, UTF-8, then (with a warning) CP949 for Korean or Windows-1252."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return Decoded(data.decode(encoding, "replace"), encoding)
    if _utf16_without_bom(data[:512]):
        return Decoded(data.decode("utf-16-le", "replace"), "utf-16-le")
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            declared = match.group(1).decode("ascii", "ignore").lower()
            try:
                codecs.lookup(declared)
            except LookupError:
                declared = ""
            if declared and declared not in ("utf-8", "utf8"):
                try:
                    return Decoded(data.decode(declared), declared)
                except (UnicodeDecodeError, LookupError):
                    pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        korean = data.decode("cp949")
        non_ascii = [c for c in korean if ord(c) > 127]
        hangul = sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3")
        if non_ascii and hangul >= 0.8 * len(non_ascii):
            return Decoded(
                korean,
                "cp949",
                "The file is not UTF-8; it was read as Korean (CP949/EUC-KR). Check "
                "that the Korean text looks right, or save the file as UTF-8.",
            )
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        encoding = "latin-1"
    return Decoded(
        text,
        encoding,
        "The file is not UTF-8; it was read as Windows-1252 (Western European). "
        "Check that accented letters look right, or save the file as UTF-8.",
    )
