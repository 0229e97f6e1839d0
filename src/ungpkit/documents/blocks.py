"""Blocks: what format-specific extractors hand to the shared structure parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockRole = Literal["body", "heading", "footnote"]
LineMode = Literal["join", "split", "each"]


@dataclass
class Block:
    """One paragraph-like piece of extracted text with layout hints.

    ``role`` says how the source presented it (a heading style, a footnote area); ``hint`` carries
    format knowledge such as EUR-Lex classes ("article-title", "group-title", "doc-title",
    "recital", "final"); ``lines`` says what line breaks mean: "join" (none matter), "split"
    (wrapped lines, but a line starting a numbered unit starts a new block) or "each" (every
    line is a paragraph). ``page_breaks`` lists (offset in ``text``, page) where a new page
    starts inside the block (PDF). ``normalised`` says the extractor already cleaned the text
    and collapsed its whitespace (``squash`` would leave it as it is), so it is used as is.
    """

    text: str
    role: BlockRole = "body"
    level: int | None = None
    page: int | None = None
    hint: str | None = None
    lines: LineMode = "split"
    page_breaks: list[tuple[int, int]] = field(default_factory=list)
    normalised: bool = False


@dataclass
class Extraction:
    """The result of a format extractor: blocks plus document-level facts."""

    blocks: list[Block]
    title: str | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
