"""The document model every reader produces: passages with exact offsets and a tree of units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

PassageKind = Literal[
    "preamble",
    "recital",
    "article",
    "paragraph",
    "point",
    "annex",
    "heading",
    "text",
    "footnote",
    "closing",
]
"""``closing``: the formula and signatures after the enacting terms ("Done at Brussels",
"Por tanto, Mando a todos los españoles", "La présente loi sera exécutée comme loi de
l'État"), which oblige nobody."""

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


def document_to_dict(document: Document) -> dict[str, Any]:
    """The document as plain JSON-able data (what :func:`document_from_dict` reads back)."""

    def unit(u: Unit) -> dict[str, Any]:
        return {
            "kind": u.kind,
            "number": u.number,
            "title": u.title,
            "locator": u.locator,
            "children": [unit(c) for c in u.children],
            "passage_ids": list(u.passage_ids),
        }

    return {
        "schema": "ungpkit.document/1",
        "title": document.title,
        "language": document.language,
        "source": document.source,
        "format": document.format,
        "text": document.text,
        "pages": document.pages,
        "warnings": list(document.warnings),
        "units": [unit(u) for u in document.units],
        "passages": [
            {
                "id": p.id,
                "locator": p.locator,
                "kind": p.kind,
                "unit_path": list(p.unit_path),
                "heading": p.heading,
                "page": p.page,
                "start": p.start,
                "end": p.end,
            }
            for p in document.passages
        ],
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    """Rebuild a document from :func:`document_to_dict`; passage texts come from the text."""

    def unit(u: dict[str, Any]) -> Unit:
        return Unit(
            kind=u["kind"],
            number=u["number"],
            title=u["title"],
            locator=u["locator"],
            children=tuple(unit(c) for c in u["children"]),
            passage_ids=tuple(u["passage_ids"]),
        )

    text = data["text"]
    passages = tuple(
        Passage(
            id=p["id"],
            text=text[p["start"] : p["end"]],
            locator=p["locator"],
            kind=p["kind"],
            unit_path=tuple(p["unit_path"]),
            heading=p["heading"],
            page=p["page"],
            start=p["start"],
            end=p["end"],
        )
        for p in data["passages"]
    )
    return Document(
        title=data["title"],
        language=data["language"],
        source=data["source"],
        format=data["format"],
        text=text,
        units=tuple(unit(u) for u in data["units"]),
        passages=passages,
        pages=data["pages"],
        warnings=tuple(data["warnings"]),
    )
