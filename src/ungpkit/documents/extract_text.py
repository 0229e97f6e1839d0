"""Plain text: paragraphs split on blank lines; hard-wrapped lines are joined."""

from __future__ import annotations

import re

from .blocks import Block, Extraction, LineMode
from .normalise import clean
from .numbering import starts_unit

_BLANK_RE = re.compile(r"\n[ \t\u00a0\u3000]*\n")


def line_mode(text: str) -> LineMode:
    """ "split" for hard-wrapped text (join lines), "each" when every line is a paragraph."""
    lengths = sorted(len(line.strip()) for line in text.split("\n") if line.strip())
    if len(lengths) < 4:
        return "split"
    has_blank = _BLANK_RE.search(text) is not None
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    near_full = sum(1 for n in lengths if n >= 0.7 * p90)
    wrapped = p90 <= 110 and near_full >= 0.5 * len(lengths)
    if wrapped or has_blank:
        return "split"
    return "each"


def extract_text(text: str) -> Extraction:
    """Blocks of a plain-text document (form feeds mark pages but are not kept)."""
    text = clean(text)
    mode = line_mode(text)
    blocks: list[Block] = []
    pages = text.count("\f") + 1 if "\f" in text else None
    page = 1
    for chunk_page, chunk in enumerate(text.split("\f"), start=1):
        page = chunk_page
        for paragraph in _BLANK_RE.split(chunk):
            if paragraph.strip():
                blocks.append(Block(paragraph, page=page if pages else None, lines=mode))
    title = None
    for line in text.split("\n"):
        if line.strip():
            title = line.strip() if len(line.strip()) <= 200 else None
            break
    if blocks and _is_title(blocks[0].text):
        blocks[0] = Block(
            blocks[0].text, role="heading", level=1, page=blocks[0].page, lines="join"
        )
    return Extraction(blocks, title=title, pages=pages)


def _is_title(paragraph: str) -> bool:
    """A short single first line, not numbered and not a sentence, is the document title."""
    line = paragraph.strip()
    if "\n" in line or not line or len(line) > 200 or line[-1] in ".;:,":
        return False
    return not starts_unit(line)
