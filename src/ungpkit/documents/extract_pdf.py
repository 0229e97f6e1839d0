"""PDF with pypdfium2: lines with position and font, running headers removed, paragraphs rebuilt."""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from .blocks import Block, BlockRole, Extraction
from .errors import CorruptDocument, EmptyDocument, EncryptedDocument, ScannedDocument, TooLarge
from .limits import ReadLimits
from .normalise import is_plain_ascii, squash
from .numbering import continues_reference, is_bare_heading, match_heading, starts_unit

_SOFT_HYPHENS = "\x02\ufffe\u00ad"
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:page|p\.|pág\.?|página|쪽|페이지)\s*)?[-–—]?\s*\d{1,4}\s*"
    r"(?:(?:/|of|de|sur|von)\s*\d{1,4})?\s*[-–—]?(?:\s*쪽)?$|^[-–—]\s*[ivxlc]{1,6}\s*[-–—]$",
    re.I,
)
_NOTE_START_RE = re.compile(r"^(?:\(\d{1,4}\)|\d{1,4}\s|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_PLACEHOLDER_TITLE_RE = re.compile(
    r"^(?:microsoft word\s*-|untitled|sans titre|sin título|document\d*$)|\.(?:docx?|pdf|rtf)$",
    re.I,
)


@dataclass(slots=True)
class _Line:
    text: str
    page: int
    top: float  # distance from the top of the page, 0..1
    baseline: float  # PDF y of the line (larger is higher on the page)
    left: float
    right: float
    size: float
    bold: bool


def _unchecked(function: Any) -> Any:
    """A copy of a pdfium function without ctypes argument conversion (3x cheaper to call).

    Callers must pass exact ctypes values: Python ints only for C ``int`` parameters.
    """
    try:
        address = ctypes.cast(function, ctypes.c_void_p).value
        unchecked = type(function)(address)
        unchecked.restype = function.restype
    except (TypeError, ValueError, AttributeError, ctypes.ArgumentError):
        return function
    return unchecked


_GET_CHAR_BOX = _unchecked(pdfium_c.FPDFText_GetCharBox)
_GET_FONT_SIZE = _unchecked(pdfium_c.FPDFText_GetFontSize)
_GET_FONT_INFO = _unchecked(pdfium_c.FPDFText_GetFontInfo)
_GET_FONT_WEIGHT = _unchecked(pdfium_c.FPDFText_GetFontWeight)
_LINE_RE = re.compile(r"[^\r\n]+")
_JOINED_RE = re.compile(r"[^\r\n\x02\ufffe]+[\x02\ufffe]?")
"""A line of text as pdfium gives it, cut after each soft hyphen: pdfium joins a word
hyphenated across two lines into one line of text with no break, which would make one
"line" two lines tall (and the gap after it look like a paragraph break)."""


def _page_lines(page: pdfium.PdfPage, number: int) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        height = float(page.get_height()) or 1.0
        lines: list[_Line] = []
        if len(text) != count:
            # Character indices do not match the text (rare): keep order, not geometry.
            for match in _LINE_RE.finditer(text):
                stripped = match.group().strip()
                if stripped:
                    lines.append(
                        _Line(
                            stripped,
                            number,
                            0.5,
                            10_000.0 - 12.0 * len(lines),
                            0.0,
                            0.0,
                            0.0,
                            False,
                        )
                    )
            return lines
        raw_page = textpage.raw
        buffer = ctypes.create_string_buffer(128)
        buffer_size = ctypes.c_ulong(len(buffer))
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        box = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
        flags = ctypes.c_int()
        flags_ref = ctypes.byref(flags)
        # Every line between line breaks: its first and last character give its box, the first
        # one its font (size, and bold from the font name, weight or flags).
        named_bold: dict[bytes, bool] = {}
        for match in _JOINED_RE.finditer(text):
            raw = match.group()
            stripped = raw.strip()
            if not stripped:
                continue
            first = match.start() + len(raw) - len(raw.lstrip())
            if not _GET_CHAR_BOX(raw_page, first, *box):
                raise pdfium.PdfiumError("Failed to get charbox.")
            line_left, line_bottom, line_top = left.value, bottom.value, top.value
            if not _GET_CHAR_BOX(raw_page, first + len(stripped) - 1, *box):
                raise pdfium.PdfiumError("Failed to get charbox.")
            size = float(_GET_FONT_SIZE(raw_page, first))
            flags.value = 0
            _GET_FONT_INFO(raw_page, first, buffer, buffer_size, flags_ref)
            name = buffer.value
            bold = named_bold.get(name)
            if bold is None:
                lowered = name.decode("latin-1", "replace").lower()
                bold = named_bold[name] = "bold" in lowered or "black" in lowered
            bold = (
                bold or int(_GET_FONT_WEIGHT(raw_page, first)) >= 600 or bool(flags.value & 0x40000)
            )
            lines.append(
                _Line(
                    stripped,
                    number,
                    1.0 - line_top / height,
                    line_bottom,
                    line_left,
                    right.value,
                    size,
                    bold,
                )
            )
        return lines
    finally:
        textpage.close()


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == _PASSWORD_ERROR or "password" in str(error).lower():
            raise EncryptedDocument(
                f"{source!r} is protected by a password, so its text cannot be read. Open it "
                "with the password and save or print it as a PDF without protection (or ask the "
                "author for an unprotected copy), then try again.",
                source=source,
            ) from None
        raise CorruptDocument(
            f"{source!r} is a damaged or truncated PDF ({error}). Download or export it again "
            "and check that the whole file was saved, then try again.",
            source=source,
        ) from None


