"""What changed between two drafts, element by element."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ungpkit.analysis.model import Assessment, Finding, Status


class Change(StrEnum):
    """How an element moved from the old draft to the new one."""

    NEW = "new"
    LOST = "lost"
    STRENGTHENED = "strengthened"
    WEAKENED = "weakened"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ElementChange:
    """One element in both drafts."""

    element: str
    stage: str
    change: Change
    old: Finding
    new: Finding

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "element": self.element,
            "stage": self.stage,
            "change": self.change.value,
            "old": _side(self.old),
            "new": _side(self.new),
        }


@dataclass(frozen=True)
class Comparison:
    """Two assessments of drafts of the same text against the same grid."""

    old: Assessment
    new: Assessment
    changes: list[ElementChange]

    SCHEMA = "ungpkit.comparison/1"

    def counts(self) -> dict[str, int]:
        """How many elements changed in each way."""
        counts = {change.value: 0 for change in Change}
        for item in self.changes:
            counts[item.change.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """JSON form, versioned by ``schema``."""
        return {
            "schema": self.SCHEMA,
            "old": {"title": self.old.document.title, "source": self.old.document.source},
            "new": {"title": self.new.document.title, "source": self.new.document.source},
            "grid": self.new.grid,
            "summary": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
        }


def _side(finding: Finding) -> dict[str, Any]:
    return {
        "status": finding.status.value,
        "strength": finding.strength.value if finding.strength else None,
        "locators": [e.locator for e in finding.evidence],
        "evidence": [
            {"locator": e.locator, "text": e.text, "strength": e.strength.value}
            for e in finding.evidence[:2]
        ],
    }


def classify(old: Finding, new: Finding) -> Change:
    """Compare two findings for the same element."""
    old_present = old.status in (Status.MET, Status.PARTIAL)
    new_present = new.status in (Status.MET, Status.PARTIAL)
    if new_present and not old_present:
        return Change.NEW
    if old_present and not new_present:
        return Change.LOST
    if not old_present:
        return Change.UNCHANGED
    if new.status.rank != old.status.rank:
        return Change.STRENGTHENED if new.status.rank > old.status.rank else Change.WEAKENED
    old_strength = old.strength.rank if old.strength else -1
    new_strength = new.strength.rank if new.strength else -1
    if new_strength != old_strength:
        return Change.STRENGTHENED if new_strength > old_strength else Change.WEAKENED
    return _passage_change(old, new)


def _passage_change(old: Finding, new: Finding) -> Change:
    """Same status and strength: did a passage cited in both drafts change its wording's
    strength ("shall establish" become "may establish" beside another binding passage)?"""
    before = {e.locator: e.strength.rank for e in old.evidence}
    moves = {e.strength.rank - before[e.locator] for e in new.evidence if e.locator in before} - {0}
    if moves and all(m < 0 for m in moves):
        return Change.WEAKENED
    if moves and all(m > 0 for m in moves):
        return Change.STRENGTHENED
    return Change.UNCHANGED


def compare(old: Assessment, new: Assessment) -> Comparison:
    """Compare two assessments made with the same grid."""
    if old.grid != new.grid:
        raise ValueError(
            f"Cannot compare assessments made with different grids ({old.grid!r} and {new.grid!r})."
        )
    changes = []
    for new_finding in new.findings:
        old_finding = old.finding(new_finding.element)
        changes.append(
            ElementChange(
                new_finding.element,
                new_finding.stage,
                classify(old_finding, new_finding),
                old_finding,
                new_finding,
            )
        )
    return Comparison(old, new, changes)
