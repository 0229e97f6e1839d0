"""The GP31 self-assessment of a grievance mechanism: the questionnaire (``data/gp31.yaml``),
a summary of the answers, and indicators computed from the mechanism's own data beside each
effectiveness criterion. Plain data, no Django.

The indicators read ``MechanismFacts``: counts and histograms the web app gets with SQL, or
``facts_from_records`` computes from plain records (the tests check both agree).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ungpkit.framework import Framework, FrameworkError, Problem, Text, default_framework
from ungpkit.framework.loader import parse_file
from ungpkit.framework.models import Model
from ungpkit.grievances.statistics import GrievanceRecord, bucket, days_between, percentile, within

QUESTIONNAIRE = Path(__file__).parent / "data" / "gp31.yaml"
CRITERIA_VOCABULARY = "gp31_criteria"

ANSWERS: tuple[str, ...] = ("yes", "partly", "no")
"""What staff may answer to each question."""

Answer = Literal["yes", "partly", "no"]


# The questionnaire ---------------------------------------------------------------------------


class Question(Model):
    """One question on a criterion, in every language."""

    id: Annotated[str, StringConstraints(pattern=r"^gp31\.[a-h]_[a-z_]+\.[a-z_]+$")]
    text: Text


class CriterionQuestions(Model):
    """The questions on one GP31 criterion."""

    criterion: Annotated[str, StringConstraints(pattern=r"^gp31\.[a-h]_[a-z_]+$")]
    questions: list[Question] = Field(min_length=2, max_length=4)


class Questionnaire(Model):
    """Schema of ``gp31.yaml``: every criterion (a)-(h), in order, with 2 to 4 questions."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+$")]
    criteria: list[CriterionQuestions] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [question for criterion in self.criteria for question in criterion.questions]

    def question_ids(self) -> list[str]:
        return [question.id for question in self.questions()]


def load_questionnaire(
    path: Path | None = None, framework: Framework | None = None
) -> Questionnaire:
    """Read and validate the questionnaire: every criterion of the framework's vocabulary
    ``gp31_criteria`` once and in order, each question id under its criterion and unique.
    Raises ``FrameworkError`` naming each problem."""
    source = path or QUESTIONNAIRE
    questionnaire = parse_file(source, Questionnaire)
    expected = [
        term.id for term in (framework or default_framework()).vocabulary(CRITERIA_VOCABULARY).terms
    ]
    problems: list[Problem] = []
    found = [criterion.criterion for criterion in questionnaire.criteria]
    if found != expected:
        problems.append(
            Problem(source, "criteria", None, f"must be {expected} in this order, not {found}")
        )
    seen: set[str] = set()
    for index, criterion in enumerate(questionnaire.criteria):
        for number, question in enumerate(criterion.questions):
            place = f"criteria[{index}].questions[{number}] ({question.id})"
            if not question.id.startswith(criterion.criterion + "."):
                problems.append(Problem(source, place, None, "must start with its criterion id"))
            if question.id in seen:
                problems.append(Problem(source, place, None, "is a duplicate id"))
            seen.add(question.id)
    if problems:
        raise FrameworkError(problems)
    return questionnaire


@lru_cache(maxsize=1)
def default_questionnaire() -> Questionnaire:
    """The shipped questionnaire, loaded once per process."""
    return load_questionnaire()


@dataclass(frozen=True)
class CriterionSummary:
    """How the questions on one criterion were answered."""

    criterion: str
    yes: int = 0
    partly: int = 0
    no: int = 0
    unanswered: int = 0

    @property
    def level(self) -> str:
        """``met`` (every answer yes), ``not_met`` (every answer no), ``partly`` in
        between, ``unanswered`` when a question is still open."""
        if self.unanswered:
            return "unanswered"
        if self.partly == 0 and self.no == 0:
            return "met"
        if self.yes == 0 and self.partly == 0:
            return "not_met"
        return "partly"


