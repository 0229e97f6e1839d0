"""The document model every reader produces: passages with exact offsets and a tree of units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PassageKind = Literal[
    "preamble", "recital", "article", "paragraph", "point", "annex", "heading", "text", "footnote"
]

OPERATIVE_KINDS: frozenset[str] = frozenset({"article", "paragraph", "point", "annex", "text"})


@dataclass(frozen=True)
class Passage:
    """A citable span of the document, such as a paragraph, a point or a recital."""

    id: str
    text: str
    locator: str
    kind: PassageKind
    unit_path: tuple[str, ...]
    heading: str | None
    page: int | None
    start: int
    end: int

    @property
    def operative(self) -> bool:
        """Whether the passage is part of the enacting terms rather than preamble or apparatus."""
        return self.kind in OPERATIVE_KINDS


@dataclass(frozen=True)
class Unit:
    """A numbered unit of the law (chapter, article, paragraph, ...) and the passages in it."""

    kind: str
    number: str | None
    title: str | None
    locator: str
    children: tuple[Unit, ...] = ()
    passage_ids: tuple[str, ...] = ()

    def walk(self) -> tuple[Unit, ...]:
        """This unit followed by all its descendants, depth first."""
        found: list[Unit] = [self]
        for child in self.children:
            found.extend(child.walk())
        return tuple(found)


@dataclass(frozen=True)
class Document:
    """A read document: its full text, its passages and its unit tree."""

    title: str
    language: str
    source: str
    format: str
    text: str
    units: tuple[Unit, ...]
    passages: tuple[Passage, ...]
    pages: int | None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A lookup table kept outside the dataclass fields (so asdict() and == ignore it).
        object.__setattr__(self, "_by_id", {p.id: p for p in self.passages})

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id; raises KeyError if there is none."""
        by_id: dict[str, Passage] = self.__dict__["_by_id"]
        try:
            return by_id[passage_id]
        except KeyError:
            raise KeyError(f"No passage with id {passage_id!r} in {self.source}") from None

    def find(self, locator: str) -> Passage | None:
        """The first passage whose locator is exactly ``locator``, or None."""
        for passage in self.passages:
            if passage.locator == locator:
                return passage
        return None

    def all_units(self) -> tuple[Unit, ...]:
        """Every unit of the tree, depth first."""
        found: list[Unit] = []
        for unit in self.units:
            found.extend(unit.walk())
        return tuple(found)

    def operative_passages(self) -> tuple[Passage, ...]:
        """The passages of the enacting terms and annexes."""
        return tuple(p for p in self.passages if p.operative)
