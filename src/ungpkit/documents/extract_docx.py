"""Word (.docx): zip safety checks, then word/document.xml read directly with lxml."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped]

from .blocks import Block, BlockRole, Extraction
from .errors import CorruptDocument, EncryptedDocument, ZipBomb
from .limits import ReadLimits, human_size
from .numbering import MARKER_ONLY_RE, match_heading, match_item

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HIDDEN = frozenset({_MC_FALLBACK, f"{_W}moveFrom", f"{_W}del"})
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|titre|[üu]berschrift|t[íi]tulo|제목)\s*(\d)$", re.I)
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True
)


def check_zip(archive: zipfile.ZipFile, size: int, limits: ReadLimits, source: str) -> None:
    """Refuse archives that would expand to an unsafe size (zip bombs)."""
    infos = archive.infolist()
    if len(infos) > limits.max_zip_entries:
        raise ZipBomb(
            f"{source!r} contains {len(infos)} files inside its ZIP container, more than the "
            f"{limits.max_zip_entries} allowed; a Word document never needs that many. It may "
            "be malicious. Open it in Word and save it again, or export it as PDF.",
            source=source,
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise ZipBomb(
            f"{source!r} would expand to {human_size(total)} when unpacked, more than the "
            f"{human_size(limits.max_uncompressed_bytes)} allowed, so it was not opened (this is "
            "how 'zip bombs' attack servers). If it is a genuine document, save it again "
            "without embedded media, or split it (or raise UNGPKIT_MAX_UNCOMPRESSED_BYTES).",
            source=source,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
            raise ZipBomb(
                f"{source!r} contains {info.filename!r}, compressed {ratio:.0f} times (more than "
                f"{limits.max_compression_ratio:.0f}), which is typical of a 'zip bomb' and not "
                "of a real document, so it was not opened. Open it in Word and save it again, "
                "or export it as PDF.",
                source=source,
            )
    if total > 0 and size > 0 and total / size > limits.max_compression_ratio * 2:
        raise ZipBomb(
            f"{source!r} expands {total / size:.0f} times when unpacked, which is typical of a "
            "'zip bomb', so it was not opened. Save the document again or export it as PDF.",
            source=source,
        )


def _read_member(archive: zipfile.ZipFile, name: str, budget: int, source: str) -> bytes | None:
    """Read one member, never more than ``budget`` bytes whatever its header claims."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    with archive.open(info) as handle:
        data = handle.read(budget + 1)
    if len(data) > budget:
        raise ZipBomb(
            f"{source!r}: {name} expands beyond the {human_size(budget)} allowed (its size was "
            "misreported in the file), so it was not read. The file may be malicious.",
            source=source,
        )
    return data


def _parse(data: bytes, name: str, source: str) -> etree._Element:
    try:
        return etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as error:
        raise CorruptDocument(
            f"{source!r} is a damaged Word document: {name} cannot be parsed ({error}). Open it "
            "in Word and save it again (Word can often repair it), then try again.",
            source=source,
        ) from None