def summarise(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[CriterionSummary]:
    """Per criterion, how many questions were answered yes, partly, no, or not yet."""
    summaries = []
    for criterion in questionnaire.criteria:
        tally = Counter(answers.get(q.id, "") for q in criterion.questions)
        summaries.append(
            CriterionSummary(
                criterion.criterion,
                yes=tally["yes"],
                partly=tally["partly"],
                no=tally["no"],
                unanswered=sum(n for key, n in tally.items() if key not in ANSWERS),
            )
        )
    return summaries


# Facts and indicators ------------------------------------------------------------------------


@dataclass(frozen=True)
class MechanismFacts:
    """What the indicators are computed from: counts over a mechanism's grievances."""

    total: int = 0
    anonymous: int = 0
    represented: int = 0
    """Made on someone's behalf, or sent in by a partner organisation."""
    languages: Mapping[str, int] = field(default_factory=dict)
    channels: Mapping[str, int] = field(default_factory=dict)
    acknowledge: Mapping[int, int] = field(default_factory=dict)
    """Days to acknowledgement, as a histogram of tenths of a day."""
    acknowledge_deadline_days: int | None = None
    state_days: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    """Per state, the days cases stayed in it (histograms of tenths of a day)."""
    outcomes: int = 0
    outcomes_told: int = 0
    remedy_accepted: int = 0
    remedy_refused: int = 0
    escalations: int = 0
    labelled: int = 0
    """Grievances with at least one right and one harm type."""
    issues: int = 0
    recurring_issues: int = 0
    messages_to_complainants: int = 0
    cases_with_complainant_message: int = 0
    ratings: int = 0
    rating_sum: int = 0


Unit = Literal["share", "days", "count", "number", "breakdown"]


@dataclass(frozen=True)
class Indicator:
    """One figure beside a criterion: its value (None when there is nothing to compute it
    over), its unit, and how many cases it is based on."""

    id: str
    value: float | int | None
    unit: Unit
    basis: int = 0
    breakdown: tuple[tuple[str, float | int], ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "value": self.value,
            "unit": self.unit,
            "basis": self.basis,
            "breakdown": [[key, value] for key, value in self.breakdown],
        }


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a fraction rounded to 3 places (None when ``whole`` is 0)."""
    return round(part / whole, 3) if whole else None


def _median(histogram: Mapping[int, int]) -> float | None:
    return percentile(histogram, 0.5) if sum(histogram.values()) else None


def _by_size(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def indicators(facts: MechanismFacts) -> dict[str, tuple[Indicator, ...]]:
    """The indicators of each GP31 criterion, keyed by the criterion's id."""
    acknowledged = sum(facts.acknowledge.values())
    on_time = (
        within(facts.acknowledge, facts.acknowledge_deadline_days)
        if facts.acknowledge_deadline_days is not None
        else 0
    )
    decisions = facts.remedy_accepted + facts.remedy_refused
    state_medians = tuple(
        (state, median)
        for state, histogram in facts.state_days.items()
        if (median := _median(histogram)) is not None
    )
    return {
        "gp31.a_legitimate": (
            Indicator("rated_share", share(facts.ratings, facts.outcomes), "share", facts.outcomes),
            Indicator(
                "satisfaction_mean",
                round(facts.rating_sum / facts.ratings, 2) if facts.ratings else None,
                "number",
                facts.ratings,
            ),
        ),
        "gp31.b_accessible": (
            Indicator(
                "languages",
                len(facts.languages),
                "breakdown",
                facts.total,
                _by_size(facts.languages),
            ),
            Indicator(
                "channels", len(facts.channels), "breakdown", facts.total, _by_size(facts.channels)
            ),
            Indicator("anonymous_share", share(facts.anonymous, facts.total), "share", facts.total),
        ),
        "gp31.c_predictable": (
            Indicator(
                "acknowledged_on_time_share",
                share(on_time, acknowledged) if facts.acknowledge_deadline_days else None,
                "share",
                acknowledged,
            ),
            Indicator("acknowledge_median_days", _median(facts.acknowledge), "days", acknowledged),
            Indicator(
                "state_median_days",
                len(state_medians),
                "breakdown",
                sum(sum(h.values()) for h in facts.state_days.values()),
                state_medians,
            ),
        ),
        "gp31.d_equitable": (
            Indicator(
                "represented_share", share(facts.represented, facts.total), "share", facts.total
            ),
        ),
        "gp31.e_transparent": (
            Indicator(
                "outcome_told_share",
                share(facts.outcomes_told, facts.outcomes),
                "share",
                facts.outcomes,
            ),
        ),
        "gp31.f_rights_compatible": (
            Indicator(
                "remedy_accepted_share", share(facts.remedy_accepted, decisions), "share", decisions
            ),
            Indicator("escalations", facts.escalations, "count", facts.total),
        ),
        "gp31.g_continuous_learning": (
            Indicator("recurring_issues", facts.recurring_issues, "count", facts.issues),
            Indicator("labelled_share", share(facts.labelled, facts.total), "share", facts.total),
        ),
        "gp31.h_engagement_dialogue": (
            Indicator(
                "messages_per_case",
                round(facts.messages_to_complainants / facts.total, 2) if facts.total else None,
                "number",
                facts.total,
            ),
            Indicator(
                "complainant_wrote_share",
                share(facts.cases_with_complainant_message, facts.total),
                "share",
                facts.total,
            ),
        ),
    }


def facts_from_records(
    records: Iterable[GrievanceRecord],
    *,
    acknowledge_deadline_days: int | None = None,
    issues: int = 0,
    recurring_issues: int = 0,
) -> MechanismFacts:
    """The facts of a mechanism, counted from plain records."""
    languages: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    acknowledge: Counter[int] = Counter()
    state_days: dict[str, Counter[int]] = {}
    counts: Counter[str] = Counter()
    for record in records:
        counts["total"] += 1
        languages[record.language] += 1
        channels[record.channel] += 1
        counts["anonymous"] += record.anonymous
        counts["represented"] += record.on_behalf or record.represented
        if record.acknowledged_at is not None:
            acknowledge[bucket(days_between(record.created_at, record.acknowledged_at))] += 1
        for state, days in record.state_days:
            state_days.setdefault(state, Counter())[bucket(days)] += 1
        counts["outcomes"] += record.remedy_types is not None
        counts["outcomes_told"] += record.outcome_told
        counts["remedy_accepted"] += record.remedy_decisions.count("accepted")
        counts["remedy_refused"] += record.remedy_decisions.count("refused")
        counts["escalations"] += record.escalations
        counts["labelled"] += bool(record.rights) and bool(record.harms)
        counts["messages_to_complainants"] += record.messages_to_complainant
        counts["cases_with_complainant_message"] += record.complainant_messages > 0
        if record.satisfaction is not None:
            counts["ratings"] += 1
            counts["rating_sum"] += record.satisfaction
    return MechanismFacts(
        languages=dict(languages),
        channels=dict(channels),
        acknowledge=dict(acknowledge),
        acknowledge_deadline_days=acknowledge_deadline_days,
        state_days={state: dict(histogram) for state, histogram in state_days.items()},
        issues=issues,
        recurring_issues=recurring_issues,
        **{name: counts[name] for name in _COUNTED},
    )


_COUNTED = (
    "total",
    "anonymous",
    "represented",
    "outcomes",
    "outcomes_told",
    "remedy_accepted",
    "remedy_refused",
    "escalations",
    "labelled",
    "messages_to_complainants",
    "cases_with_complainant_message",
    "ratings",
    "rating_sum",
)
