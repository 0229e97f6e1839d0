"""Build passages and the unit tree from clean blocks: the format-independent heart of reading."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from .blocks import Block
from .locators import (
    footnote_locator,
    is_paragraph_style,
    item_locator,
    paragraph_sign,
    recital_locator,
    unnumbered_locator,
    words,
)
from .model import Passage, PassageKind, Unit
from .normalise import slug
from .numbering import (
    AMBIGUOUS_ROMAN,
    ENACTING_RE,
    FINAL_FORMULA_RE,
    RECITAL_LABEL_RE,
    RECITALS_INTRO_RE,
    HeadingMarker,
    ItemMarker,
    inline_splits,
    looks_like_title,
    match_heading,
    match_item,
)

GROUP_RANKS = {"part": 0, "title": 1, "chapter": 2, "section": 3, "subsection": 4}
GROUP_PREFIX = {
    "part": "pt",
    "title": "tit",
    "chapter": "cpt",
    "section": "sec",
    "subsection": "ssec",
}
TITLE_HINTS = frozenset({"article-title", "group-title", "annex-title"})
HEADING_HINTS = frozenset({"article", "group", "annex", "doc-title"})
LENIENT_TOP_STYLES = frozenset({"dot-num", "circled", "roman-dot", "paren-num"})
_NOTE_LABEL_RE = re.compile(r"^\(?(\d{1,4}|\*{1,3}|[a-z]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)[).]?(?=\s|$)")


@dataclass(eq=False)
class _Node:
    kind: str
    number: str | None
    title: str | None
    locator: str
    id: str
    parent: _Node | None
    rank: int = 0
    in_annex: bool = False
    children: list[_Node] = field(default_factory=list)
    passages: list[_Record] = field(default_factory=list)
    unnumbered: list[_Record] = field(default_factory=list)
    marker: ItemMarker | None = None
    bullets: int = 0


@dataclass(eq=False)
class _Record:
    start: int
    end: int
    kind: PassageKind
    node: _Node
    id: str = ""
    locator: str = ""
    heading: str | None = None
    generic_heading: str | None = None
    page: int | None = None
    unnumbered: bool = False


@dataclass
class _Open:
    style: str
    value: int
    node: _Node


@dataclass
class StructureResult:
    """Passages and units found in a text, with notes for the reader."""

    passages: tuple[Passage, ...]
    units: tuple[Unit, ...]
    structured: bool
    warnings: list[str]


class _Builder:
    def __init__(self, text: str, language: str, blocks: Sequence[tuple[Block, int]]) -> None:
        self.text = text
        self.language = language
        self.blocks = blocks
        self.vocab = words(language)
        self.root = _Node("root", None, None, "", "", None, rank=-2)
        self.groups: list[_Node] = []  # open groupings (and an annex at the bottom)
        self.container: _Node | None = None  # article, annex or grouping that holds items
        self.items: list[_Open] = []
        self.records: list[_Record] = []
        self.zone = "start"
        self.pending_title: _Node | None = None
        self.generic_heading: str | None = None
        self.sign_count = 0
        self.preamble_count = 0
        self.heading_count = 0
        self.note_count = 0
        self.last_recital: _Node | None = None
        self.page_starts: list[int] = []
        self.page_numbers: list[int] = []
        self._node_ids: set[str] = set()
        self._scan()

    # -- document-level decisions ---------------------------------------------------------
    def _scan(self) -> None:
        articles = sections = groups = 0
        for block, _ in self.blocks:
            if block.role == "footnote":
                continue
            marker = match_heading(block.text, heading_role=block.role == "heading")
            if marker is None:
                continue
            if marker.kind == "article" and marker.family == "section":
                sections += 1
            elif marker.kind == "article":
                articles += 1
            elif marker.family == "section":
                sections += 1
            else:
                groups += 1
        self.has_articles = articles > 0
        self.sections_as_articles = articles == 0 and sections > 0
        self.structured = self.has_articles or self.sections_as_articles or groups > 0

    # -- helpers ----------------------------------------------------------------------------
    def _page(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        index = bisect_right(self.page_starts, offset) - 1
        return self.page_numbers[index] if index >= 0 else self.page_numbers[0]

    def _add(
        self,
        start: int,
        end: int,
        kind: PassageKind,
        node: _Node,
        *,
        id: str = "",
        locator: str = "",
        unnumbered: bool = False,
    ) -> _Record | None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end <= start:
            return None
        record = _Record(
            start,
            end,
            kind,
            node,
            id,
            locator,
            page=self._page(start),
            generic_heading=self.generic_heading,
            unnumbered=unnumbered,
        )
        self.records.append(record)
        node.passages.append(record)
        if unnumbered:
            node.unnumbered.append(record)
        return record

    def _top(self) -> _Node:
        return self.groups[-1] if self.groups else self.root

    def _new_node(
        self,
        kind: str,
        number: str | None,
        title: str | None,
        locator: str,
        node_id: str,
        parent: _Node,
        rank: int,
    ) -> _Node:
        node = _Node(
            kind,
            number,
            title,
            locator,
            node_id,
            parent,
            rank,
            in_annex=parent.in_annex or kind == "annex",
        )
        parent.children.append(node)
        return node

    def _enter_body(self) -> None:
        if self.zone in ("start", "preamble", "recitals", "enacted", "final"):
            self.zone = "body"
        self.last_recital = None

    # -- blocks -----------------------------------------------------------------------------
    def run(self) -> None:
        for block, offset in self.blocks:
            if block.page is not None and (
                not self.page_numbers or self.page_numbers[-1] != block.page
            ):
                self.page_starts.append(offset)
                self.page_numbers.append(block.page)
            for position, page in block.page_breaks:
                self.page_starts.append(offset + position)
                self.page_numbers.append(page)
            self._block(block, offset)

    def _block(self, block: Block, offset: int) -> None:
        text = block.text
        end = offset + len(text)
        if block.role == "footnote":
            self._footnote(offset, end)
            return
        heading_role = block.role == "heading" or block.hint in HEADING_HINTS
        pending = self.pending_title
        self.pending_title = None
        if pending is not None and (
            block.hint in TITLE_HINTS
            or (
                looks_like_title(text)
                and (heading_role or not text.endswith("."))
                and match_heading(text, heading_role=heading_role) is None
                and not RECITAL_LABEL_RE.match(text)
            )
        ):
            pending.title = text.rstrip(".").strip() if block.hint not in TITLE_HINTS else text
            self._add(
                offset, end, "heading", pending, id=f"{pending.id}-t", locator=pending.locator
            )
            return
        if block.hint == "doc-title" and self.zone == "start" and match_heading(text) is None:
            self._add(offset, end, "heading", self.root, id="title", locator=self.vocab["title"])
            return
        if (
            block.role == "heading"
            and (block.level or 1) == 1
            and self.zone == "start"
            and not any(r.id == "title" for r in self.records)
            and match_heading(text, heading_role=True) is None
        ):
            self._add(offset, end, "heading", self.root, id="title", locator=self.vocab["title"])
            return
        if block.hint == "final" or (
            self.zone == "body" and FINAL_FORMULA_RE.match(text) and len(text) < 300
        ):
            self._close_container()
            self.zone = "final"
        marker = match_heading(text, heading_role=heading_role)
        if marker is not None and (
            self.zone != "final" or marker.kind in ("annex", "supplementary")
        ):
            self._heading(marker, offset, end, block)
            return
        if self.has_articles and self.zone in ("start", "preamble", "recitals"):
            if RECITALS_INTRO_RE.match(text):
                self.zone = "recitals"
                self._preamble(offset, end)
                return
            if len(text) < 300 and ENACTING_RE.search(text):
                self.zone = "enacted"
                self._preamble(offset, end)
                return
            if self._recital(text, offset, end, block):
                return
        if block.role == "heading":
            self._generic_heading(offset, end, text)
            return
        self._body(offset, end)

    def _preamble(self, start: int, end: int) -> None:
        self.preamble_count += 1
        self._add(
            start,
            end,
            "preamble",
            self.root,
            id=f"pre-{self.preamble_count}",
            locator=self.vocab["preamble"],
        )

    def _footnote(self, start: int, end: int) -> None:
        self.note_count += 1
        match = _NOTE_LABEL_RE.match(self.text[start:end])
        label = match.group(1) if match else str(self.note_count)
        label_slug = slug(label) or str(self.note_count)
        self._add(
            start,
            end,
            "footnote",
            self.root,
            id=f"fn-{label_slug}",
            locator=footnote_locator(label, self.language),
        )

    def _generic_heading(self, start: int, end: int, text: str) -> None:
        owner = self.container or self._top()
        self.heading_count += 1
        self.items.clear()
        if owner is self.root:
            self.sign_count += 1
            self.generic_heading = text
            self._add(
                start,
                end,
                "heading",
                owner,
                id=f"h-{self.sign_count:04d}",
                locator=paragraph_sign(self.sign_count),
            )
        else:
            self._add(
                start,
                end,
                "heading",
                owner,
                id=f"{owner.id}-h{self.heading_count}",
                locator=owner.locator,
            )

    def _recital(self, text: str, start: int, end: int, block: Block) -> bool:
        labelled = RECITAL_LABEL_RE.match(text)
        item = match_item(text)
        number: str | None = None
        if labelled is not None:
            number = labelled.group(1)
        elif item is not None and item.style == "paren-num":
            number = item.label
        if number is None:
            if self.zone == "recitals" and self.last_recital is not None:
                node = self.last_recital
                count = len(node.passages) + 1
                self._add(
                    start, end, "recital", node, id=f"{node.id}-{count}", locator=node.locator
                )
                return True
            if self.zone in ("start", "preamble", "recitals"):
                self.zone = "preamble" if self.zone == "start" else self.zone
                self._preamble(start, end)
                return True
            return False
        self.zone = "recitals"
        node = self._new_node(
            "recital",
            number,
            None,
            recital_locator(number, self.language),
            self._unique_node_id(f"rct-{number}"),
            self.root,
            99,
        )
        self.last_recital = node
        self._add(start, end, "recital", node, id=node.id, locator=node.locator)
        return True

    # -- headings ---------------------------------------------------------------------------
    def _close_container(self) -> None:
        self.items.clear()
        self.container = None

    def _heading(self, marker: HeadingMarker, start: int, end: int, block: Block) -> None:
        self._enter_body()
        self.generic_heading = None
        kind = marker.kind
        if marker.family == "section":
            kind = "article" if self.sections_as_articles else "section"
        head_end = start + marker.head_end
        if kind in ("annex", "supplementary"):
            self._close_container()
            self.groups.clear()
            if kind == "supplementary":
                base = "sp"
            else:
                base = f"anx-{slug(marker.number)}" if marker.number else "anx"
            node = self._new_node(
                "annex",
                marker.number,
                marker.title,
                marker.label,
                self._unique_node_id(base),
                self.root,
                -1,
            )
            node.in_annex = True
            self.groups.append(node)
            self.container = node
        elif kind == "article":
            self._close_container()
            while self.groups and self.groups[-1].kind == "article":
                self.groups.pop()
            if marker.label.lower().startswith("disp"):
                # Spanish additional, transitional and final provisions stand outside titles.
                while self.groups and self.groups[-1].kind != "annex":
                    self.groups.pop()
            parent = self._top()
            prefix = "sec" if marker.family == "section" else "art"
            if marker.label.lower().startswith("disp"):
                prefix = "disp"
            number_slug = slug(marker.number or "")
            annex = next((g for g in reversed(self.groups) if g.kind == "annex"), None)
            node_id = f"{prefix}-{number_slug}" if number_slug else prefix
            locator = marker.label
            if annex is not None:
                node_id = f"{annex.id}-{node_id}"
                locator = f"{annex.locator.split(' <')[0].split(' (')[0]} {marker.label}"
            node = self._new_node(
                "article",
                marker.number,
                marker.title,
                locator,
                self._unique_node_id(node_id),
                parent,
                10,
            )
            self.container = node
        else:
            rank = GROUP_RANKS[kind]
            self._close_container()
            while self.groups and self.groups[-1].kind != "annex" and self.groups[-1].rank >= rank:
                self.groups.pop()
            parent = self._top()
            own = f"{GROUP_PREFIX[kind]}-{slug(marker.number or '') or 'x'}"
            node_id = f"{parent.id}-{own}" if parent.kind != "root" else own
            locator = marker.label
            if parent.in_annex:
                locator = f"{parent.locator}, {marker.label}"
            node = self._new_node(
                kind if kind != "subsection" else "section",
                marker.number,
                marker.title,
                locator,
                self._unique_node_id(node_id),
                parent,
                rank,
            )
            node.rank = rank
            self.groups.append(node)
            self.container = node
        self._add(start, head_end, "heading", node, id=f"{node.id}-h", locator=node.locator)
        if node.kind == "article" and node not in self.groups:
            self.groups.append(node)
        if marker.title is None and marker.body_start >= len(block.text):
            self.pending_title = node
        if marker.body_start < len(block.text):
            self._body(start + marker.body_start, end)

    def _unique_node_id(self, base: str) -> str:
        candidate = base
        counter = 2
        while candidate in self._node_ids:
            candidate = f"{base}-{counter}"
            counter += 1
        self._node_ids.add(candidate)
        return candidate

    # -- body text ----------------------------------------------------------------------------
    def _body(self, start: int, end: int) -> None:
        text = self.text[start:end]
        if self.zone in ("start",) and (self.has_articles or self.sections_as_articles):
            self.zone = "preamble"
        if self.zone in ("preamble", "recitals", "enacted"):
            self._preamble(start, end)
            return
        if self.zone == "final" or (not self.structured):
            self._plain(start, end, "closing" if self.zone == "final" else "text")
            return
        lead = match_item(text)
        pieces = [0, *inline_splits(text, lead)]
        previous: _Record | None = None
        for index, piece_start in enumerate(pieces):
            piece_end = pieces[index + 1] if index + 1 < len(pieces) else len(text)
            piece = text[piece_start:piece_end]
            whole = piece_start == 0 and piece_end == len(text)
            marker = lead if whole else match_item(piece)  # no inline points: the lead
            record = None
            if marker is not None:
                record = self._item(marker, start + piece_start, start + piece_end)
            if record is None and index > 0 and previous is not None:
                previous.end = start + len(text[:piece_end].rstrip())
                continue
            if record is None:
                record = self._unnumbered(start + piece_start, start + piece_end)
            previous = record

    def _plain(self, start: int, end: int, kind: PassageKind = "text") -> _Record | None:
        self.sign_count += 1
        return self._add(
            start,
            end,
            kind,
            self.root,
            id=f"p-{self.sign_count:04d}",
            locator=paragraph_sign(self.sign_count),
        )

    def _resolve(self, marker: ItemMarker) -> tuple[int, str, int] | None:
        readings = [(marker.style, marker.value)]
        if marker.alt_value is not None:
            readings.append((AMBIGUOUS_ROMAN[marker.style], marker.alt_value))
        stack = self.items
        for depth in range(len(stack) - 1, -1, -1):
            for style, value in readings:
                if stack[depth].style == style and (
                    value == stack[depth].value + 1 or style == "bullet"
                ):
                    return depth, style, value
        in_points = any(level.style in AMBIGUOUS_ROMAN for level in stack)
        ordered = readings if not in_points else sorted(readings, key=lambda r: r[1] != 1)
        for style, value in ordered:
            if value == 1 or style == "bullet":
                for depth, level in enumerate(stack):
                    if level.style == style:
                        return depth, style, value  # the same numbering restarts
                return len(stack), style, value
        for depth in range(len(stack) - 1, -1, -1):
            for style, value in readings:
                if stack[depth].style == style and value > stack[depth].value:
                    return depth, style, value
        if not stack and marker.style in LENIENT_TOP_STYLES:
            return 0, marker.style, marker.value
        return None

    def _item(self, marker: ItemMarker, start: int, end: int) -> _Record | None:
        resolved = self._resolve(marker)
        if resolved is None:
            return None
        depth, style, value = resolved
        container = self.container
        paragraph = depth == 0 and is_paragraph_style(style, self.language)
        top_level = container is None
        if top_level and depth == 0 and not paragraph:
            return None
        del self.items[depth:]
        parent = self.items[-1].node if self.items else (container or self.root)
        if style == "bullet":
            parent.bullets += 1
        effective = ItemMarker(style, marker.label, value, marker.end)
        locator = item_locator(
            parent.locator if parent.kind != "root" else "",
            effective,
            language=self.language,
            paragraph=paragraph,
            in_annex=parent.in_annex,
            top_level=top_level,
            ordinal=parent.bullets,
        )
        if top_level and not paragraph and parent.kind == "root":
            locator = locator.lstrip(", ")
        if container is not None and container.kind not in ("article", "annex") and depth == 0:
            noun = self.vocab["paragraph"].lower() if self.language != "ko" else ""
            if paragraph and noun:
                locator = f"{container.locator}, {noun} {marker.label}"
        own = f"t{parent.bullets}" if style == "bullet" else (slug(marker.label) or str(value))
        if parent.kind == "root":
            base = f"para-{own}" if paragraph else f"pt-{own}"
        else:
            base = f"{parent.id}-{own}"
        kind: PassageKind = "paragraph" if paragraph else "point"
        if parent.in_annex:
            kind = "annex"
        node = self._new_node(
            kind if kind != "annex" else ("paragraph" if paragraph else "point"),
            marker.label,
            None,
            locator,
            self._unique_node_id(base),
            parent,
            20 + depth,
        )
        node.marker = effective
        self.items.append(_Open(style, value, node))
        return self._add(start, end, kind, node, id=node.id, locator=node.locator)

    def _unnumbered(self, start: int, end: int) -> _Record | None:
        container = self.container
        if container is None:
            owner = self._top()
            if owner.kind == "root":
                return self._plain(start, end)
            return self._add(start, end, "text", owner, unnumbered=True)
        owner = container
        if self.items and self.items[0].node.kind == "paragraph":
            owner = self.items[0].node
        kind: PassageKind = "annex" if owner.in_annex else "paragraph"
        if owner.kind not in ("article", "annex", "paragraph", "point"):
            kind = "annex" if owner.in_annex else "text"
        return self._add(start, end, kind, owner, unnumbered=True)

    # -- result -------------------------------------------------------------------------------
    def finish(self) -> StructureResult:
        self._name_unnumbered(self.root)
        seen: set[str] = set()
        passages: list[Passage] = []
        placed: dict[int, tuple[tuple[str, ...], str | None]] = {}
        for record in self.records:
            record_id = record.id or f"p-{len(passages) + 1:04d}"
            candidate = record_id
            counter = 2
            while candidate in seen:
                candidate = f"{record_id}-{counter}"
                counter += 1
            seen.add(candidate)
            record.id = candidate
            path, title = self._placed(record.node, placed)
            if path and path[-1] == record.locator:
                path = path[:-1]
            passages.append(
                Passage(  # id, text, locator, kind, unit_path, heading, page, start, end
                    candidate,
                    self.text[record.start : record.end],
                    record.locator,
                    record.kind,
                    path,
                    title if title is not None else record.generic_heading,
                    record.page,
                    record.start,
                    record.end,
                )
            )
        units = tuple(self._freeze(child) for child in self.root.children)
        warnings: list[str] = []
        if not self.structured and len(passages) > 20:
            warnings.append(
                "No chapters, articles or sections were recognised, so passages are cited by "
                "paragraph number (¶ 1, ¶ 2, …)."
            )
        return StructureResult(tuple(passages), units, self.structured, warnings)

    def _placed(
        self, node: _Node, placed: dict[int, tuple[tuple[str, ...], str | None]]
    ) -> tuple[tuple[str, ...], str | None]:
        """The locators from the top down to ``node``, and the nearest unit title on the way
        (not a paragraph's, point's or recital's; an article without a title of its own has
        none: its chapter's title is not its subject); worked out once per node."""
        key = id(node)
        found = placed.get(key)
        if found is None:
            if node.kind == "root":
                found = ((), None)
            else:
                path, title = self._placed(node.parent, placed) if node.parent else ((), None)
                own_title = node.title and node.kind not in ("paragraph", "point", "recital")
                if node.kind == "article" or own_title:
                    title = node.title
                found = ((*path, node.locator), title)
            placed[key] = found
        return found

    def _name_unnumbered(self, node: _Node) -> None:
        records = node.unnumbered
        if records:
            is_item = node.kind in ("paragraph", "point")
            if node.kind == "article" and len(records) == 1:
                record = records[0]
                record.id = node.id
                record.locator = node.locator
                record.kind = "annex" if node.in_annex else "article"
            elif node.kind in ("article", "annex", "paragraph", "point"):
                offset = 2 if is_item else 1
                for index, record in enumerate(records):
                    ordinal = index + offset
                    record.id = f"{node.id}-s{ordinal}"
                    record.locator = unnumbered_locator(
                        node.locator, ordinal, language=self.language, after_number=is_item
                    )
            else:
                for index, record in enumerate(records):
                    record.id = f"{node.id}-p{index + 1}"
                    record.locator = node.locator
        for child in node.children:
            self._name_unnumbered(child)

    def _freeze(self, node: _Node) -> Unit:
        # Positional arguments: a frozen dataclass is built noticeably faster without keywords.
        return Unit(
            node.kind,
            node.number,
            node.title,
            node.locator,
            tuple([self._freeze(child) for child in node.children]),
            tuple([record.id for record in node.passages]),
        )


def build_structure(blocks: Sequence[Block], language: str) -> tuple[str, StructureResult]:
    """Join clean blocks into the document text and parse passages and units from it."""
    parts: list[str] = []
    placed: list[tuple[Block, int]] = []
    offset = 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            offset += 2
        placed.append((block, offset))
        parts.append(block.text)
        offset += len(block.text)
    text = "".join(parts)
    builder = _Builder(text, language, placed)
    builder.run()
    return text, builder.finish()
