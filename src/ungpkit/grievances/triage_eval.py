"""Measure triage suggestions against labels confirmed by staff.

The labels are a JSON Lines file, one grievance per line (the format ``ungpkit`` exports
from the database; see docs/triage.md)::

    {"description": "...", "language": "fr", "affected_count": null, "ongoing": true,
     "child_involved": false, "fear_of_reprisal": false, "wants": ["explanation"],
     "company_text": "", "rights": ["right.work"], "harms": ["harm.account_suspension"],
     "urgency": ["urgent.ongoing"], "scale": 2, "scope": 1, "irremediability": 1}

For each label (every right, harm type and urgency flag) the evaluation counts true and
false positives and false negatives, giving precision, recall, F1 and support, with micro and
macro averages; for each severity dimension the share of exact levels and of levels within
one; and the share of languages told right. ``language`` is the language recorded for the
grievance: it is not given to triage unless asked, so that language detection is measured
too; lines without one (or with ``und``) do not count for the language figure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ungpkit.framework import Framework, default_framework
from ungpkit.grievances.model import SEVERITY_DIMENSIONS, URGENCY_FLAGS, GrievanceInput, Triage
from ungpkit.grievances.triage import TriageRules, triage

Level = Annotated[int, Field(ge=0, le=3)]
KINDS: tuple[str, ...] = ("right", "harm", "urgent")
"""The kinds of label, as the first part of their ids."""


class LabelledGrievance(BaseModel):
    """One line of a labels file: what triage reads, and the labels staff confirmed."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    description: str
    language: str | None = None
    affected_count: int | None = Field(default=None, ge=0)
    ongoing: bool = False
    child_involved: bool = False
    fear_of_reprisal: bool = False
    wants: list[str] = Field(default_factory=list)
    company_text: str = ""
    rights: list[str] = Field(default_factory=list)
    harms: list[str] = Field(default_factory=list)
    urgency: list[str] = Field(default_factory=list)
    scale: Level
    scope: Level
    irremediability: Level

    def as_input(self, *, with_language: bool = False) -> GrievanceInput:
        """What triage reads; the confirmed language only when ``with_language``."""
        return GrievanceInput(
            description=self.description,
            language=self.language if with_language else None,
            affected_count=self.affected_count,
            ongoing=self.ongoing,
            child_involved=self.child_involved,
            fear_of_reprisal=self.fear_of_reprisal,
            wants=tuple(self.wants),
            company_text=self.company_text,
        )

    def labels(self) -> set[str]:
        """Every confirmed right, harm type and urgency flag."""
        return {*self.rights, *self.harms, *self.urgency}

    def levels(self) -> dict[str, int]:
        """The confirmed level per severity dimension."""
        values = (self.scale, self.scope, self.irremediability)
        return dict(zip(SEVERITY_DIMENSIONS, values, strict=True))


class LabelsError(ValueError):
    """A labels file is malformed; the message names each line and what is wrong."""


def _known_labels(framework: Framework) -> set[str]:
    harms = {term.id for term in framework.vocabulary("harm_types").terms}
    return {right.id for right in framework.rights} | harms | set(URGENCY_FLAGS)


def load_labelled(path: Path | str, framework: Framework | None = None) -> list[LabelledGrievance]:
    """Read a labels file, refusing it with every problem (file:line: what) if malformed."""
    framework = framework or default_framework()
    known = _known_labels(framework)
    problems: list[str] = []
    found: list[LabelledGrievance] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(f"{path}: cannot be read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = LabelledGrievance.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not valid JSON: {exc.msg}")
            continue
        except ValidationError as exc:
            for err in exc.errors():
                place = ".".join(str(part) for part in err["loc"])
                problems.append(f"{path}:{number}: {place}: {err['msg']}")
            continue
        unknown = sorted(item.labels() - known)
        if unknown:
            problems.append(f"{path}:{number}: unknown labels: {', '.join(unknown)}")
        found.append(item)
    if problems:
        raise LabelsError("The labels file has problems:\n" + "\n".join(problems))
    if not found:
        raise LabelsError(f"{path}: holds no labelled grievance")
    return found


