"""A grievance's place in the queue: severity first, then likelihood, then waiting time.

GP24: when not every impact can be addressed at once, the most severe come first, and
those that a delay would make irremediable. The score is an integer built in three tiers::

    score = (severity_points * (likelihood_steps + 1) + likelihood_step) * (age_steps + 1)
            + age_step

so ordering by score (highest first) and then by creation date (oldest first) gives the
queue, and no likelihood or waiting time (up to the cap) outweighs one severity point. The
points, steps and cap are data, in ``data/priority.yaml``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ungpkit.grievances.model import (
    LEVELS,
    SEVERITY_DIMENSIONS,
    URGENCY_FLAGS,
    Priority,
    Reason,
    Suggestion,
    Triage,
)
from ungpkit.grievances.triage_rules import read_rules

RULES_PATH = Path(__file__).parent / "data" / "priority.yaml"

Dimension = Literal["severity.scale", "severity.scope", "severity.irremediability"]
Words = Annotated[str, StringConstraints(min_length=1)]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DimensionWeight(_Rules):
    points_per_level: int = Field(ge=0, le=1000)
    words: Words


class FlagWeight(_Rules):
    points: int = Field(ge=0, le=1000)
    words: Words


class Bonus(_Rules):
    dimension: Dimension
    min_level: int = Field(ge=1, le=3)
    points: int = Field(ge=0, le=1000)
    because: Words


class Likelihood(_Rules):
    steps: int = Field(ge=1, le=100)
    default: float = Field(ge=0, le=1)


class Age(_Rules):
    days_per_step: float = Field(gt=0)
    cap_days: float = Field(ge=0, le=3650)

    @property
    def steps(self) -> int:
        return math.floor(self.cap_days / self.days_per_step)


class PriorityRules(_Rules):
    """Schema of ``priority.yaml``."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+$")]
    severity: dict[str, DimensionWeight]
    urgency: dict[str, FlagWeight] = Field(default_factory=dict)
    bonuses: list[Bonus] = Field(default_factory=list)
    likelihood: Likelihood
    age: Age

    @model_validator(mode="after")
    def _known_ids(self) -> PriorityRules:
        unknown = [key for key in self.severity if key not in SEVERITY_DIMENSIONS]
        unknown += [key for key in self.urgency if key not in URGENCY_FLAGS]
        if unknown:
            raise ValueError(
                f"unknown ids {unknown}: severity takes {list(SEVERITY_DIMENSIONS)}, "
                f"urgency takes {list(URGENCY_FLAGS)}"
            )
        return self

    def max_severity_points(self) -> int:
        """The most severity points a grievance can have."""
        levels = sum(weight.points_per_level * 3 for weight in self.severity.values())
        flags = sum(weight.points for weight in self.urgency.values())
        return levels + flags + sum(bonus.points for bonus in self.bonuses)


def load_priority_rules(path: Path | str) -> PriorityRules:
    """Read and validate a priority rules file; errors name the file, line and place."""
    return read_rules(path, PriorityRules)


@lru_cache(maxsize=1)
def default_priority_rules() -> PriorityRules:
    """The shipped priority rules, loaded once per process."""
    return load_priority_rules(RULES_PATH)


def _first_words(suggestion: Suggestion) -> tuple[str, int | None, int | None]:
    """The first reason of a suggestion, to say why in the priority's own reasons."""
    if not suggestion.reasons:
        return "", None, None
    first = suggestion.reasons[0]
    return f": {first.detail}", first.start, first.end


def severity_points(triage: Triage, rules: PriorityRules) -> tuple[int, list[Reason]]:
    """The severity points of a triage (levels, flags, bonuses) and a reason for each."""
    points = 0
    reasons: list[Reason] = []
    for suggestion in triage.severity:
        weight = rules.severity.get(suggestion.id)
        level = max(0, min(3, int(suggestion.score)))
        if weight is None or level == 0:
            continue
        points += weight.points_per_level * level
        words, start, end = _first_words(suggestion)
        detail = f"{weight.words} suggested ({LEVELS[level]}){words}"
        reasons.append(Reason(suggestion.id, detail, start, end))
    for bonus in rules.bonuses:
        if triage.level(bonus.dimension) >= bonus.min_level:
            points += bonus.points
            reasons.append(Reason("bonus", bonus.because))
    for flag in triage.urgency:
        flag_weight = rules.urgency.get(flag.id)
        if flag_weight is not None:
            points += flag_weight.points
            words, start, end = _first_words(flag)
            reasons.append(Reason(flag.id, f"{flag_weight.words}{words}", start, end))
    return points, reasons


def likelihood_step(likelihood: float | None, rules: PriorityRules) -> tuple[int, Reason]:
    """The likelihood as a whole number of steps, and the reason in words."""
    if likelihood is None:
        value = rules.likelihood.default
        detail = f"likelihood not estimated, counted as {value:.0%}"
    else:
        value = min(1.0, max(0.0, likelihood))
        detail = f"likelihood {value:.0%}"
    return math.floor(value * rules.likelihood.steps + 1e-9), Reason("likelihood", detail)


def age_step(age_days: float, rules: PriorityRules) -> tuple[int, Reason]:
    """The waiting time as a whole number of steps (capped), and the reason in words."""
    days = max(0.0, age_days)
    counted = min(days, rules.age.cap_days)
    detail = f"waiting {math.floor(days)} day{'s' if math.floor(days) != 1 else ''}"
    if days > rules.age.cap_days:
        detail += f" (counted as {rules.age.cap_days:g}, the most that counts)"
    return math.floor(counted / rules.age.days_per_step + 1e-9), Reason("age", detail)


def priority(
    triage: Triage,
    *,
    age_days: float,
    likelihood: float | None = None,
    rules: PriorityRules | None = None,
) -> Priority:
    """The grievance's priority: a score to order by (highest first) and the reasons."""
    rules = rules or default_priority_rules()
    points, reasons = severity_points(triage, rules)
    chance, chance_reason = likelihood_step(likelihood, rules)
    waited, age_reason = age_step(age_days, rules)
    score = (points * (rules.likelihood.steps + 1) + chance) * (rules.age.steps + 1) + waited
    summary = Reason(
        "severity",
        f"severity counts first: {points} of {rules.max_severity_points()} points; likelihood "
        "and waiting time only order grievances of equal severity",
    )
    return Priority(score, (summary, *reasons, chance_reason, age_reason))