def _typical(lines: list[_Line]) -> tuple[float, float]:
    """The body font size and line spacing (median values)."""
    sizes = [line.size for line in lines if line.size > 0]
    body_size = statistics.median(sizes) if sizes else 0.0
    gaps: list[float] = []
    for previous, line in itertools.pairwise(lines):
        if previous.page == line.page and abs(previous.size - line.size) < 0.5:
            gap = previous.baseline - line.baseline
            if gap > 0:
                gaps.append(gap)
    leading = statistics.median(gaps) if gaps else (body_size * 1.2 or 12.0)
    return body_size, leading


def _set_apart(lines: list[_Line], index: int, body_size: float, leading: float) -> bool:
    """Whether a line at the top or bottom of a page stands apart from the body text."""
    line = lines[index]
    if body_size and abs(line.size - body_size) > 0.5:
        return True
    neighbour = index + 1 if index < len(lines) // 2 else index - 1
    if not 0 <= neighbour < len(lines):
        return True
    return abs(lines[neighbour].baseline - line.baseline) > 1.5 * leading


def _repeating(
    lines_by_page: dict[int, list[_Line]], body_size: float, leading: float
) -> set[tuple[int, int]]:
    """(page, line index) of running headers/footers and page numbers."""
    drop: set[tuple[int, int]] = set()
    counts: Counter[str] = Counter()
    candidates: list[tuple[int, int, str]] = []
    for page, lines in lines_by_page.items():
        seen: set[str] = set()
        edge = [i for i in (0, 1, len(lines) - 2, len(lines) - 1) if 0 <= i < len(lines)]
        for index in sorted(set(edge)):
            line = lines[index]
            if not (line.top < 0.1 or line.top > 0.9):
                continue
            if _PAGE_NUMBER_RE.match(line.text):
                drop.add((page, index))
                continue
            if not _set_apart(lines, index, body_size, leading):
                continue
            key = re.sub(r"\d+", "#", line.text.lower())
            candidates.append((page, index, key))
            if key not in seen:
                counts[key] += 1
                seen.add(key)
    pages = len(lines_by_page)
    if pages >= 2:
        threshold = max(2, int(0.5 * pages))
        for page, index, key in candidates:
            if counts[key] >= threshold:
                drop.add((page, index))
    return drop


def _blocks(lines: list[_Line]) -> list[Block]:
    body_size, leading = _typical(lines)
    max_right: dict[int, float] = {}
    for line in lines:
        max_right[line.page] = max(max_right.get(line.page, 0.0), line.right)

    blocks: list[Block] = []
    current: list[_Line] = []

    def role_of(line: _Line) -> BlockRole:
        if line.size and body_size and line.size < 0.85 * body_size and line.top > 0.5:
            return "footnote"
        if len(line.text) <= 150 and (
            (body_size and line.size >= 1.15 * body_size) or (line.bold and body_size)
        ):
            return "heading"
        return "body"

    def flush() -> None:
        if not current:
            return
        role = role_of(current[0])
        text = ""
        breaks: list[tuple[int, int]] = []
        page = current[0].page
        glue = False
        pieces: list[_Line] = current
        joined = " ".join(line.text for line in current)
        plain = current[-1].page == page and is_plain_ascii(joined)
        if plain:
            # One page of plain ASCII lines (no soft hyphen either): the same text as joining
            # the squashed lines one by one and squashing the result, in a single pass.
            text = " ".join(joined.split())
            pieces = []
        for line in pieces:
            raw = line.text.rstrip()
            piece = squash(raw)
            if not piece:
                continue
            if text and not glue:
                text += " "
            if line.page != page:
                page = line.page
                breaks.append((len(text), page))
            text += piece
            # A soft hyphen at the end of a line joins the word with the next line.
            glue = raw.endswith(tuple(_SOFT_HYPHENS))
        if not plain:
            text = squash(text)
        if role == "heading" and len(text) > 200:
            role = "body"  # a bold paragraph, not a heading
        if text:
            level = (
                1
                if role == "heading" and current[0].size >= 1.4 * body_size
                else (2 if role == "heading" else None)
            )
            blocks.append(
                Block(
                    text,
                    role=role,
                    level=level,
                    page=current[0].page,
                    lines="join",
                    page_breaks=[b for b in breaks if b[0] < len(text)],
                    normalised=True,
                )
            )
        current.clear()

    # Footnotes: small lines below the last body-size line of the page, that is pages whose
    # last line is small.
    last_of_page: dict[int, _Line] = {}
    for line in lines:
        last_of_page[line.page] = line
    footnote_zone = {
        page for page, line in last_of_page.items() if line.size and line.size < 0.85 * body_size
    }

    roles = [role_of(line) for line in lines]
    for index, line in enumerate(lines):
        role = roles[index]
        if role == "footnote" and line.page not in footnote_zone:
            role = "body"
        if not current:
            current.append(line)
            continue
        previous = current[-1]  # always the line before this one
        previous_role = roles[index - 1]
        new = False
        if role != previous_role:
            new = True
        elif role == "footnote":
            new = bool(_NOTE_START_RE.match(line.text))
        elif starts_unit(line.text):
            new = not continues_reference(previous.text, line.text)
        elif role == "heading":
            marker = match_heading(squash(" ".join(x.text for x in current)), heading_role=True)
            new = marker is not None or abs(line.size - previous.size) > 0.5
        elif previous.page == line.page:
            gap = previous.baseline - line.baseline
            if (
                gap > 1.45 * leading
                or gap < 0
                or (
                    previous.text.endswith((".", ":", ";"))
                    and (previous.right < 0.8 * max_right.get(previous.page, previous.right))
                )
            ):
                new = True
        else:
            new = previous.text.endswith((".", ":", ";")) and (
                previous.right < 0.8 * max_right.get(previous.page, previous.right)
            )
        if abs(line.size - previous.size) > 0.5 and role == "body" and previous_role == "body":
            new = True
        if not new and len(current) == 1 and role == "body" and is_bare_heading(previous.text):
            new = True  # "Article 5" in body type, then its title on the next line
        if new:
            flush()
        current.append(line)
    flush()
    return blocks


