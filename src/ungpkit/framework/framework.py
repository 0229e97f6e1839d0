"""The loaded framework: every principle, right, grid and vocabulary, indexed by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ungpkit.framework.models import Element, Grid, Pillar, Principle, Right, Term, Vocabulary

Entry = Pillar | Principle | Right | Grid | Element | Vocabulary | Term


@dataclass
class Framework:
    """All framework data, validated. Look things up with :meth:`get` or the typed accessors."""

    pillars: list[Pillar]
    principles: list[Principle]
    rights: list[Right]
    vocabularies: list[Vocabulary]
    grids: list[Grid]
    _index: dict[str, Entry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for entry in self.entries():
            self._index.setdefault(entry.id, entry)

    def entries(self) -> list[Entry]:
        """Every entry, in a stable order (pillars, principles, rights, grids, vocabularies)."""
        found: list[Entry] = [*self.pillars, *self.principles, *self.rights]
        for grid in self.grids:
            found.append(grid)
            found.extend(grid.elements)
        for vocabulary in self.vocabularies:
            found.append(vocabulary)
            found.extend(vocabulary.terms)
        return found

    def get(self, identifier: str) -> Entry:
        """Return the entry with ``identifier`` (case-insensitive) or raise ``KeyError``."""
        key = identifier.strip()
        if key in self._index:
            return self._index[key]
        lowered = key.lower()
        if lowered in self._index:
            return self._index[lowered]
        raise KeyError(identifier)

    def grid(self, grid_id: str) -> Grid:
        """Return the grid ``grid_id`` or raise ``KeyError`` naming the grids there are."""
        for grid in self.grids:
            if grid.id == grid_id:
                return grid
        known = ", ".join(sorted(g.id for g in self.grids))
        raise KeyError(f"no grid {grid_id!r}; the grids are: {known}")

    def vocabulary(self, vocabulary_id: str) -> Vocabulary:
        """Return the vocabulary ``vocabulary_id`` or raise ``KeyError``."""
        for vocabulary in self.vocabularies:
            if vocabulary.id == vocabulary_id:
                return vocabulary
        raise KeyError(vocabulary_id)

    def principle(self, principle_id: str) -> Principle:
        """Return the principle ``gpN`` or raise ``KeyError``."""
        entry = self.get(principle_id)
        if not isinstance(entry, Principle):
            raise KeyError(principle_id)
        return entry

    def right(self, right_id: str) -> Right:
        """Return the right ``right.*`` or raise ``KeyError``."""
        entry = self.get(right_id)
        if not isinstance(entry, Right):
            raise KeyError(right_id)
        return entry

    def grid_of(self, element_id: str) -> Grid:
        """Return the grid an element belongs to."""
        for grid in self.grids:
            if any(element.id == element_id for element in grid.elements):
                return grid
        raise KeyError(element_id)

    def to_dict(self) -> dict[str, Any]:
        """The whole framework as plain data (what ``framework export`` writes)."""
        return {
            "pillars": [p.model_dump(exclude_none=True) for p in self.pillars],
            "principles": [p.model_dump(exclude_none=True) for p in self.principles],
            "rights": [r.model_dump(exclude_none=True) for r in self.rights],
            "grids": [g.model_dump(exclude_none=True) for g in self.grids],
            "vocabularies": [v.model_dump(exclude_none=True) for v in self.vocabularies],
        }
