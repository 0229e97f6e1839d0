"""The queue puts severity first (irremediable harm first), then likelihood, then waiting time."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ungpkit.grievances.model import (
    SEVERITY_DIMENSIONS,
    URGENCY_FLAGS,
    GrievanceInput,
    Reason,
    Suggestion,
    Triage,
)
from ungpkit.grievances.priority import (
    RULES_PATH,
    default_priority_rules,
    load_priority_rules,
    priority,
    severity_points,
)
from ungpkit.grievances.triage import TriageRulesError, triage

RULES = default_priority_rules()
CAP = RULES.age.cap_days


def _triage(
    levels: tuple[int, int, int] = (0, 0, 0), flags: frozenset[str] = frozenset()
) -> Triage:
    """A triage with the given (scale, scope, irremediability) levels and urgency flags."""
    severity = tuple(
        Suggestion(dimension, float(level), (Reason("cue", f"level {level}"),))
        for dimension, level in zip(SEVERITY_DIMENSIONS, levels, strict=True)
    )
    urgency = tuple(
        Suggestion(f, 1.0, (Reason("form", "ticked"),)) for f in URGENCY_FLAGS if f in flags
    )
    return Triage("en", (), (), (), severity, urgency, "test", "0")


LEVEL = st.integers(0, 3)
LEVELS = st.tuples(LEVEL, LEVEL, LEVEL)
FLAGS = st.frozensets(st.sampled_from(URGENCY_FLAGS))
AGE = st.floats(0, CAP, allow_nan=False)
LIKELIHOOD = st.none() | st.floats(0, 1, allow_nan=False)


def test_the_reasons_say_why_in_plain_words() -> None:
    result = triage(GrievanceInput("They published my address online and threaten to kill me."))
    ranked = priority(result, age_days=3)
    details = [r.detail for r in ranked.reasons]
    assert "irremediable harm suggested (high): the words “published my address online”" in details
    assert any(d.startswith("risk to life or physical integrity: the words") for d in details)
    assert "irremediable harm comes first (GP24)" in details
    assert details[-2:] == ["likelihood not estimated, counted as 50%", "waiting 3 days"]
    assert details[0].startswith("severity counts first:")


def test_irremediable_harm_comes_before_a_larger_but_reversible_one() -> None:
    irreversible = _triage((1, 1, 3))
    widespread = _triage((2, 3, 1), frozenset({"urgent.ongoing"}))
    assert priority(irreversible, age_days=0).score > priority(widespread, age_days=CAP).score


def test_among_equal_severity_the_likelier_then_the_older_comes_first() -> None:
    same = _triage((2, 1, 1))
    assert (
        priority(same, age_days=0, likelihood=0.9).score
        > priority(same, age_days=CAP, likelihood=0.2).score
    )
    assert priority(same, age_days=10).score > priority(same, age_days=2).score


def test_waiting_longer_than_the_cap_counts_as_the_cap() -> None:
    same = _triage((2, 1, 1))
    assert priority(same, age_days=CAP).score == priority(same, age_days=CAP * 5).score
    assert "the most that counts" in priority(same, age_days=CAP * 5).reasons[-1].detail


def test_an_unknown_likelihood_counts_as_the_default() -> None:
    same = _triage((1, 1, 1))
    assert (
        priority(same, age_days=1).score
        == priority(same, age_days=1, likelihood=RULES.likelihood.default).score
    )


def test_the_score_and_the_creation_date_order_the_queue() -> None:
    now = datetime(2026, 1, 31)
    cases = [
        ("old minor", _triage((1, 1, 1)), now - timedelta(days=40)),
        ("new death threat", _triage((3, 1, 2), frozenset({"urgent.life"})), now),
        ("leaked health data", _triage((3, 3, 3)), now - timedelta(days=2)),
        ("new minor", _triage((1, 1, 1)), now - timedelta(days=1)),
    ]
    scored = [
        (priority(t, age_days=(now - created).days).score, created, name)
        for name, t, created in cases
    ]
    queue = [name for _, _, name in sorted(scored, key=lambda row: (-row[0], row[1]))]
    assert queue == ["leaked health data", "new death threat", "old minor", "new minor"]


def test_scores_fit_in_a_database_integer() -> None:
    worst = _triage((3, 3, 3), frozenset(URGENCY_FLAGS))
    assert priority(worst, age_days=10**6, likelihood=1.0).score < 2**31 - 1


def test_negative_points_are_refused_with_their_line(tmp_path: Path) -> None:
    target = tmp_path / "priority.yaml"
    shutil.copy(RULES_PATH, target)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("points_per_level: 4", "points_per_level: -4"), encoding="utf-8")
    with pytest.raises(TriageRulesError) as info:
        load_priority_rules(target)
    line = text.splitlines().index("    points_per_level: 4") + 1
    assert f"priority.yaml:{line}" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(levels=LEVELS, flags=FLAGS, dimension=st.integers(0, 2), age=AGE, likelihood=LIKELIHOOD)
def test_raising_a_severity_level_never_lowers_the_score(
    levels: tuple[int, int, int],
    flags: frozenset[str],
    dimension: int,
    age: float,
    likelihood: float | None,
) -> None:
    raised = list(levels)
    raised[dimension] = min(3, raised[dimension] + 1)
    before = priority(_triage(levels, flags), age_days=age, likelihood=likelihood)
    after = priority(
        _triage((raised[0], raised[1], raised[2]), flags), age_days=age, likelihood=likelihood
    )
    assert after.score >= before.score


@settings(max_examples=300, deadline=None)
@given(levels=LEVELS, flags=FLAGS, flag=st.sampled_from(URGENCY_FLAGS), age=AGE)
def test_adding_an_urgency_flag_never_lowers_the_score(
    levels: tuple[int, int, int], flags: frozenset[str], flag: str, age: float
) -> None:
    before = priority(_triage(levels, flags), age_days=age)
    after = priority(_triage(levels, flags | {flag}), age_days=age)
    assert after.score >= before.score


@settings(max_examples=400, deadline=None)
@given(
    a=st.tuples(LEVELS, FLAGS),
    b=st.tuples(LEVELS, FLAGS),
    age_a=AGE,
    age_b=AGE,
    like_a=LIKELIHOOD,
    like_b=LIKELIHOOD,
)
def test_severity_always_dominates_likelihood_and_age_within_the_cap(
    a: tuple[tuple[int, int, int], frozenset[str]],
    b: tuple[tuple[int, int, int], frozenset[str]],
    age_a: float,
    age_b: float,
    like_a: float | None,
    like_b: float | None,
) -> None:
    first, second = _triage(*a), _triage(*b)
    points_a, _ = severity_points(first, RULES)
    points_b, _ = severity_points(second, RULES)
    score_a = priority(first, age_days=age_a, likelihood=like_a).score
    score_b = priority(second, age_days=age_b, likelihood=like_b).score
    if points_a > points_b:
        assert score_a > score_b
    if points_a == points_b and age_a == age_b and like_a == like_b:
        assert score_a == score_b


@settings(max_examples=200, deadline=None)
@given(
    levels=LEVELS,
    flags=FLAGS,
    age=AGE,
    older=st.floats(0, CAP, allow_nan=False),
    likelihood=LIKELIHOOD,
)
def test_waiting_longer_never_lowers_the_score(
    levels: tuple[int, int, int],
    flags: frozenset[str],
    age: float,
    older: float,
    likelihood: float | None,
) -> None:
    t = _triage(levels, flags)
    assert (
        priority(t, age_days=age + older, likelihood=likelihood).score
        >= priority(t, age_days=age, likelihood=likelihood).score
    )
