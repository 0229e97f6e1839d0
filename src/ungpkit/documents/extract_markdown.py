"""Markdown: ATX and setext headings, paragraphs, lists, quotes; inline markup removed."""

from __future__ import annotations

import re

from .blocks import Block, Extraction
from .normalise import clean

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE_RE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FOOTNOTE_RE = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_QUOTE_RE = re.compile(r"^ {0,3}>[ ]?")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_UNDERSCORE_RE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_LIST_STAR_RE = re.compile(r"^(\s*)[*+](\s+)", re.M)
_CODE_RE = re.compile(r"`([^`]+)`")
_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_ORDERED_RE = re.compile(r"^( *)(\d{1,9})([.)])(?=\s)")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_inline(text: str) -> str:
    """Remove Markdown inline markup (emphasis, links, code, HTML tags), keeping the words."""
    text = _IMAGE_RE.sub(r"\1", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _REF_LINK_RE.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _LIST_STAR_RE.sub(r"\1-\2", text)
    for _ in range(2):
        text = _EMPHASIS_RE.sub(r"\2", text)
    text = _STAR_RE.sub(r"\1", text)
    text = _UNDERSCORE_RE.sub(r"\1", text)
    text = _TAG_RE.sub("", text)
    return _ESCAPE_RE.sub(r"\1", text)


def extract_markdown(text: str) -> Extraction:
    """Blocks of a Markdown document; headings keep their level."""
    lines = clean(text).split("\n")
    blocks: list[Block] = []
    notes: list[Block] = []
    paragraph: list[str] = []
    title: str | None = None
    index = 0

    def flush() -> None:
        if paragraph:
            joined = "\n".join(paragraph)
            if joined.strip():
                blocks.append(Block(strip_inline(joined)))
            paragraph.clear()

    if lines and lines[0].strip() == "---":
        for end in range(1, min(len(lines), 60)):
            if lines[end].strip() in ("---", "..."):
                for meta in lines[1:end]:
                    key, _, value = meta.partition(":")
                    if key.strip().lower() == "title" and value.strip():
                        title = value.strip().strip("\"'")
                index = end + 1
                break
    fence: str | None = None
    runs: dict[int, tuple[int, int, str]] = {}  # by indent: first number, last, delimiter
    while index < len(lines):
        line = lines[index]
        index += 1
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                flush()
            else:
                paragraph.append(line)
            continue
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        atx = _ATX_RE.match(line)
        if atx:
            runs.clear()
            flush()
            content = strip_inline(atx.group(2) or "").strip()
            if content:
                blocks.append(Block(content, role="heading", level=len(atx.group(1))))
            continue
        if not line.strip():
            flush()
            continue
        setext = _SETEXT_RE.match(line)
        if setext and paragraph and len(paragraph) >= 1 and not _is_list_line(paragraph[-1]):
            heading = paragraph.pop()
            flush()
            level = 1 if setext.group(1).startswith("=") else 2
            blocks.append(Block(strip_inline(heading).strip(), role="heading", level=level))
            continue
        if _RULE_RE.match(line):
            flush()
            continue
        note = _FOOTNOTE_RE.match(line)
        if note:
            flush()
            notes.append(Block(f"{note.group(1)} {strip_inline(note.group(2))}", role="footnote"))
            continue
        if _TABLE_SEP_RE.match(line):
            continue
        quoted = _QUOTE_RE.sub("", line)
        if quoted != line:
            line = quoted
        if line.lstrip().startswith("|"):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        line = _lazy_number(line, runs)
        paragraph.append(line)
    flush()
    if title is None:
        for block in blocks:
            if block.role == "heading":
                title = block.text
                break
    return Extraction(blocks + notes, title=title)


def _lazy_number(line: str, runs: dict[int, tuple[int, int, str]]) -> str:
    """Number an ordered list item as Markdown shows it when its author repeated the first
    number ("1." on every item is shown 1, 2, 3); other numbers stay as written. Each
    indent is its own list: a nested list neither continues nor restarts the outer one."""
    match = _ORDERED_RE.match(line)
    if match is None:
        if line.strip() and not line[:1].isspace():
            runs.clear()  # running text ends the lists
        return line
    indent = len(match.group(1))
    for deeper in [level for level in runs if level > indent]:
        del runs[deeper]  # back out of a nested list: it ended
    number, delimiter = int(match.group(2)), match.group(3)
    run = runs.get(indent)
    if run is not None and delimiter == run[2] and number == run[0] and run[1] >= number:
        shown = run[1] + 1
        runs[indent] = (run[0], shown, run[2])
        return f"{match.group(1)}{shown}{delimiter}{line[match.end() :]}"
    runs[indent] = (number, number, delimiter)
    return line


def _is_list_line(line: str) -> bool:
    return bool(re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line))
