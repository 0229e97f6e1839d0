"""The triage rules file (``data/triage.yaml``): its schema, loading and integrity checks.

The rules hold what triage reads beyond the framework's own cues: severity levels, urgency
flags, ages, numbers of people, negation words and extra cues in the words complainants use,
per language. :func:`check_rules` checks them against a framework (every id they name exists).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from ungpkit.analysis.cues import cue_regex
from ungpkit.framework import Framework, FrameworkError, Problem
from ungpkit.framework.loader import parse_file
from ungpkit.framework.models import Term
from ungpkit.grievances.model import (
    SEVERITY_DIMENSIONS,
    URGENCY_FLAGS,
)

RULES_PATH = Path(__file__).parent / "data" / "triage.yaml"

URGENCY_WORDS: dict[str, str] = {
    "urgent.life": "a risk to life or physical integrity",
    "urgent.child": "a child involved",
    "urgent.ongoing": "harm still going on",
    "urgent.reprisal": "fear of reprisal",
}
"""Plain words for each urgency flag, used in reasons."""


def _valid_cue(cue: str) -> str:
    stripped = cue.strip()
    if not stripped or stripped.startswith("~") or stripped.endswith("~"):
        raise ValueError(f"the cue {cue!r} is blank or starts or ends with ~")
    try:
        cue_regex(stripped, "en")
    except re.error as exc:  # pragma: no cover - cue syntax escapes everything
        raise ValueError(f"the cue {cue!r} cannot be compiled: {exc}") from exc
    return stripped


def _valid_age_pattern(pattern: str) -> str:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(
            f"the pattern {pattern!r} is not a valid regular expression: {exc}"
        ) from exc
    if compiled.groups != 1:
        raise ValueError(f"the pattern {pattern!r} needs exactly one group (the age)")
    return pattern


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Cue = Annotated[str, AfterValidator(_valid_cue)]
LangCues = dict[LangCode, list[Cue]]
Words = dict[LangCode, list[Annotated[str, StringConstraints(min_length=1)]]]
Dimension = Literal["severity.scale", "severity.scope", "severity.irremediability"]
Flag = Literal["urgent.life", "urgent.child", "urgent.ongoing", "urgent.reprisal"]
Level = Annotated[int, Field(ge=0, le=3)]
Share = Annotated[float, Field(ge=0, le=1)]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scores(_Rules):
    """How strong a suggestion is, from what supports it (0-1)."""

    cue: Share
    cue_step: Share
    cue_max: Share
    form: Share
    link_primary: Share
    link_other: Share
    fallback: Share
    suggest: Annotated[float, Field(gt=0, le=1)]


class Negation(_Rules):
    """Words that cancel a cue shortly before it (after it, in Korean) in the same clause."""

    window_words: int = Field(ge=0, le=12)
    window_chars_after: int = Field(ge=0, le=40)
    applies_to: list[str]
    before: Words = Field(default_factory=dict)
    after: Words = Field(default_factory=dict)
    breaks: Words = Field(default_factory=dict)


class LevelCues(_Rules):
    """The cues for each level of one severity dimension."""

    high: LangCues = Field(default_factory=dict)
    medium: LangCues = Field(default_factory=dict)
    low: LangCues = Field(default_factory=dict)

    def by_level(self) -> tuple[tuple[int, LangCues], ...]:
        return ((3, self.high), (2, self.medium), (1, self.low))


class Counts(_Rules):
    """The words for people and for multipliers, to read "2,000 drivers" or "3만 명"."""

    people: Words
    multipliers: dict[LangCode, dict[str, Annotated[float, Field(gt=0)]]]


class ScopeCount(_Rules):
    min: int = Field(ge=1)
    level: Level


class Baseline(_Rules):
    dimension: Dimension
    level: Level
    because: Annotated[str, StringConstraints(min_length=1)]


class Implication(_Rules):
    when: Annotated[str, StringConstraints(pattern=r"^(harm|urgent|right)\.[a-z_]+$")]
    dimension: Dimension
    level: Level
    because: Annotated[str, StringConstraints(min_length=1)]


class TriageRules(_Rules):
    """Schema of ``triage.yaml``: every cue, rule and score triage uses."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+$")]
    scores: Scores
    negation: Negation
    rights: dict[Annotated[str, StringConstraints(pattern=r"^right\.[a-z_]+$")], LangCues] = Field(
        default_factory=dict
    )
    harms: dict[Annotated[str, StringConstraints(pattern=r"^harm\.[a-z_]+$")], LangCues] = Field(
        default_factory=dict
    )
    framework_levels: dict[Dimension, Level] = Field(default_factory=dict)
    severity: dict[Dimension, LevelCues]
    urgency: dict[Flag, LangCues]
    ages: dict[LangCode, list[Annotated[str, AfterValidator(_valid_age_pattern)]]] = Field(
        default_factory=dict
    )
    adult_age: int = Field(default=18, ge=1, le=30)
    counts: Counts
    scope_counts: list[ScopeCount] = Field(min_length=1)
    baseline: list[Baseline] = Field(default_factory=list)
    implications: list[Implication] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> TriageRules:
        missing = [d for d in SEVERITY_DIMENSIONS if d not in self.severity]
        if missing:
            raise ValueError(f"severity needs cues for every dimension; missing: {missing}")
        mins = [rule.min for rule in self.scope_counts]
        levels = [rule.level for rule in self.scope_counts]
        if mins != sorted(set(mins)) or levels != sorted(levels):
            raise ValueError("scope_counts must rise: each min and level at least the one before")
        return self

    def languages(self) -> frozenset[str]:
        """The languages the rules have cues for."""
        cached = _LANGUAGES.get(id(self))
        if cached is not None and cached[0] is self:
            return cached[1]
        found: set[str] = set()
        for flag_cues in self.urgency.values():
            found.update(flag_cues)
        for level_cues in self.severity.values():
            for _, cues in level_cues.by_level():
                found.update(cues)
        _LANGUAGES[id(self)] = (self, frozenset(found))
        return frozenset(found)


