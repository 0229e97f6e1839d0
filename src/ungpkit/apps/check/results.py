"""Reads over finished assessments: the core view of a stored result, comparisons,
overlaps, the reviewed view of each finding and the labelled data reviewers produce."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ungpkit.analysis import Comparison, OverlapTable, compare, overlap
from ungpkit.analysis.model import Assessment as CoreAssessment
from ungpkit.analysis.model import Status, assessment_from_dict
from ungpkit.analysis.strength import Strength
from ungpkit.apps.check import access
from ungpkit.apps.check.models import Assessment, AssessmentState, Review
from ungpkit.framework.models import Grid


def core_assessment(assessment: Assessment) -> CoreAssessment:
    """The engine's result of a finished assessment, as the core dataclass."""
    if assessment.state == AssessmentState.FAILED:
        raise ValidationError(
            _("This check failed, so it has no findings: run it again (see why on its page).")
        )
    if assessment.state != AssessmentState.DONE or not assessment.result:
        raise ValidationError(_("The check has not finished yet."))
    return assessment_from_dict(assessment.result)


def compare_assessments(actor: Any, old_id: int, new_id: int) -> Comparison:
    """Compare two finished assessments ``actor`` may see (same grid)."""
    if old_id == new_id:
        raise ValidationError(_("Choose two different checks to compare."))
    old = core_assessment(access.access_assessment(actor, old_id))
    new = core_assessment(access.access_assessment(actor, new_id))
    if old.grid != new.grid:
        raise ValidationError(
            _(
                "These two checks used different grids (%(old)s and %(new)s): compare checks "
                "made with the same grid."
            )
            % {"old": old.grid, "new": new.grid}
        )
    return compare(old, new)


def overlap_assessments(actor: Any, ids: list[int]) -> OverlapTable:
    """Element × law for several finished assessments ``actor`` may see."""
    if len(set(ids)) < 2:
        raise ValidationError(_("Choose at least two assessments."))
    assessments = [core_assessment(access.access_assessment(actor, i)) for i in ids]
    try:
        return overlap(assessments)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@dataclass(frozen=True)
class ReviewedFinding:
    """A machine finding with the reviews it received, the latest one deciding."""

    machine: dict[str, Any]
    reviews: list[Review]

    @property
    def element(self) -> str:
        """The grid element id."""
        return str(self.machine["element"])

    @property
    def latest(self) -> Review | None:
        """The most recent review, which decides the reviewed status."""
        return self.reviews[-1] if self.reviews else None

    @property
    def status(self) -> str:
        """The status after review (the machine's when accepted or not reviewed)."""
        latest = self.latest
        if latest is None or latest.decision == "accept":
            return str(self.machine["status"])
        if latest.decision == "correct":
            return latest.status
        return "rejected"

    @property
    def strength(self) -> str | None:
        """The strength after review."""
        latest = self.latest
        if latest is not None and latest.decision == "correct" and latest.strength:
            return latest.strength
        value = self.machine.get("strength")
        return str(value) if value else None


def reviewed_status(item: ReviewedFinding) -> str:
    """The status a reader should act on: the reviewer's correction, else the machine's (a
    rejection without a correction says the machine is wrong, not what is right)."""
    return str(item.machine["status"]) if item.status == "rejected" else item.status


def is_gap(status: str) -> bool:
    """Whether a finding of ``status`` calls for the element's recommendation."""
    return status in ("partial", "absent")


def reviewed_core(
    core: CoreAssessment, reviewed: dict[str, ReviewedFinding], grid: Grid, lang: str
) -> CoreAssessment:
    """``core`` with each corrected finding's status and strength set to the reviewer's, and
    its recommendation given or taken away to match: what the summary and the gaps of a
    report show. The machine's own answers stay in ``core``."""
    findings = []
    for finding in core.findings:
        item = reviewed.get(finding.element)
        latest = item.latest if item is not None else None
        if item is None or latest is None or latest.decision != "correct":
            findings.append(finding)
            continue
        status = Status(reviewed_status(item))
        element = grid.element(finding.element)
        findings.append(
            replace(
                finding,
                status=status,
                strength=Strength(item.strength) if item.strength else None,
                recommendation=element.recommendation.get(lang) if is_gap(status.value) else None,
            )
        )
    return replace(core, findings=findings)


def reviewed_findings(assessment: Assessment) -> list[ReviewedFinding]:
    """Every finding of ``assessment`` with its reviews, in grid order."""
    reviews: dict[str, list[Review]] = {}
    for review in assessment.reviews.select_related("reviewer").order_by("created_at", "id"):
        reviews.setdefault(review.element, []).append(review)
    return [ReviewedFinding(f, reviews.get(f["element"], [])) for f in assessment.findings]


def checklist_yaml(actor: Any, assessment_id: int) -> str:
    """The reviewed findings as a labelled checklist for `ungpkit eval` (see eval/README.md).

    Only reviewed findings are labels; a rejected finding with no correction is skipped,
    since the reviewer said what is wrong but not what is right.
    """
    assessment = access.access_assessment(actor, assessment_id)
    passages = {p["id"]: p["locator"] for p in assessment.document.passages}
    elements: dict[str, dict[str, Any]] = {}
    for item in reviewed_findings(assessment):
        latest = item.latest
        if latest is None or latest.decision == "reject":
            continue
        if latest.decision == "correct":
            locators = [passages[p] for p in latest.passage_ids if p in passages]
        else:
            locators = [e["locator"] for e in item.machine.get("evidence", [])]
        entry: dict[str, Any] = {"status": item.status, "locators": locators}
        if latest.comment:
            entry["note"] = latest.comment
        elements[item.element] = entry
    data = {
        "document": assessment.document.filename,
        "grid": assessment.grid,
        "lang": assessment.lang or assessment.document.language,
        "source": f"ungpkit assessment {assessment.pk}, reviewed",
        "elements": elements,
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
