"""Read the strength of an obligation and recognise exemptions, sentence by sentence.

The markers live in ``data/modality.yaml`` per language, so a new language is a data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from ungpkit.analysis.cues import CueMatch, CueSet

MODALITY_FILE = Path(__file__).parent / "data" / "modality.yaml"


class Strength(StrEnum):
    """How strongly a passage obliges someone, strongest first."""

    BINDING = "binding"
    BEST_EFFORTS = "best_efforts"
    VOLUNTARY = "voluntary"
    ASPIRATIONAL = "aspirational"

    @property
    def rank(self) -> int:
        """Higher is stronger."""
        return {"binding": 3, "best_efforts": 2, "voluntary": 1, "aspirational": 0}[self.value]


class _Markers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: list[str]
    fr: list[str]
    es: list[str]
    ko: list[str]


class _ModalityFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    best_efforts: _Markers
    binding: _Markers
    entitlement: _Markers
    voluntary: _Markers
    exemption_sentence: _Markers
    exemption_clause: _Markers
    exemption_void: _Markers
    exemption_waiver: _Markers
    beneficiary: _Markers


@dataclass(frozen=True)
class Modality:
    """The compiled markers of one language."""

    best_efforts: CueSet
    binding: CueSet
    entitlement: CueSet
    voluntary: CueSet
    exemption_sentence: CueSet
    exemption_clause: CueSet
    exemption_void: CueSet
    exemption_waiver: CueSet
    beneficiary: CueSet


@dataclass(frozen=True)
class Reading:
    """The strength of one sentence and the marker that decided it (None: indicative)."""

    strength: Strength
    marker: str | None


@lru_cache(maxsize=8)
def modality(lang: str) -> Modality:
    """The compiled markers for ``lang`` (English markers for an unknown language)."""
    data = _ModalityFile.model_validate(yaml.safe_load(MODALITY_FILE.read_text("utf-8")))
    lang = lang if lang in ("en", "fr", "es", "ko") else "en"

    def compiled(field: str) -> CueSet:
        return CueSet(getattr(getattr(data, field), lang), lang)

    return Modality(
        *(
            compiled(f)
            for f in (
                "best_efforts",
                "binding",
                "entitlement",
                "voluntary",
                "exemption_sentence",
                "exemption_clause",
                "exemption_void",
                "exemption_waiver",
                "beneficiary",
            )
        )
    )


@lru_cache(maxsize=65536)
def read_strength(sentence: str, lang: str) -> Reading:
    """Return the strength of an operative ``sentence`` (recitals are handled by the caller).

    Precedence: best efforts, then an entitlement, then a binding marker, then a voluntary
    one. A binding marker that is only part of a longer voluntary one ("shall" in "shall
    encourage") gives way to it, and the month "May" ("25 May 2018") is not the verb.
    """
    markers = modality(lang)
    for strength, cues in (
        (Strength.BEST_EFFORTS, markers.best_efforts),
        (Strength.BINDING, markers.entitlement),
    ):
        found = cues.first(sentence)
        if found:
            return Reading(strength, found.cue)
    voluntary = [m for m in markers.voluntary.find(sentence) if not _is_month(sentence, m)]
    for match in markers.binding.find(sentence):
        if not any(_inside(match, longer) for longer in voluntary):
            return Reading(Strength.BINDING, match.cue)
    if voluntary:
        return Reading(Strength.VOLUNTARY, voluntary[0].cue)
    return Reading(Strength.BINDING, None)


def _inside(match: CueMatch, longer: CueMatch) -> bool:
    """Whether ``match`` lies within ``longer`` and is shorter than it."""
    return (
        longer.start <= match.start
        and match.end <= longer.end
        and match.end - match.start < longer.end - longer.start
    )


_MONTH_MAY = re.compile(r"May\b")
_DIGIT_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?\s*$")
_DIGIT_AFTER = re.compile(r"\s*\d")


def _is_month(sentence: str, match: CueMatch) -> bool:
    """Whether a match of "may" is the month: capitalised, beside a day or a year."""
    if not _MONTH_MAY.match(sentence, match.start) or match.end - match.start != 3:
        return False
    before = sentence[max(0, match.start - 8) : match.start]
    return bool(_DIGIT_BEFORE.search(before) or _DIGIT_AFTER.match(sentence, match.end))


@lru_cache(maxsize=65536)
def has_marker(sentence: str, lang: str) -> bool:
    """Whether ``sentence`` carries any modal marker of its own."""
    # The reading names a marker exactly when one of the four sets matches.
    return read_strength(sentence, lang).marker is not None


_CLAUSE_END = re.compile(r"[,;:]")


def exemption(sentence: str, start: int, lang: str) -> str | None:
    """Return the exemption marker that takes the text at ``start`` out of the rule, if any.

    A sentence-level marker ("does not apply", "shall not be liable") removes the whole
    sentence, unless the exemption turns on the duty-bearer proving something (a reversed
    burden of proof, "exempt from liability if it proves ..."); a clause-level marker
    ("without prejudice to", "nothing in this Act") removes only the clause it opens, up to
    the next comma, semicolon or colon.
    """
    whole, clauses = _exemptions(sentence, lang)
    if whole is not None:
        return whole
    for clause_start, clause_end, marker in clauses:
        if clause_start <= start < clause_end:
            return marker
    return None


def trailing_exemption(sentence: str, lang: str) -> str | None:
    """The exemption that runs to the end of ``sentence``, so that what follows it (a
    chapeau's points) falls under it: "This Act does not apply to: (a) ...". A condition
    closed by a comma does not ("Where the exemption does not apply, providers shall: ...")."""
    whole, clauses = _exemptions(sentence, lang)
    end = len(sentence.rstrip(" :-\u2013\u2014"))
    if whole is not None:
        marks = modality(lang).exemption_sentence.find(sentence)
        last = marks[-1] if marks else None
        if last is not None and not _CLAUSE_END.search(sentence[last.end : end]):
            return whole
        return None
    return next((marker for _start, clause_end, marker in clauses if clause_end >= end), None)


def sentence_exemption(sentence: str, lang: str) -> str | None:
    """The marker of an exemption that takes the whole ``sentence`` out of the rule."""
    return _exemptions(sentence, lang)[0]


@lru_cache(maxsize=65536)
def _exemptions(sentence: str, lang: str) -> tuple[str | None, tuple[tuple[int, int, str], ...]]:
    """The sentence-level exemption marker, and the spans of clause-level exemptions."""
    markers = modality(lang)
    sentence_marks = markers.exemption_sentence.find(sentence)
    if sentence_marks and not markers.exemption_void.search(sentence):
        return sentence_marks[0].cue, ()
    waiver = markers.exemption_waiver.first(sentence)
    if waiver is not None and not markers.beneficiary.search(sentence[: waiver.start]):
        return waiver.cue, ()
    clauses = []
    for mark in markers.exemption_clause.find(sentence):
        end = _CLAUSE_END.search(sentence, mark.end)
        clauses.append((mark.start, end.start() if end else len(sentence), mark.cue))
    return None, tuple(clauses)