@dataclass
class _Numbering:
    """Word's automatic numbering: level formats per numId, with running counters."""

    formats: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)
    restarts: dict[tuple[str, int], int] = field(default_factory=dict)
    """``w:lvlRestart`` per level: 0 never restarts; n restarts when a level above n is used."""

    def label(self, num_id: str, level: int) -> str | None:
        fmt = self.formats.get((num_id, level))
        if fmt is None or num_id == "0":
            return None
        kind, text, start = fmt
        key = (num_id, level)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for other, other_level in list(self.counters):
            if other == num_id and other_level > level:
                # A deeper level restarts when this one is used, unless Word was told
                # otherwise (chapters numbered 1, 2, articles 1 to 9 across them).
                restart = self.restarts.get((other, other_level), other_level)
                if restart and level < restart:
                    del self.counters[(other, other_level)]
        if kind in ("bullet", "none"):
            return "•" if kind == "bullet" else None

        def value(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            number = self.counters.get(
                (num_id, lvl), self.formats.get((num_id, lvl), ("decimal", "", 1))[2]
            )
            fmt_kind = self.formats.get((num_id, lvl), ("decimal", "", 1))[0]
            return _format_number(number, fmt_kind)

        return re.sub(r"%(\d)", value, text).strip() or None


_GANADA = "가나다라마바사아자차카타파하"


def _format_number(number: int, kind: str) -> str:
    if kind == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26) * (1 + (number - 1) // 26)
    if kind == "upperLetter":
        return chr(ord("A") + (number - 1) % 26) * (1 + (number - 1) // 26)
    if kind in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman.lower() if kind == "lowerRoman" else roman
    if kind == "decimalEnclosedCircle" and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if kind in ("ganada", "chosung") and 1 <= number <= len(_GANADA):
        return _GANADA[number - 1]
    return str(number)


def _roman(number: int) -> str:
    pairs = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for value, letters in pairs:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _load_numbering(root: etree._Element | None, styles: etree._Element | None) -> _Numbering:
    numbering = _Numbering()
    if root is not None:
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        restarts: dict[str, dict[int, int]] = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            restart_of: dict[int, int] = {}
            for lvl in node.iter(f"{_W}lvl"):
                index = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                restart = lvl.find(f"{_W}lvlRestart")
                levels[index] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
                if restart is not None:
                    restart_of[index] = int(restart.get(f"{_W}val", str(index)))
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
            restarts[node.get(f"{_W}abstractNumId", "")] = restart_of
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            num_id = num.get(f"{_W}numId", "")
            for index, fmt in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                numbering.formats[(num_id, index)] = fmt
            for index, restart in restarts.get(ref.get(f"{_W}val", ""), {}).items():
                numbering.restarts[(num_id, index)] = restart
            for override in num.iter(f"{_W}lvlOverride"):
                start_override = override.find(f"{_W}startOverride")
                key = (num_id, int(override.get(f"{_W}ilvl", "0")))
                if start_override is not None and key in numbering.formats:
                    kind, text, _start = numbering.formats[key]
                    numbering.formats[key] = (kind, text, int(start_override.get(f"{_W}val", "1")))
    if styles is not None:
        for style in styles.iter(f"{_W}style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{_W}numId")
                ilvl = num_pr.find(f"{_W}ilvl")
                if num_id is not None:
                    numbering.style_num[style.get(f"{_W}styleId", "")] = (
                        num_id.get(f"{_W}val", "0"),
                        int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0,
                    )
    return numbering


def _style_names(styles: etree._Element | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if styles is None:
        return names
    for style in styles.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        style_id = style.get(f"{_W}styleId", "")
        names[style_id] = name.get(f"{_W}val", style_id) if name is not None else style_id
    return names


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in _visible(paragraph):
        tag = node.tag
        if tag == f"{_W}p" and node is not paragraph and parts:
            parts.append("\n")  # a paragraph of a text box inside this one
        elif tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _visible(node: etree._Element) -> Iterator[etree._Element]:
    """``node`` and its descendants in document order, without what Word does not show:
    the fallback copy of a text box or drawing (``mc:Fallback``, which repeats the
    ``mc:Choice``), and text a tracked change moved away (``w:moveFrom``) or deleted."""
    stack = [node]
    while stack:
        current = stack.pop()
        tag = current.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue
        yield current
        stack.extend(reversed(current))


def _inside_skipped(node: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag in (_MC_FALLBACK, f"{_W}del", f"{_W}txbxContent"):
            return True
        parent = parent.getparent()
    return False


def _cell_paragraphs(cell: etree._Element) -> list[etree._Element]:
    return [p for p in cell.iter(f"{_W}p") if not _inside_skipped(p)]


def _body_items(container: etree._Element) -> list[etree._Element | tuple[str, str]]:
    """Paragraphs in reading order; table rows laid out as [marker][text] become one item."""
    items: list[etree._Element | tuple[str, str]] = []
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            items.append(child)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                items.extend(_body_items(content))
        elif tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                if row.getparent() is not None and _nearest_table(row) is not child:
                    continue
                items.extend(_row_items(row))
    return items


def _nearest_table(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != f"{_W}tbl":
        parent = parent.getparent()
    return parent


def _row_items(row: etree._Element) -> list[etree._Element | tuple[str, str]]:
    cells = [c for c in row if c.tag == f"{_W}tc"]
    texts = [" ".join(_paragraph_text(p) for p in _cell_paragraphs(c)).strip() for c in cells]
    if len(cells) >= 2 and texts[0] and MARKER_ONLY_RE.match(texts[0]):
        rest: list[etree._Element | tuple[str, str]] = []
        for cell in cells[1:]:
            rest.extend(_body_items(cell))
        for index, item in enumerate(rest):
            if not isinstance(item, tuple):
                text = _paragraph_text(item).strip()
                if text:
                    rest[index] = ("marker", f"{texts[0]} {text}")
                    return rest
        return [("marker", texts[0]), *rest]
    if (
        len(cells) >= 2
        and all(len(_cell_paragraphs(c)) <= 1 for c in cells)
        and not any(c.find(f".//{_W}tbl") is not None for c in cells)
    ):
        row_text = " | ".join(t for t in texts if t)
        return [("row", row_text)] if row_text else []
    items: list[etree._Element | tuple[str, str]] = []
    for cell in cells:
        items.extend(_body_items(cell))
    return items


def extract_docx(data: bytes, limits: ReadLimits, source: str) -> Extraction:
    """Blocks of a Word document, with heading styles as hints and footnotes at the end."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise EncryptedDocument(
                f"{source!r} is a password-protected Word document. Remove the password in Word "
                "(File > Info > Protect Document) and save it again, then try again.",
                source=source,
            ) from None
        raise CorruptDocument(
            f"{source!r} is a damaged or truncated Word document (its ZIP container cannot be "
            "opened). Open it in Word and save it again, or export it as PDF, and try again.",
            source=source,
        ) from None
    with archive:
        check_zip(archive, len(data), limits, source)
        budget = limits.max_uncompressed_bytes
        try:
            document = _read_member(archive, "word/document.xml", budget, source)
            styles_xml = _read_member(archive, "word/styles.xml", budget, source)
            numbering_xml = _read_member(archive, "word/numbering.xml", budget, source)
            footnotes_xml = _read_member(archive, "word/footnotes.xml", budget, source)
            core_xml = _read_member(archive, "docProps/core.xml", budget, source)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise CorruptDocument(
                f"{source!r} is a damaged or truncated Word document ({error}). Open it in Word "
                "and save it again, or export it as PDF, and try again.",
                source=source,
            ) from None
    if document is None:
        raise CorruptDocument(
            f"{source!r} is a ZIP file without word/document.xml, so it is not a Word document "
            "that ungpkit can read. Export the text again as .docx or PDF.",
            source=source,
        )
    root = _parse(document, "word/document.xml", source)
    styles = _parse(styles_xml, "word/styles.xml", source) if styles_xml else None
    names = _style_names(styles)
    numbering = _load_numbering(
        _parse(numbering_xml, "word/numbering.xml", source) if numbering_xml else None, styles
    )
    blocks: list[Block] = []
    doc_title: str | None = None
    first_heading: str | None = None
    body = root.find(f"{_W}body")
    for item in _body_items(body) if body is not None else []:
        if isinstance(item, tuple):
            kind, row_text = item
            blocks.append(Block(row_text, lines="join" if kind == "row" else "split"))
            continue
        paragraph = item
        text = _paragraph_text(paragraph)
        style_id = ""
        num_ref: tuple[str, int] | None = None
        ppr = paragraph.find(f"{_W}pPr")
        outline: int | None = None
        if ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            if style is not None:
                style_id = style.get(f"{_W}val", "")
            num_pr = ppr.find(f"{_W}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{_W}numId")
                ilvl = num_pr.find(f"{_W}ilvl")
                if num_id is not None:
                    num_ref = (
                        num_id.get(f"{_W}val", "0"),
                        int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0,
                    )
            outline_node = ppr.find(f"{_W}outlineLvl")
            if outline_node is not None:
                outline = int(outline_node.get(f"{_W}val", "9")) + 1
        if num_ref is None and style_id in numbering.style_num:
            num_ref = numbering.style_num[style_id]
        if num_ref is not None and text.strip():  # a paragraph deleted whole takes no number
            label = numbering.label(*num_ref)
            stripped = text.strip()
            if (
                label
                and stripped
                and match_item(stripped) is None
                and match_heading(stripped, heading_role=True) is None
            ):
                text = f"{label} {stripped}" if label != "•" else f"- {stripped}"
        if not text.strip():
            continue
        name = names.get(style_id, style_id).strip().lower()
        role: BlockRole = "body"
        level: int | None = None
        hint: str | None = None
        heading = _HEADING_STYLE_RE.match(name) or _HEADING_STYLE_RE.match(style_id)
        if name in ("title", "titre", "título") or style_id.lower() == "title":
            role, level, hint = "heading", 1, "doc-title"
            doc_title = doc_title or " ".join(text.split())
        elif name in ("subtitle", "sous-titre", "subtítulo"):
            role, level = "heading", 2
        elif heading is not None:
            role, level = "heading", int(heading.group(1))
        elif outline is not None and outline <= 9:
            role, level = "heading", outline
        if role == "heading" and first_heading is None:
            first_heading = " ".join(text.split())
        blocks.append(Block(text, role=role, level=level, hint=hint, lines="split"))
    if doc_title is None and _plain_title(blocks):
        # A bill typed in Normal style with its name first: that line is the title, not a
        # preamble (it would be read as a statement of principle and cited as evidence).
        first = blocks[0]
        blocks[0] = Block(first.text, role="heading", level=1, hint="doc-title", lines="split")
        doc_title = " ".join(first.text.split())
    if footnotes_xml:
        notes = _parse(footnotes_xml, "word/footnotes.xml", source)
        number = 0
        for note in notes.iter(f"{_W}footnote"):
            if note.get(f"{_W}type") in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ):
                continue
            text = " ".join(_paragraph_text(p) for p in note.iter(f"{_W}p")).strip()
            if text:
                number += 1
                blocks.append(Block(f"{number} {text}", role="footnote", lines="join"))
    core_title: str | None = None
    if core_xml:
        try:
            core = etree.fromstring(core_xml, _XML_PARSER)
            node = core.find(_DC_TITLE)
            if node is not None and node.text and node.text.strip():
                core_title = node.text.strip()
        except etree.XMLSyntaxError:
            core_title = None
    return Extraction(blocks, title=core_title or doc_title or first_heading)


def _plain_title(blocks: list[Block]) -> bool:
    """Whether the first paragraph is a document's name written as body text: one short
    line without a final stop, not a unit heading, followed by a heading or a unit
    ("제1조(목적) 이 법은 ...")."""
    if len(blocks) < 2 or blocks[0].role != "body":
        return False
    if blocks[1].role != "heading" and match_heading(blocks[1].text.strip()) is None:
        return False
    text = blocks[0].text.strip()
    return (
        0 < len(text) <= 200
        and "\n" not in text
        and not text.endswith((".", ":", ";"))
        and match_heading(text) is None
        and match_item(text) is None
    )
