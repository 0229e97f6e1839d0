"""HTML, including the EUR-Lex layouts: official journal (``oj-*``), older and consolidated."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .blocks import Block, BlockRole, Extraction
from .numbering import MARKER_ONLY_RE

_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "svg",
        "button",
        "form",
        "iframe",
        "object",
        "select",
        "input",
        "textarea",
        "menu",
        "head",
        "link",
        "meta",
        "img",
        "map",
        "canvas",
        "video",
        "audio",
        "math",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "ul",
        "ol",
        "dl",
        "figure",
        "figcaption",
        "address",
        "hr",
        "center",
        "details",
        "summary",
        "body",
        "html",
        "fieldset",
        "legend",
        "colgroup",
    }
)
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

# EUR-Lex classes (new "oj-" layout, older layout and consolidated versions) -> (hint, role).
_CLASS_HINTS: dict[str, tuple[str, BlockRole]] = {
    "oj-doc-ti": ("doc-title", "heading"),
    "doc-ti": ("doc-title", "heading"),
    "title-doc-first": ("doc-title", "heading"),
    "title-doc-last": ("doc-title", "heading"),
    "oj-ti-art": ("article", "heading"),
    "ti-art": ("article", "heading"),
    "title-article-norm": ("article", "heading"),
    "oj-sti-art": ("article-title", "heading"),
    "sti-art": ("article-title", "heading"),
    "stitle-article-norm": ("article-title", "heading"),
    "oj-ti-section-1": ("group", "heading"),
    "ti-section-1": ("group", "heading"),
    "title-division-1": ("group", "heading"),
    "oj-ti-grseq-1": ("group", "heading"),
    "oj-ti-section-2": ("group-title", "heading"),
    "ti-section-2": ("group-title", "heading"),
    "title-division-2": ("group-title", "heading"),
    "title-annex-1": ("annex", "heading"),
    "title-annex-2": ("annex-title", "heading"),
    "oj-note": ("note", "footnote"),
    "note": ("note", "footnote"),
    "footnote": ("note", "footnote"),
    "footnotes": ("note", "footnote"),
    "oj-final": ("final", "body"),
    "final": ("final", "body"),
    "oj-signatory": ("final", "body"),
    "signatory": ("final", "body"),
}
_SKIP_CLASS_RE = re.compile(
    r"^(?:oj-)?hd-|^(?:oj-)?doc-sep$|^arrow$|^modref$|^disclaimer$|^linkToTop$|^reference$"
)
_WS_RE = re.compile(r"[ \t\r\n\f\u00a0]+")
_BR = "\u2028"
_ROOT_SELECTORS = ("#document1", "#TexteOnly", "#textTabContent", "#PP4Contents", "main")


def _classes(node: LexborNode) -> list[str]:
    value = node.attributes.get("class") if node.attributes else None
    return value.split() if value else []


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.prefix: str | None = None

    def flush(self, hint: str | None, role: BlockRole, level: int | None) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        text = _WS_RE.sub(" ", raw).replace(_BR, "\n").strip()
        if not text:
            return
        if self.prefix is not None:
            text = f"{self.prefix} {text}"
            self.prefix = None
        self.blocks.append(Block(text, role=role, level=level, hint=hint, lines="split"))

    def walk(
        self, node: LexborNode, hint: str | None, role: BlockRole, level: int | None, depth: int = 0
    ) -> None:
        if depth > 250:
            self.buffer.append(node.text(deep=True))
            return
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                self.buffer.append(child.text_content or "")
            else:
                self.visit(child, node, hint, role, level, depth)

    def visit(
        self,
        child: LexborNode,
        parent: LexborNode,
        hint: str | None,
        role: BlockRole,
        level: int | None,
        depth: int,
    ) -> None:
        tag = child.tag
        if tag is None or tag.startswith("-") or tag in _SKIP_TAGS:
            return
        attributes = child.attributes or {}
        if "hidden" in attributes or attributes.get("aria-hidden") == "true":
            return
        classes = _classes(child)
        if any(_SKIP_CLASS_RE.match(c) for c in classes):
            return
        if tag in ("header", "footer") and parent.tag == "body":
            return  # site banner and footer around the document
        if tag == "br":
            self.buffer.append(_BR)
            return
        child_hint, child_role, child_level = self._context(child, tag, classes, hint, role, level)
        if tag not in _BLOCK_TAGS and child_role == role and child_hint == hint:
            self.walk(child, hint, role, level, depth + 1)
            return
        self.flush(hint, role, level)
        if tag in ("tr", "div") and self._marker_row(
            child, child_hint, child_role, child_level, depth
        ):
            return
        if tag == "tr" and self._table_row(child, child_hint, child_role, child_level):
            return
        self.walk(child, child_hint, child_role, child_level, depth + 1)
        self.flush(child_hint, child_role, child_level)

    def _context(
        self,
        node: LexborNode,
        tag: str,
        classes: list[str],
        hint: str | None,
        role: BlockRole,
        level: int | None,
    ) -> tuple[str | None, BlockRole, int | None]:
        for name in classes:
            if name in _CLASS_HINTS:
                new_hint, new_role = _CLASS_HINTS[name]
                if new_role == "heading" and role == "footnote":
                    continue
                return new_hint, new_role if role != "footnote" else "footnote", level
        if tag in _HEADING_TAGS and role != "footnote":
            return hint, "heading", _HEADING_TAGS[tag]
        attributes = node.attributes or {}
        identifier = attributes.get("id") or ""
        node_role = attributes.get("role") or ""
        if (
            tag == "aside"
            or node_role in ("doc-footnote", "doc-endnotes", "doc-endnote")
            or (identifier in ("footnotes", "endnotes"))
        ):
            return "note", "footnote", None
        if identifier.startswith("rct_"):
            return "recital", role, level
        if identifier.startswith("fnp_"):
            return "final", role, level
        return hint, role, level

    def _marker_row(
        self, node: LexborNode, hint: str | None, role: BlockRole, level: int | None, depth: int
    ) -> bool:
        """Rows laid out as [marker cell][content cell] become one "marker content" block."""
        children = [
            c
            for c in node.iter(include_text=True)
            if (c.tag == "-text" and (c.text_content or "").strip())
            or (c.tag and not c.tag.startswith("-"))
        ]
        elements = [c for c in children if c.tag != "-text"]
        if len(elements) < 2 or len(elements) != len(children):
            return False
        first = _WS_RE.sub(" ", elements[0].text(deep=True)).strip()
        if not first or not MARKER_ONLY_RE.match(first):
            return False
        self.prefix = first
        for element in elements[1:]:
            self.visit(element, node, hint, role, level, depth + 1)
            self.flush(hint, role, level)
        if self.prefix is not None:
            self.buffer.append(self.prefix)
            self.prefix = None
            self.flush(hint, role, level)
        return True

    def _table_row(
        self, node: LexborNode, hint: str | None, role: BlockRole, level: int | None
    ) -> bool:
        """A row of simple cells becomes one block with cells separated by " | "."""
        cells = [c for c in node.iter() if c.tag in ("td", "th")]
        if len(cells) < 2:
            return False
        if any(_SKIP_CLASS_RE.match(c) for e in node.css("[class]") for c in _classes(e)):
            return False
        for cell in cells:
            if cell.css_first("table, ul, ol, div, h1, h2, h3, h4") is not None:
                return False
            if len(cell.css("p")) > 1:
                return False
        texts = [_WS_RE.sub(" ", cell.text(deep=True)).strip() for cell in cells]
        row = " | ".join(t for t in texts if t)
        if row:
            self.blocks.append(
                Block(row, role=role, level=level, hint=hint or "table-row", lines="join")
            )
        return True


def _document_title(parser: LexborHTMLParser, blocks: list[Block]) -> str | None:
    leading: list[str] = []
    for block in blocks:
        if block.hint == "doc-title":
            leading.append(block.text)
            if len(leading) == 4:
                break
        elif leading:
            break
    if leading:
        return " ".join(leading)
    for block in blocks:
        if block.role == "heading" and block.level == 1:
            return block.text
    node = parser.css_first("title")
    if node is not None:
        title = _WS_RE.sub(" ", node.text()).strip()
        if title and not re.match(r"^EUR-Lex\s*-\s*\d", title):
            return title
    return None


def extract_html(html: str) -> Extraction:
    """Blocks of an HTML document: script, style and navigation are dropped."""
    parser = LexborHTMLParser(html)
    root: LexborNode | None = None
    for selector in _ROOT_SELECTORS:
        root = parser.css_first(selector)
        if root is not None and (root.text(deep=True) or "").strip():
            break
        root = None
    if root is None:
        root = parser.body or parser.root
    walker = _Walker()
    if root is not None:
        walker.walk(root, None, "body", None)
        walker.flush(None, "body", None)
    blocks = walker.blocks
    body = [b for b in blocks if b.role != "footnote"]
    notes = [b for b in blocks if b.role == "footnote"]
    return Extraction(body + notes, title=_document_title(parser, blocks))
