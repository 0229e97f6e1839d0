"""The GP31 self-assessment core: the questionnaire is validated at load, answers are
summarised per criterion, and indicators are computed from plain records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from ungpkit.framework import Framework, FrameworkError
from ungpkit.grievances import selfassessment as sa
from ungpkit.grievances.statistics import GrievanceRecord

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_the_shipped_questionnaire_covers_every_criterion(framework: Framework) -> None:
    questionnaire = sa.load_questionnaire(framework=framework)
    criteria = [term.id for term in framework.vocabulary("gp31_criteria").terms]
    assert [c.criterion for c in questionnaire.criteria] == criteria
    assert len(criteria) == 8
    for criterion in questionnaire.criteria:
        assert 2 <= len(criterion.questions) <= 4
        for question in criterion.questions:
            for language in ("en", "fr", "es", "ko"):
                assert question.text.get(language).strip()
            assert question.text.fr != question.text.en
    ids = questionnaire.question_ids()
    assert len(ids) == len(set(ids))


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "gp31.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _shipped() -> dict[str, object]:
    return yaml.safe_load(sa.QUESTIONNAIRE.read_text(encoding="utf-8"))


def test_a_missing_translation_is_refused_with_its_place(tmp_path: Path) -> None:
    data = _shipped()
    del data["criteria"][2]["questions"][1]["text"]["ko"]  # type: ignore[index]
    with pytest.raises(FrameworkError) as error:
        sa.load_questionnaire(_write(tmp_path, data))
    assert "criteria[2].questions[1] (gp31.c_predictable.outcomes).text.ko" in str(error.value)


def test_criteria_out_of_order_or_too_few_questions_are_refused(tmp_path: Path) -> None:
    data = _shipped()
    criteria = data["criteria"]  # type: ignore[index]
    criteria[0], criteria[1] = criteria[1], criteria[0]
    with pytest.raises(FrameworkError, match="in this order"):
        sa.load_questionnaire(_write(tmp_path, data))
    data = _shipped()
    data["criteria"][0]["questions"] = data["criteria"][0]["questions"][:1]  # type: ignore[index]
    with pytest.raises(FrameworkError, match="at least 2"):
        sa.load_questionnaire(_write(tmp_path, data))


def test_a_question_under_the_wrong_criterion_or_twice_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    questions = data["criteria"][1]["questions"]  # type: ignore[index]
    questions[0]["id"] = "gp31.a_legitimate.governance"
    with pytest.raises(FrameworkError) as error:
        sa.load_questionnaire(_write(tmp_path, data))
    message = str(error.value)
    assert "must start with its criterion id" in message
    assert "duplicate" in message


def test_summary_per_criterion() -> None:
    questionnaire = sa.default_questionnaire()
    legitimate = [q.id for q in questionnaire.criteria[0].questions]
    accessible = [q.id for q in questionnaire.criteria[1].questions]
    answers = {legitimate[0]: "yes", legitimate[1]: "yes", legitimate[2]: "yes"}
    answers.update({accessible[0]: "yes", accessible[1]: "partly", accessible[2]: "no"})
    summaries = sa.summarise(questionnaire, answers)
    assert summaries[0].level == "met" and summaries[0].yes == 3
    assert (summaries[1].yes, summaries[1].partly, summaries[1].no) == (1, 1, 1)
    assert summaries[1].level == "partly"
    assert summaries[2].level == "unanswered" and summaries[2].unanswered == 3


def record(**fields: object) -> GrievanceRecord:
    values: dict[str, object] = {"created_at": T0, "state": "received"}
    values.update(fields)
    return GrievanceRecord(**values)  # type: ignore[arg-type]


def test_indicators_beside_each_criterion() -> None:
    records = [
        record(
            language="fr",
            anonymous=False,
            acknowledged_at=T0 + timedelta(days=2),
            state_days=(("received", 2.0), ("acknowledged", 4.0)),
            remedy_types=("apology",),
            outcome_told=True,
            satisfaction=4,
            remedy_decisions=("accepted",),
            rights=("right.privacy",),
            harms=("harm.data_breach",),
            messages_to_complainant=3,
            complainant_messages=1,
        ),
        record(
            acknowledged_at=T0 + timedelta(days=9),
            state_days=(("received", 9.0),),
            on_behalf=True,
            remedy_types=("compensation",),
            remedy_decisions=("refused",),
            escalations=1,
            messages_to_complainant=1,
        ),
        record(channel="api", represented=True),
        record(),
    ]
    facts = sa.facts_from_records(
        records, acknowledge_deadline_days=5, issues=3, recurring_issues=1
    )
    found = {
        indicator.id: indicator
        for indicators in sa.indicators(facts).values()
        for indicator in indicators
    }
    assert set(sa.indicators(facts)) == {
        term for term in (c.criterion for c in sa.default_questionnaire().criteria)
    }
    assert found["languages"].value == 2
    assert found["languages"].breakdown == (("en", 3), ("fr", 1))
    assert found["channels"].breakdown == (("web", 3), ("api", 1))
    assert found["anonymous_share"].value == 0.75
    assert found["acknowledged_on_time_share"].value == 0.5
    assert found["acknowledge_median_days"].value == 2.0
    assert dict(found["state_median_days"].breakdown) == {"received": 2.0, "acknowledged": 4.0}
    assert found["represented_share"].value == 0.5
    assert found["outcome_told_share"].value == 0.5
    assert found["remedy_accepted_share"].value == 0.5
    assert found["escalations"].value == 1
    assert found["recurring_issues"].value == 1 and found["recurring_issues"].basis == 3
    assert found["labelled_share"].value == 0.25
    assert found["messages_per_case"].value == 1.0
    assert found["complainant_wrote_share"].value == 0.25
    assert found["rated_share"].value == 0.5
    assert found["satisfaction_mean"].value == 4.0


def test_indicators_without_data_are_empty_not_zero() -> None:
    found = {
        indicator.id: indicator
        for indicators in sa.indicators(sa.MechanismFacts()).values()
        for indicator in indicators
    }
    assert found["anonymous_share"].value is None
    assert found["acknowledged_on_time_share"].value is None
    assert found["satisfaction_mean"].value is None
    assert found["messages_per_case"].value is None