# PDFium is not thread-safe: one document at a time per process.
_PDFIUM_LOCK = threading.Lock()


def extract_pdf(data: bytes, limits: ReadLimits, source: str) -> Extraction:
    """Blocks of a PDF's text layer, with pages; raises on encrypted or scanned PDFs."""
    with _PDFIUM_LOCK:
        return _extract(data, limits, source)


def _extract(data: bytes, limits: ReadLimits, source: str) -> Extraction:
    pdf = _open(data, source)
    try:
        count = len(pdf)
        if count == 0:
            raise CorruptDocument(
                f"{source!r} is a PDF without any page; it is probably damaged or truncated. "
                "Download or export it again, then try again.",
                source=source,
            )
        if count > limits.max_pages:
            raise TooLarge(
                f"{source!r} has {count} pages, more than the {limits.max_pages} allowed. Split "
                "it (for example, the enacting terms and the annexes separately), or raise the "
                "page limit (--max-pages or UNGPKIT_MAX_PAGES; ReadLimits.max_pages in Python) "
                "and try again.",
                source=source,
            )
        title = None
        try:
            title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        except pdfium.PdfiumError:
            title = None
        if title is not None and _PLACEHOLDER_TITLE_RE.search(title):
            title = None
        lines_by_page: dict[int, list[_Line]] = {}
        empty_pages: list[int] = []
        image_pages = 0
        for index in range(count):
            page = pdf[index]
            try:
                lines = _page_lines(page, index + 1)
                if sum(len(line.text) for line in lines) < 5:
                    empty_pages.append(index + 1)
                    if _has_images(page):
                        image_pages += 1
                lines_by_page[index + 1] = lines
            finally:
                page.close()
    finally:
        pdf.close()
    warnings: list[str] = []
    if len(empty_pages) == count:
        if image_pages:
            raise ScannedDocument(
                f"{source!r} has {count} page(s) but no text layer: it is a scan or a picture of "
                "text. Run OCR on it first (for example `ocrmypdf input.pdf output.pdf`, or your "
                "scanner's 'searchable PDF' option), then try again with the new file.",
                source=source,
            )
        raise EmptyDocument(
            f"{source!r} has {count} page(s) but no text at all. Check that it is the right "
            "file; if the pages are scans, run OCR (for example with ocrmypdf) and try again.",
            source=source,
        )
    scanned_share = image_pages / count
    if empty_pages and scanned_share > 0:
        shown = ", ".join(str(p) for p in empty_pages[:10]) + ("…" if len(empty_pages) > 10 else "")
        warnings.append(
            f"{len(empty_pages)} of {count} pages have no text layer (pages {shown}); they look "
            "scanned and were not analysed. Run OCR (for example with ocrmypdf) to include them."
        )
    all_lines = [line for lines in lines_by_page.values() for line in lines]
    body_size, leading = _typical(all_lines)
    drop = _repeating(lines_by_page, body_size, leading)
    kept: list[_Line] = []
    for page, lines in lines_by_page.items():
        kept.extend(line for index, line in enumerate(lines) if (page, index) not in drop)
    blocks = _blocks(kept)
    if title is None:
        for block in blocks:
            if block.role == "heading":
                title = block.text
                break
    return Extraction(blocks, title=title, pages=count, warnings=warnings)
