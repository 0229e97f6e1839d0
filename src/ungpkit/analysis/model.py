"""What the analysis produces: an Assessment of one document against one grid.

Every Finding is a statement with provenance: the element, the status, the strength of the
obligation, the passages that support it (with locator, page and offsets), a rationale a
person can check, and the analyser and version that made it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from ungpkit.analysis.strength import Strength
from ungpkit.documents.model import Document


class Status(StrEnum):
    """Whether a document meets a grid element."""

    MET = "met"
    PARTIAL = "partial"
    ABSENT = "absent"
    NOT_APPLICABLE = "not_applicable"

    @property
    def rank(self) -> int:
        """Higher is better; used to compare drafts."""
        return {"met": 2, "partial": 1, "absent": 0, "not_applicable": -1}[self.value]


@dataclass(frozen=True)
class Evidence:
    """One passage that supports a finding, with where it is and why it counts."""

    passage_id: str
    locator: str
    page: int | None
    text: str
    score: float
    strength: Strength
    operative: bool
    cues: tuple[str, ...]
    facets: tuple[str, ...] = ()
    highlights: tuple[tuple[int, int], ...] = ()
    marker: str | None = None
    mode: str | None = None
    """For report analysis: "done", "promised" or "denied" (a promise is not evidence)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see docs/json-schema.md)."""
        data = asdict(self)
        data["strength"] = self.strength.value
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass(frozen=True)
class Exclusion:
    """A passage that mentions the element but was set aside (an exemption or a negation)."""

    passage_id: str
    locator: str
    marker: str
    text: str


@dataclass(frozen=True)
class Finding:
    """The answer for one element of the grid."""

    id: str
    element: str
    stage: str
    status: Status
    strength: Strength | None
    evidence: tuple[Evidence, ...]
    rationale: str
    recommendation: str | None
    facets_found: tuple[str, ...] = ()
    facets_missing: tuple[str, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    analyser: str = "ungpkit.cues"
    analyser_version: str = ""
    reason: str = ""
    """Why the status (``met``, ``weak``, ``facets``, ...): what the rationale is written
    from, so that it can be written again in another language."""
    heading: str = ""
    """The heading the first evidence passage matched through, when it had no cue itself."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see docs/json-schema.md)."""
        return {
            "id": self.id,
            "element": self.element,
            "stage": self.stage,
            "status": self.status.value,
            "strength": self.strength.value if self.strength else None,
            "evidence": [e.to_dict() for e in self.evidence],
            "rationale": self.rationale,
            "recommendation": self.recommendation,
            "facets_found": list(self.facets_found),
            "facets_missing": list(self.facets_missing),
            "excluded": [asdict(x) for x in self.excluded],
            "analyser": self.analyser,
            "analyser_version": self.analyser_version,
            "reason": self.reason,
            "heading": self.heading,
        }


@dataclass(frozen=True)
class DocumentInfo:
    """What an assessment records about the document it read."""

    title: str
    source: str
    format: str
    language: str
    pages: int | None
    passages: int
    fingerprint: str

    @classmethod
    def of(cls, document: Document) -> DocumentInfo:
        """What to record about ``document``; the fingerprint is a hash of its text."""
        return cls(
            title=document.title,
            source=document.source,
            format=document.format,
            language=document.language,
            pages=document.pages,
            passages=len(document.passages),
            fingerprint=hashlib.sha256(document.text.encode("utf-8")).hexdigest()[:32],
        )


@dataclass
class Assessment:
    """The findings for every element of a grid on one document."""

    document: DocumentInfo
    grid: str
    grid_version: str
    lang: str
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)
    analyser: str = "ungpkit.cues"
    analyser_version: str = ""

    SCHEMA = "ungpkit.assessment/1"

    def finding(self, element_id: str) -> Finding:
        """The finding for ``element_id``; ``KeyError`` when the grid has no such element."""
        for finding in self.findings:
            if finding.element == element_id:
                return finding
        raise KeyError(element_id)

    def counts(self) -> dict[str, int]:
        """How many findings have each status."""
        counts = {status.value: 0 for status in Status}
        for finding in self.findings:
            counts[finding.status.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """JSON form, versioned by ``schema`` (see docs/json-schema.md)."""
        return {
            "schema": self.SCHEMA,
            "document": asdict(self.document),
            "grid": {"id": self.grid, "version": self.grid_version},
            "lang": self.lang,
            "analyser": {"name": self.analyser, "version": self.analyser_version},
            "summary": self.counts(),
            "warnings": list(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


def finding_id(fingerprint: str, element_id: str, analyser_version: str) -> str:
    """A deterministic id: the same document, element and analyser give the same id."""
    digest = hashlib.sha256(f"{fingerprint}|{element_id}|{analyser_version}".encode())
    return "f-" + digest.hexdigest()[:16]


def finding_from_dict(f: dict[str, Any]) -> Finding:
    """Rebuild a :class:`Finding` from its JSON form (``Finding.to_dict``)."""
    return Finding(
        id=f["id"],
        element=f["element"],
        stage=f["stage"],
        status=Status(f["status"]),
        strength=Strength(f["strength"]) if f.get("strength") else None,
        evidence=tuple(
            Evidence(
                passage_id=e["passage_id"],
                locator=e["locator"],
                page=e.get("page"),
                text=e["text"],
                score=float(e["score"]),
                strength=Strength(e["strength"]),
                operative=bool(e.get("operative", True)),
                cues=tuple(e.get("cues", ())),
                facets=tuple(e.get("facets", ())),
                highlights=tuple((int(a), int(b)) for a, b in e.get("highlights", ())),
                marker=e.get("marker"),
                mode=e.get("mode"),
            )
            for e in f.get("evidence", ())
        ),
        rationale=f.get("rationale", ""),
        recommendation=f.get("recommendation"),
        facets_found=tuple(f.get("facets_found", ())),
        facets_missing=tuple(f.get("facets_missing", ())),
        excluded=tuple(Exclusion(**x) for x in f.get("excluded", ())),
        analyser=f.get("analyser", ""),
        analyser_version=f.get("analyser_version", ""),
        reason=f.get("reason", ""),
        heading=f.get("heading", ""),
    )


def assessment_from_dict(data: dict[str, Any]) -> Assessment:
    """Rebuild an :class:`Assessment` from its JSON form (``Assessment.to_dict``)."""
    findings = [finding_from_dict(f) for f in data["findings"]]
    analyser = data.get("analyser", {})
    return Assessment(
        document=DocumentInfo(**data["document"]),
        grid=data["grid"]["id"],
        grid_version=data["grid"]["version"],
        lang=data["lang"],
        findings=findings,
        warnings=list(data.get("warnings", [])),
        analyser=analyser.get("name", ""),
        analyser_version=analyser.get("version", ""),
    )
