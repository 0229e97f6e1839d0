"""Typed models of the framework data: principles, rights, grids and vocabularies.

Every YAML file under ``framework/data`` is validated against these models at load time.
Unknown keys are refused so that a typo in a hand-written grid never passes silently.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ko")
"""Languages every label must exist in; also the languages the analysis has cues for."""

Lang = Literal["en", "fr", "es", "ko"]

DOTTED_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_\-]*)*$"
DottedId = Annotated[str, StringConstraints(pattern=DOTTED_ID)]


class Model(BaseModel):
    """Base for framework models: immutable, strict about unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A label or sentence in every supported language."""

    en: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    fr: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    es: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    ko: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, falling back to English."""
        return str(getattr(self, lang, None) or self.en)


class Cues(Model):
    """Matching cues per language: phrases the analysis looks for.

    A cue is a phrase matched case-insensitively on word boundaries; a trailing ``*`` matches
    any word ending (``complain*`` matches "complaint", "complaints", "complainant"). Korean
    cues match inside words, since Korean attaches particles to nouns.
    """

    en: list[Annotated[str, StringConstraints(min_length=2)]] = Field(min_length=1)
    fr: list[Annotated[str, StringConstraints(min_length=2)]] = Field(min_length=1)
    es: list[Annotated[str, StringConstraints(min_length=2)]] = Field(min_length=1)
    ko: list[Annotated[str, StringConstraints(min_length=1)]] = Field(min_length=1)

    def get(self, lang: str) -> list[str]:
        """Return the cues for ``lang`` (an empty list for an unsupported language)."""
        value = getattr(self, lang, None)
        return list(value) if isinstance(value, list) else []


class InstrumentRef(Model):
    """A reference to an article of an international instrument."""

    instrument: Literal["UDHR", "ICCPR", "ICESCR", "CRC", "CRPD", "CEDAW", "ICERD", "ILO"]
    article: Annotated[str, StringConstraints(min_length=1)]
    note: str | None = None


class Pillar(Model):
    """One of the three pillars of the UNGPs."""

    id: Literal["protect", "respect", "remedy"]
    number: int = Field(ge=1, le=3)
    title: Text
    duty_bearer: Text


class Principle(Model):
    """One of the 31 Guiding Principles, summarised in our own words."""

    id: Annotated[str, StringConstraints(pattern=r"^gp([1-9]|[12][0-9]|3[01])$")]
    number: int = Field(ge=1, le=31)
    pillar: Literal["protect", "respect", "remedy"]
    foundational: bool = False
    title: Text
    summary: Text

    @model_validator(mode="after")
    def _id_matches_number(self) -> Principle:
        if self.id != f"gp{self.number}":
            raise ValueError(f"id {self.id!r} does not match number {self.number}")
        return self


class Right(Model):
    """A human right in the taxonomy, with its anchors in international law."""

    id: Annotated[str, StringConstraints(pattern=r"^right\.[a-z_]+$")]
    label: Text
    description: Text
    instruments: list[InstrumentRef] = Field(min_length=1)
    tech_examples: Text | None = None
    cues: Cues | None = None


class Stage(Model):
    """A stage or section of a grid (e.g. a stage of the UNGPs Compass)."""

    id: DottedId
    title: Text
    description: Text | None = None


class Facet(Model):
    """One aspect of an element: a law that shows every facet meets the element fully."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    label: Text
    cues: Cues


class Element(Model):
    """One assessment element of a grid, with what meeting it looks like and how to find it."""

    id: DottedId
    stage: DottedId
    title: Text
    meets: Text = Field(description="What a document shows when it meets the element.")
    partial: Text = Field(description="What a partial answer looks like.")
    recommendation: Text = Field(description="What to recommend when the element is absent.")
    ungp: list[DottedId] = Field(min_length=1)
    rights: list[DottedId] = Field(default_factory=list)
    cues: Cues
    facets: list[Facet] = Field(default_factory=list)
    exclude_cues: Cues | None = Field(
        default=None, description="Phrases that make a passage irrelevant to this element."
    )
    enabling_counts: bool = Field(
        default=False,
        description="An enabling provision ('the authority may impose fines') fully meets this "
        "element: it confers a power on a public body rather than imposing a duty.",
    )


GridKind = Literal["regulation", "report", "questionnaire"]


class Grid(Model):
    """An assessment grid: stages of elements with cues, used by the analysis."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9\-]*$")]
    kind: GridKind
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    title: Text
    description: Text
    source: str = Field(description="Where the grid's structure comes from.")
    stages: list[Stage] = Field(min_length=1)
    elements: list[Element] = Field(min_length=1)

    def element(self, element_id: str) -> Element:
        """Return the element with ``element_id`` or raise ``KeyError``."""
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)

    def stage(self, stage_id: str) -> Stage:
        """Return the stage with ``stage_id`` or raise ``KeyError``."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)


class Term(Model):
    """A term of a controlled vocabulary (a risk pattern, a remedy type, a criterion...)."""

    id: DottedId
    label: Text
    description: Text | None = None
    ungp: list[DottedId] = Field(default_factory=list)
    rights: list[DottedId] = Field(default_factory=list)
    cues: Cues | None = None


class Vocabulary(Model):
    """A named list of terms, such as the GP31 effectiveness criteria."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Text
    description: Text | None = None
    terms: list[Term] = Field(min_length=1)


class PrinciplesFile(Model):
    """Schema of ``principles.yaml``."""

    pillars: list[Pillar] = Field(min_length=3, max_length=3)
    principles: list[Principle] = Field(min_length=31, max_length=31)


class RightsFile(Model):
    """Schema of ``rights.yaml``."""

    rights: list[Right] = Field(min_length=1)


class VocabulariesFile(Model):
    """Schema of ``vocabularies.yaml``."""

    vocabularies: list[Vocabulary] = Field(min_length=1)


def id_prefix(identifier: str) -> str:
    """Return the first dotted segment of an id (``reg`` for ``reg.mix.guidance``)."""
    return re.split(r"\.", identifier, maxsplit=1)[0]