_LANGUAGES: dict[int, tuple[TriageRules, frozenset[str]]] = {}


RulesT = TypeVar("RulesT", bound=BaseModel)


class TriageRulesError(ValueError):
    """The triage rules file is malformed; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"The triage rules have {len(self.problems)} problem(s):\n{lines}")


def read_rules(path: Path | str, schema: type[RulesT]) -> RulesT:
    """Read and validate a rules file (triage or priority) against ``schema``; errors name
    the file, line and place."""
    try:
        return parse_file(Path(path), schema)
    except FrameworkError as exc:
        raise TriageRulesError(exc.problems) from exc


def load_rules(path: Path | str) -> TriageRules:
    """Read and validate a triage rules file."""
    return read_rules(path, TriageRules)


@lru_cache(maxsize=1)
def default_rules() -> TriageRules:
    """The shipped triage rules, loaded once per process."""
    return load_rules(RULES_PATH)


def check_rules(rules: TriageRules, framework: Framework) -> list[str]:
    """Every id in ``rules`` that the framework does not know, in plain words."""
    harm_ids = {term.id for term in harm_terms(framework)}
    right_ids = {right.id for right in framework.rights}
    problems = [f"rights: {key} is not a right" for key in rules.rights if key not in right_ids]
    problems += [f"harms: {key} is not a harm type" for key in rules.harms if key not in harm_ids]
    known = harm_ids | right_ids | set(URGENCY_FLAGS)
    problems += [
        f"implications: {rule.when} is not a harm type, right or urgency flag"
        for rule in rules.implications
        if rule.when not in known
    ]
    problems += [
        f"negation.applies_to: {key} is unknown"
        for key in rules.negation.applies_to
        if key not in known | {"severity"}
    ]
    return problems


def harm_terms(framework: Framework) -> list[Term]:
    return list(framework.vocabulary("harm_types").terms)


@dataclass(frozen=True)
class HarmTypes:
    """The harm types of a framework: English labels and the rights each engages."""

    labels: dict[str, str]
    rights: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, framework: Framework) -> HarmTypes:
        terms = harm_terms(framework)
        return cls(
            labels={term.id: term.label.en for term in terms},
            rights={term.id: tuple(term.rights) for term in terms},
        )


def label_of(harm_types: HarmTypes, identifier: str) -> str:
    """Plain words for a harm type or an urgency flag, as reasons name them."""
    if identifier in URGENCY_WORDS:
        return URGENCY_WORDS[identifier]
    if identifier in harm_types.labels:
        return f"the harm type “{harm_types.labels[identifier]}”"
    return identifier
