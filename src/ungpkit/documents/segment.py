"""Turn extracted blocks into clean one-paragraph blocks, splitting where numbered units start."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .blocks import Block
from .normalise import clean, squash
from .numbering import continues_reference, looks_like_title, match_heading, starts_unit


def _emit(template: Block, lines: list[str]) -> Iterator[Block]:
    text = squash(" ".join(lines))
    if text:
        yield Block(text, template.role, template.level, template.page, template.hint, "join")


def segment(blocks: Iterable[Block]) -> Iterator[Block]:
    """Yield blocks whose text is whitespace-normalised and holds no line breaks."""
    for block in blocks:
        if block.normalised and block.lines == "join":
            yield block
            continue
        if block.lines == "join" or block.role != "body":
            if block.page_breaks:
                # PDF blocks come normalised already; keep offsets valid for page tracking.
                text = block.text
                if text and text == squash(text):
                    yield block
                    continue
            text = squash(block.text)
            if text:
                yield Block(
                    text,
                    block.role,
                    block.level,
                    block.page,
                    block.hint,
                    "join",
                    list(block.page_breaks),
                )
            continue
        lines = clean(block.text).split("\n")
        if block.lines == "each":
            for line in lines:
                yield from _emit(block, [line])
            continue
        current: list[str] = []
        expect_title = False
        for raw in lines:
            line = squash(raw)
            if not line:
                yield from _emit(block, current)
                current = []
                expect_title = False
                continue
            if expect_title:
                expect_title = False
                if looks_like_title(line) and not line.endswith("."):
                    yield from _emit(block, current)
                    yield from _emit(block, [line])
                    current = []
                    continue
            # A line that only carries on the sentence the previous line broke ("... referred
            # to in" / "Article 63. ...") neither opens a unit nor is a heading.
            continued = bool(current) and continues_reference(current[-1], line)
            if current and not continued and starts_unit(line):
                yield from _emit(block, current)
                current = []
            current.append(line)
            heading = None if continued else match_heading(line)
            if heading is not None and heading.body_start >= len(line):
                # A heading line stands alone; a bare marker may be followed by its title.
                yield from _emit(block, current)
                current = []
                expect_title = heading.title is None
        yield from _emit(block, current)