@dataclass
class LabelScore:
    """Counts for one label (or a total over labels)."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        """How many grievances staff gave this label."""
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN); None when the label was neither given nor suggested."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def add(self, other: LabelScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class DimensionScore:
    """Agreement on one severity dimension: exact level and level within one."""

    dimension: str
    n: int = 0
    exact: int = 0
    within_one: int = 0
    confusion: dict[tuple[int, int], int] = field(default_factory=dict)
    """(confirmed level, suggested level) -> number of grievances."""

    @property
    def accuracy(self) -> float | None:
        return self.exact / self.n if self.n else None

    @property
    def within_one_accuracy(self) -> float | None:
        return self.within_one / self.n if self.n else None

    def count(self, expected: int, suggested: int) -> None:
        self.n += 1
        self.exact += expected == suggested
        self.within_one += abs(expected - suggested) <= 1
        key = (expected, suggested)
        self.confusion[key] = self.confusion.get(key, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "within_one": self.within_one_accuracy,
            "confusion": {f"{e}->{s}": n for (e, s), n in sorted(self.confusion.items())},
        }


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


@dataclass
class TriageEvaluation:
    """The figures of one evaluation run."""

    n: int = 0
    labels: dict[str, LabelScore] = field(default_factory=dict)
    dimensions: dict[str, DimensionScore] = field(default_factory=dict)
    language_correct: int = 0
    language_known: int = 0
    """How many grievances had a known language (not empty, not ``und``) to compare with."""
    misses: list[str] = field(default_factory=list)

    def selected(self, kind: str | None = None) -> list[LabelScore]:
        """The label scores of one kind (``right``, ``harm``, ``urgent``), or all."""
        return [
            score
            for label, score in sorted(self.labels.items())
            if kind is None or label.startswith(kind + ".")
        ]

    def micro(self, kind: str | None = None) -> LabelScore:
        """Counts summed over the labels (of ``kind``), then precision, recall and F1."""
        total = LabelScore(f"{kind or 'all'} (micro)")
        for score in self.selected(kind):
            total.add(score)
        return total

    def macro_f1(self, kind: str | None = None) -> float | None:
        """The mean F1 over labels given or suggested at least once."""
        return _mean(score.f1 for score in self.selected(kind))

    @property
    def language_accuracy(self) -> float | None:
        """The share of grievances with a known language whose language triage told right."""
        return self.language_correct / self.language_known if self.language_known else None

    def to_dict(self) -> dict[str, Any]:
        averages = {
            kind or "all": {
                "micro": self.micro(kind).to_dict(),
                "macro_f1": self.macro_f1(kind),
            }
            for kind in (*KINDS, None)
        }
        return {
            "grievances": self.n,
            "labels": {label: score.to_dict() for label, score in sorted(self.labels.items())},
            "averages": averages,
            "severity": {d: s.to_dict() for d, s in self.dimensions.items()},
            "language_accuracy": self.language_accuracy,
        }


def _suggested(result: Triage) -> set[str]:
    return {s.id for s in (*result.rights, *result.harms, *result.urgency)}


def score_one(
    evaluation: TriageEvaluation, number: int, item: LabelledGrievance, result: Triage
) -> None:
    """Add one grievance's triage to ``evaluation``."""
    evaluation.n += 1
    expected, suggested = item.labels(), _suggested(result)
    for label in expected | suggested:
        score = evaluation.labels.setdefault(label, LabelScore(label))
        if label in expected and label in suggested:
            score.tp += 1
        elif label in suggested:
            score.fp += 1
            evaluation.misses.append(f"#{number}: {label} suggested, not confirmed")
        else:
            score.fn += 1
            evaluation.misses.append(f"#{number}: {label} confirmed, not suggested")
    for dimension, level in item.levels().items():
        dim = evaluation.dimensions.setdefault(dimension, DimensionScore(dimension))
        guess = result.level(dimension)
        dim.count(level, guess)
        if guess != level:
            evaluation.misses.append(f"#{number}: {dimension} confirmed {level}, suggested {guess}")
    if not item.language or item.language == "und":
        return
    evaluation.language_known += 1
    if item.language == result.language:
        evaluation.language_correct += 1
    else:
        evaluation.misses.append(
            f"#{number}: language confirmed {item.language}, suggested {result.language}"
        )


def evaluate_triage(
    items: Sequence[LabelledGrievance],
    framework: Framework | None = None,
    *,
    rules: TriageRules | None = None,
    with_language: bool = False,
) -> TriageEvaluation:
    """Triage every labelled grievance and compare the suggestions with the labels.

    ``#N`` in the misses is the grievance's position in ``items``, from 1.
    """
    framework = framework or default_framework()
    evaluation = TriageEvaluation()
    for dimension in SEVERITY_DIMENSIONS:
        evaluation.dimensions[dimension] = DimensionScore(dimension)
    for number, item in enumerate(items, start=1):
        result = triage(item.as_input(with_language=with_language), framework, rules=rules)
        score_one(evaluation, number, item, result)
    return evaluation
