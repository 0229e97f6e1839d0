"""What triage, priority and clustering say about grievances: plain data, no Django.

A suggestion always carries its reasons (the words matched, the form fields, the rules), so a
member of staff can see why it was made and correct it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITY_DIMENSIONS: tuple[str, ...] = (
    "severity.scale",
    "severity.scope",
    "severity.irremediability",
)
"""The three UNGP dimensions of severity (GP14, GP24), as ids of the framework vocabulary."""

URGENCY_FLAGS: tuple[str, ...] = (
    "urgent.life",
    "urgent.child",
    "urgent.ongoing",
    "urgent.reprisal",
)
"""Risk to life or physical integrity, a child involved, harm still going on, fear of reprisal."""

LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
"""Severity levels per dimension, 0 to 3."""


@dataclass(frozen=True)
class Reason:
    """Why a suggestion was made: a rule, in words, and where in the text when it is a match."""

    rule: str
    """Machine name of the rule, e.g. ``cue``, ``form.child_involved``, ``count``."""
    detail: str
    """What a person reads, e.g. 'the words "data breach"'."""
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "detail": self.detail, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        return cls(str(data["rule"]), str(data["detail"]), data.get("start"), data.get("end"))


@dataclass(frozen=True)
class Suggestion:
    """One suggested label (a right, a harm type, an urgency flag, a severity level)."""

    id: str
    score: float
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": self.score,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        return cls(
            str(data["id"]),
            float(data["score"]),
            tuple(Reason.from_dict(r) for r in data.get("reasons", ())),
        )


@dataclass(frozen=True)
class GrievanceInput:
    """What triage reads: the description and the answers of the intake form."""

    description: str
    language: str | None = None
    """The language the complainant chose, if any; triage also detects it."""
    affected_count: int | None = None
    ongoing: bool = False
    child_involved: bool = False
    fear_of_reprisal: bool = False
    wants: tuple[str, ...] = ()
    company_text: str = ""


@dataclass(frozen=True)
class Triage:
    """The machine's suggestions for one grievance."""

    language: str
    language_reasons: tuple[Reason, ...]
    rights: tuple[Suggestion, ...]
    """Rights of the framework taxonomy (``right.*``), best first."""
    harms: tuple[Suggestion, ...]
    """Harm types (``harm.*``), best first."""
    severity: tuple[Suggestion, ...]
    """One per SEVERITY_DIMENSIONS, in that order; ``score`` is the level 0-3."""
    urgency: tuple[Suggestion, ...]
    """The URGENCY_FLAGS that apply (only those), with their reasons."""
    analyser: str
    version: str

    def level(self, dimension: str) -> int:
        for item in self.severity:
            if item.id == dimension:
                return int(item.score)
        return 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "language_reasons": [r.to_dict() for r in self.language_reasons],
            "rights": [s.to_dict() for s in self.rights],
            "harms": [s.to_dict() for s in self.harms],
            "severity": [s.to_dict() for s in self.severity],
            "urgency": [s.to_dict() for s in self.urgency],
            "analyser": self.analyser,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Triage:
        def many(key: str) -> tuple[Suggestion, ...]:
            return tuple(Suggestion.from_dict(s) for s in data.get(key, ()))

        return cls(
            language=str(data["language"]),
            language_reasons=tuple(Reason.from_dict(r) for r in data.get("language_reasons", ())),
            rights=many("rights"),
            harms=many("harms"),
            severity=many("severity"),
            urgency=many("urgency"),
            analyser=str(data.get("analyser", "")),
            version=str(data.get("version", "")),
        )


@dataclass(frozen=True)
class Priority:
    """A grievance's place in the queue: higher ``score`` first, then older first."""

    score: int
    reasons: tuple[Reason, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "reasons": [r.to_dict() for r in self.reasons]}
