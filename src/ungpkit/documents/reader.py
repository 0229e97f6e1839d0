"""Entry points: read a file, bytes or text into a Document."""

from __future__ import annotations

from pathlib import Path, PurePath

from .blocks import Extraction
from .errors import EmptyDocument, TooLarge, UnreadableFile, UnsupportedFormat
from .extract_docx import extract_docx
from .extract_html import extract_html
from .extract_markdown import extract_markdown
from .extract_pdf import extract_pdf
from .extract_text import extract_text
from .language import (
    SUPPORTED_LANGUAGES,
    contradicting,
    detect_language,
    foreign_parts,
    language_name,
)
from .limits import ReadLimits, human_size
from .model import Document
from .segment import segment
from .sniff import decode_text, resolve_format
from .structure import build_structure

TEXT_FORMATS = ("text", "markdown", "html")


def _too_large(source: str, size: int | None, limit: int) -> TooLarge:
    """``size`` None: reading stopped at the limit, so the size is not known."""
    measured = f"is {human_size(size)}, more than" if size is not None else "is larger than"
    return TooLarge(
        f"{source!r} {measured} the {human_size(limit)} limit. Split the "
        "document, or raise the limit: set UNGPKIT_MAX_UPLOAD_BYTES for the web app, pass "
        "--max-bytes on the command line, or ReadLimits(max_bytes=...) in Python.",
        source=source,
    )


def read_document(
    path: str | Path, *, limits: ReadLimits | None = None, language: str | None = None
) -> Document:
    """Read a PDF, DOCX, HTML, Markdown or text file into a Document.

    Raises a DocumentError subclass (with a plain-language ``message``) when the file cannot
    be read, and FileNotFoundError when it does not exist.
    """
    path = Path(path)
    limits = limits or ReadLimits()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise _too_large(path.name, size, limits.max_bytes)
    try:
        # Never more than the limit: a pipe, a device or a file growing while it is read
        # says nothing true in st_size.
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(
            f"{path.name!r} could not be read ({exc.strerror or exc}). Check that it is a "
            "file you may read, on a drive that is connected, then try again.",
            source=path.name,
        ) from None
    if len(data) > limits.max_bytes:
        raise _too_large(path.name, None, limits.max_bytes)
    return read_bytes(data, filename=path.name, limits=limits, language=language)


def read_bytes(
    data: bytes, *, filename: str, limits: ReadLimits | None = None, language: str | None = None
) -> Document:
    """Read an uploaded file's bytes; ``filename`` gives the extension checked against content."""
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise _too_large(filename, len(data), limits.max_bytes)
    fmt = resolve_format(data, filename)
    warnings: list[str] = []
    if fmt == "pdf":
        extraction = extract_pdf(data, limits, filename)
    elif fmt == "docx":
        extraction = extract_docx(data, limits, filename)
    else:
        decoded = decode_text(data, html=fmt == "html")
        if decoded.warning:
            warnings.append(decoded.warning)
        extraction = _extract_text_format(decoded.text, fmt)
    stem = PurePath(filename).stem or filename
    return _build(
        extraction,
        fmt=fmt,
        source=filename,
        language=language,
        fallback_title=stem,
        extra_warnings=warnings,
    )


def read_text(
    text: str,
    *,
    title: str | None = None,
    format: str = "text",
    language: str | None = None,
    source: str = "<text>",
) -> Document:
    """Read text already in memory; ``format`` is "text", "markdown" or "html"."""
    fmt = {"txt": "text", "md": "markdown", "htm": "html"}.get(format, format)
    if fmt not in TEXT_FORMATS:
        raise UnsupportedFormat(
            f"read_text cannot read format {format!r}; use 'text', 'markdown' or 'html', or "
            "read_document/read_bytes for PDF and Word files.",
            source=source,
        )
    extraction = _extract_text_format(text, fmt)
    if title:
        extraction.title = title
    return _build(
        extraction,
        fmt=fmt,
        source=source,
        language=language,
        fallback_title=title or "Untitled document",
        extra_warnings=[],
        forced_title=title,
    )


def _extract_text_format(text: str, fmt: str) -> Extraction:
    if fmt == "html":
        return extract_html(text)
    if fmt == "markdown":
        return extract_markdown(text)
    return extract_text(text)


def _build(
    extraction: Extraction,
    *,
    fmt: str,
    source: str,
    language: str | None,
    fallback_title: str,
    extra_warnings: list[str],
    forced_title: str | None = None,
) -> Document:
    blocks = list(segment(extraction.blocks))
    if not any(block.text.strip() for block in blocks):
        raise EmptyDocument(
            f"{source!r} contains no text to analyse. Check that you chose the right file; if "
            "it is a scan, run OCR on it first (for example with ocrmypdf).",
            source=source,
        )
    sample = "\n".join(block.text for block in blocks if block.role != "footnote")
    warnings = list(extraction.warnings) + extra_warnings
    contradicted = None
    if language:
        code = language.strip().lower().split("-")[0].split("_")[0] or "und"
        contradicted = contradicting(code, sample)
        if contradicted is not None:
            warnings.append(
                f"The document was to be read as {language_name(code)}, but its text is in "
                f"{language_name(contradicted.code)}: read with the {language_name(code)} cues "
                f"it yields little. Check it again as {language_name(contradicted.code)} (or "
                "with the language detected)."
            )
    else:
        guess = detect_language(sample)
        code = guess.code
        if code not in SUPPORTED_LANGUAGES:
            if code == "und":
                warnings.append(
                    "The language of the document could not be recognised; ungpkit analyses "
                    "English, French, Spanish and Korean. Pass the language explicitly if you "
                    "know it."
                )
            else:
                warnings.append(
                    f"The document appears to be in {language_name(code)}, which ungpkit cannot "
                    "analyse yet (it reads English, French, Spanish and Korean). Findings will "
                    "be unreliable; use an official translation if there is one."
                )
    text, result = build_structure(blocks, code)
    warnings.extend(result.warnings)
    if code != "und" and contradicted is None:
        warnings.extend(
            foreign_parts(
                [p.text for p in result.passages if p.kind not in ("heading", "footnote")], code
            )
        )
    title = forced_title or extraction.title or fallback_title
    title = " ".join(title.split())
    return Document(
        title=title,
        language=code,
        source=source,
        format=fmt,
        text=text,
        units=result.units,
        passages=result.passages,
        pages=extraction.pages,
        warnings=tuple(dict.fromkeys(warnings)),
    )
