"""Measure the engine against labelled checklists: per-element precision, recall, agreement.

A checklist is a YAML file (see ``eval/README.md``)::

    document: ../documents/en-act.md      # relative to the checklist
    grid: regulation
    lang: en
    elements:
      reg.remedy.civil_liability: {status: met, locators: ["Article 12"]}
      reg.mix.public_database: {status: absent}

"Present" means met or partial. Precision and recall are for presence; agreement is the
share of documents where the status is exactly the same; locator recall is the share of
expected locators that some evidence passage falls under.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ungpkit.analysis.model import Assessment, Status

StatusName = Literal["met", "partial", "absent", "not_applicable"]


class ExpectedFinding(BaseModel):
    """What the annotator found for one element."""

    model_config = ConfigDict(extra="forbid")
    status: StatusName
    locators: list[str] = Field(default_factory=list)
    note: str | None = None


class Checklist(BaseModel):
    """A labelled document."""

    model_config = ConfigDict(extra="allow")
    document: str
    grid: str = "regulation"
    lang: str | None = None
    elements: dict[str, ExpectedFinding]


@dataclass
class LoadedChecklist:
    """A checklist with the resolved path of its document."""

    path: Path
    checklist: Checklist
    document_path: Path


@dataclass
class ElementScore:
    """Counts for one element across every checklist."""

    element: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    agree: int = 0
    total: int = 0
    locators_expected: int = 0
    locators_found: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """Share of predicted-present that were present (None when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Share of present that were found (None when nothing was present)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None and r is None else 0.0
        return 2 * p * r / (p + r)

    @property
    def agreement(self) -> float | None:
        """Share of exact status matches."""
        return self.agree / self.total if self.total else None

    @property
    def locator_recall(self) -> float | None:
        """Share of expected locators found in the evidence."""
        return self.locators_found / self.locators_expected if self.locators_expected else None


@dataclass
class EvaluationResult:
    """Scores per element and overall."""

    scores: dict[str, ElementScore]
    documents: list[str]
    skipped: list[str]
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    """(expected status, predicted status) -> count."""

    def overall(self) -> ElementScore:
        """Micro-averaged counts over every element."""
        total = ElementScore("all")
        for score in self.scores.values():
            for name in (
                "tp",
                "fp",
                "fn",
                "tn",
                "agree",
                "total",
                "locators_expected",
                "locators_found",
            ):
                setattr(total, name, getattr(total, name) + getattr(score, name))
        return total

    def macro_f1(self) -> float:
        """Mean F1 over elements that have an F1."""
        values = [s.f1 for s in self.scores.values() if s.f1 is not None]
        return sum(values) / len(values) if values else 0.0


def load_checklists(
    paths: Iterable[Path], corpus: Path | None = None
) -> tuple[list[LoadedChecklist], list[str]]:
    """Load checklist files (directories are searched for *.yaml); report missing documents."""
    loaded: list[LoadedChecklist] = []
    skipped: list[str] = []
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        checklist = Checklist.model_validate(data)
        document = (file.parent / checklist.document).resolve()
        if not document.exists() and corpus is not None:
            document = corpus / Path(checklist.document).name
        if not document.exists():
            skipped.append(f"{file.name}: document {checklist.document} not found")
            continue
        loaded.append(LoadedChecklist(file, checklist, document))
    return loaded, skipped


def _article_key(locator: str) -> str:
    """Reduce a locator to its article ("Article 77(1)(a)" -> "article 77")."""
    text = locator.lower().replace("art.", "article").replace("artículo", "article")
    match = re.match(
        r"\s*(article\s+[\w.\-]+?|제\s*\d+\s*조(?:의\s*\d+)?)(?=[\s(.,]|$)", text.strip()
    )
    key = match.group(1) if match else text.strip()
    return re.sub(r"\s+", " ", key).rstrip(".")


def score(assessments: list[tuple[LoadedChecklist, Assessment]]) -> EvaluationResult:
    """Compare each assessment with its checklist."""
    scores: dict[str, ElementScore] = {}
    confusion: dict[tuple[str, str], int] = {}
    documents = []
    for loaded, assessment in assessments:
        documents.append(loaded.path.name)
        for element_id, expected in loaded.checklist.elements.items():
            if expected.status == "not_applicable":
                continue
            try:
                finding = assessment.finding(element_id)
            except KeyError:
                continue
            item = scores.setdefault(element_id, ElementScore(element_id))
            item.total += 1
            expected_present = expected.status in ("met", "partial")
            predicted_present = finding.status in (Status.MET, Status.PARTIAL)
            item.agree += finding.status.value == expected.status
            pair = (expected.status, finding.status.value)
            confusion[pair] = confusion.get(pair, 0) + 1
            if expected_present and predicted_present:
                item.tp += 1
            elif predicted_present:
                item.fp += 1
                item.misses.append(
                    f"{loaded.path.stem}: predicted {finding.status.value}, expected absent"
                )
            elif expected_present:
                item.fn += 1
                item.misses.append(
                    f"{loaded.path.stem}: predicted absent, expected {expected.status}"
                )
            else:
                item.tn += 1
            found = {_article_key(e.locator) for e in finding.evidence}
            for locator in expected.locators:
                item.locators_expected += 1
                item.locators_found += _article_key(locator) in found
    return EvaluationResult(scores, documents, [], confusion)


def evaluate(
    checklists: list[LoadedChecklist],
    run: Callable[[LoadedChecklist], Assessment],
) -> EvaluationResult:
    """Run the engine on every checklist's document and score it."""
    return score([(loaded, run(loaded)) for loaded in checklists])
