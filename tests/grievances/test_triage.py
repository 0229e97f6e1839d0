"""Triage suggests rights, harm types, severity and urgency, each with the reasons why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ungpkit.framework import Framework
from ungpkit.grievances.model import SEVERITY_DIMENSIONS, URGENCY_FLAGS, GrievanceInput, Triage
from ungpkit.grievances.triage import (
    RULES_PATH,
    TriageRulesError,
    anchor_of,
    check_rules,
    compile_all,
    default_rules,
    load_rules,
    triage,
    triage_many,
)


def _run(description: str, **form: object) -> Triage:
    return triage(GrievanceInput(description, **form))  # type: ignore[arg-type]


def _ids(suggestions: tuple[object, ...]) -> set[str]:
    return {s.id for s in suggestions}  # type: ignore[attr-defined]


def _flag(result: Triage, flag: str):  # type: ignore[no-untyped-def]
    return next((s for s in result.urgency if s.id == flag), None)


def _level(result: Triage, dimension: str) -> int:
    return result.level(f"severity.{dimension}")


# --- The rules file ---------------------------------------------------------------------------


def test_compile_all_compiles_every_language_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from ungpkit.grievances import triage_cues as module

    rules = load_rules(RULES_PATH)  # a fresh copy: nothing compiled for it yet
    framework = module.default_framework()
    compiled: list[str] = []
    real = module.compile_language

    def counting(framework: Framework, rules: object, lang: str) -> object:
        compiled.append(lang)
        return real(framework, rules, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "compile_language", counting)
    compile_all(framework, rules)
    assert sorted(compiled) == sorted(rules.languages())
    triage(GrievanceInput("Mon fils a été harcelé en ligne."), framework, rules=rules)
    compile_all(framework, rules)
    assert sorted(compiled) == sorted(rules.languages())  # nothing compiled again


def test_the_shipped_rules_refer_only_to_what_the_framework_knows(framework: Framework) -> None:
    assert check_rules(default_rules(), framework) == []


def test_every_language_has_cues_for_every_flag_and_dimension() -> None:
    rules = default_rules()
    for lang in ("en", "fr", "es", "ko"):
        for flag in URGENCY_FLAGS:
            assert rules.urgency[flag].get(lang), (flag, lang)  # type: ignore[index]
        for dimension in SEVERITY_DIMENSIONS:
            levels = rules.severity[dimension]  # type: ignore[index]
            assert levels.high.get(lang) and levels.medium.get(lang), (dimension, lang)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "triage.yaml"
    shutil.copy(RULES_PATH, target)
    return target


def test_a_malformed_rules_file_is_refused_with_its_line(rules_copy: Path) -> None:
    text = rules_copy.read_text(encoding="utf-8")
    rules_copy.write_text(text.replace("  cue_step: 0.15", "  cue_step: 1.5"), encoding="utf-8")
    with pytest.raises(TriageRulesError) as info:
        load_rules(rules_copy)
    message = str(info.value)
    line = text.splitlines().index("  cue_step: 0.15    # each further distinct phrase") + 1
    assert f"triage.yaml:{line}" in message
    assert "scores.cue_step" in message


def test_an_unknown_key_and_a_bad_age_pattern_are_both_reported(rules_copy: Path) -> None:
    text = rules_copy.read_text(encoding="utf-8")
    text = text.replace("adult_age: 18", "adult_age: 18\ngrown_up: 18")
    text = text.replace(r"'\baged? (\d{1,2})\b'", r"'\baged? \d{1,2}\b'")
    rules_copy.write_text(text, encoding="utf-8")
    with pytest.raises(TriageRulesError) as info:
        load_rules(rules_copy)
    assert "grown_up" in str(info.value)
    assert "exactly one group" in str(info.value)


def test_rules_naming_an_unknown_harm_type_are_refused(framework: Framework) -> None:
    rules = default_rules().model_copy(update={"harms": {"harm.made_up": {"en": ["x"]}}})
    assert check_rules(rules, framework) == ["harms: harm.made_up is not a harm type"]
    with pytest.raises(TriageRulesError):
        triage(GrievanceInput("My data leaked."), framework, rules=rules)


def test_anchors_are_the_words_a_text_must_hold() -> None:
    anchor = anchor_of("account ~ suspend*", "en")
    assert (anchor.first, anchor.prefix, anchor.prefixes) == ("account", False, {"suspend"})
    assert anchor_of("surveill*", "en").prefix
    assert anchor_of("my data", "en").key == "data"  # looked up by its rarer word
    assert anchor_of("계정이 막", "ko").first == "계정이"


# --- What triage suggests ---------------------------------------------------------------------


def test_a_data_breach_suggests_privacy_with_the_words_and_offsets() -> None:
    text = "Hackers stole the customer database and my data was leaked on a forum."
    result = _run(text)
    assert "harm.data_breach" in _ids(result.harms)
    privacy = next(s for s in result.rights if s.id == "right.privacy")
    for reason in privacy.reasons:
        if reason.start is not None and reason.end is not None:
            assert f"“{text[reason.start : reason.end]}”" in reason.detail
    assert any(r.rule == "harm" and "Data breach" in r.detail for r in privacy.reasons)


def test_rights_come_from_the_harm_types_they_are_linked_to() -> None:
    result = _run("The app deactivated me and my rating dropped.")
    work = next(s for s in result.rights if s.id == "right.work")
    assert any(
        r.rule == "harm" and "Algorithmic decision at work" in r.detail for r in work.reasons
    )


def test_nothing_recognisable_suggests_the_other_harm_type() -> None:
    result = _run("The colour of the button changed and I preferred the old one.")
    assert [s.id for s in result.harms] == ["harm.other"]
    assert result.harms[0].reasons[0].rule == "fallback"


def test_a_threat_to_kill_raises_the_life_flag_and_grave_scale() -> None:
    result = _run("They posted my home address and said they will kill me.")
    life = _flag(result, "urgent.life")
    assert life is not None
    assert any("kill me" in r.detail for r in life.reasons)
    assert _level(result, "scale") == 3
    assert _level(result, "irremediability") >= 2


@pytest.mark.parametrize(
    "text",
    [
        "No one was hurt and the app works again.",
        "Nobody was injured, luckily.",
        "Personne n'a été blessé.",
        "Nadie resultó herido.",
        "부상자는 없습니다.",
    ],
)
def test_a_negated_cue_does_not_raise_the_life_flag(text: str) -> None:
    assert _flag(_run(text), "urgent.life") is None


def test_negation_stops_at_the_end_of_the_clause() -> None:
    result = _run("The data was not protected and was leaked, and now they threaten to hurt me.")
    assert _flag(result, "urgent.life") is not None


def test_the_form_flags_become_urgency_with_the_form_as_reason() -> None:
    result = _run(
        "My account was closed.", child_involved=True, ongoing=True, fear_of_reprisal=True
    )
    for flag, rule in (
        ("urgent.child", "form.child_involved"),
        ("urgent.ongoing", "form.ongoing"),
        ("urgent.reprisal", "form.fear_of_reprisal"),
    ):
        found = _flag(result, flag)
        assert found is not None and found.score == 1.0
        assert found.reasons[0].rule == rule


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("My 13-year-old son was groomed in the game chat.", True),
        ("My husband, 45 years old, was locked out.", False),
        ("Ma fille de 14 ans reçoit des messages.", True),
        ("J'ai ouvert ce compte il y a 2 ans.", False),
        ("Mi hija de 15 años recibe mensajes.", True),
        ("13살 아들이 게임에서 결제했습니다.", True),
    ],
)
def test_an_age_under_eighteen_raises_the_child_flag(text: str, child: bool) -> None:
    assert (_flag(_run(text), "urgent.child") is not None) is child


def test_the_affected_count_sets_the_scope() -> None:
    result = _run("The outage cut off our service.", affected_count=2000)
    scope = next(s for s in result.severity if s.id == "severity.scope")
    assert scope.score == 3
    assert scope.reasons[0].rule == "form.affected_count"
    assert "2,000" in scope.reasons[0].detail


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("The algorithm cut the pay of 2,000 drivers.", 3),
        ("Plus de 3 000 personnes ont perdu leur compte.", 3),
        ("Unos 40 trabajadores perdieron su empleo.", 2),
        ("3만 명의 개인정보가 유출되었습니다.", 3),
        ("In 2023 my account was closed.", 1),
    ],
)
def test_numbers_of_people_in_the_text_set_the_scope(text: str, level: int) -> None:
    assert _level(_run(text), "scope") == level


def test_each_severity_dimension_comes_once_in_order_with_a_reason() -> None:
    result = _run("")
    assert [s.id for s in result.severity] == list(SEVERITY_DIMENSIONS)
    assert all(s.score == 0 and s.reasons for s in result.severity)
    assert result.rights == () and result.harms == ()


def test_the_language_is_detected_or_taken_from_the_form() -> None:
    korean = _run("배달 앱에서 아무런 설명도 없이 계정이 정지되었습니다.")
    assert korean.language == "ko"
    assert korean.language_reasons[0].rule == "language.detected"
    assert "harm.account_suspension" in _ids(korean.harms)
    short = _run("Spam!", language="fr")
    assert (short.language, short.language_reasons[0].rule) == ("fr", "form.language")


def test_an_unsupported_language_keeps_only_the_form_answers() -> None:
    result = _run(
        "Mein Konto wurde gesperrt und die Daten sind nicht mehr da, das ist sehr schlimm.",
        child_involved=True,
    )
    assert result.language == "de"
    assert "no words for it" in result.language_reasons[0].detail
    assert _ids(result.urgency) == {"urgent.child"}


@pytest.mark.parametrize(
    ("lang", "text", "harm", "right"),
    [
        (
            "fr",
            "Mon compte a été suspendu sans aucune explication.",
            "harm.account_suspension",
            "right.remedy",
        ),
        (
            "es",
            "Hubo una filtración de datos y mis datos personales están en internet.",
            "harm.data_breach",
            "right.privacy",
        ),
        (
            "ko",
            "개인정보 유출 사고로 제 주민등록번호가 노출되었습니다.",
            "harm.data_breach",
            "right.privacy",
        ),
    ],
)
def test_each_language_is_read_with_its_own_cues(
    lang: str, text: str, harm: str, right: str
) -> None:
    result = _run(text)
    assert result.language == lang
    assert harm in _ids(result.harms)
    assert right in _ids(result.rights)


def test_triage_many_gives_the_same_as_one_at_a_time() -> None:
    items = [GrievanceInput("My data leaked."), GrievanceInput("Mon compte a été suspendu.")]
    assert triage_many(items) == [triage(item) for item in items]


def test_a_triage_survives_a_round_trip_through_json() -> None:
    result = _run("They threatened my 12-year-old daughter and it is still going on.")
    assert Triage.from_dict(result.to_dict()) == result
    assert result.analyser == "ungpkit.triage"
    assert result.version.endswith("+rules." + default_rules().version)


# --- Properties -------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "my",
        "data",
        "leaked",
        "no",
        "one",
        "was",
        "hurt",
        "kill",
        "me",
        "account",
        "suspended",
        "13-year-old",
        "daughter",
        "2,000",
        "users",
        "still",
        "afraid",
        "published",
        "online",
        "compte",
        "suspendu",
        "menaces",
        "de",
        "mort",
        "cuenta",
        "bloqueada",
        "개인정보",
        "유출",
        "계정이",
        "정지되었습니다",
        ",",
        ".",
        "not",
        "and",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(
    text=TEXTS, child=st.booleans(), ongoing=st.booleans(), count=st.none() | st.integers(0, 10**7)
)
def test_any_text_gives_well_formed_suggestions(
    text: str, child: bool, ongoing: bool, count: int | None
) -> None:
    result = triage(
        GrievanceInput(text, child_involved=child, ongoing=ongoing, affected_count=count)
    )
    assert [s.id for s in result.severity] == list(SEVERITY_DIMENSIONS)
    assert all(0 <= s.score <= 3 and s.reasons for s in result.severity)
    assert _ids(result.urgency) <= set(URGENCY_FLAGS)
    for suggestion in (*result.rights, *result.harms, *result.urgency):
        assert 0 < suggestion.score <= 1 and suggestion.reasons
        for reason in suggestion.reasons:
            if reason.start is not None:
                assert reason.end is not None and 0 <= reason.start < reason.end <= len(text)
    assert ("urgent.child" in _ids(result.urgency)) >= child
    assert ("urgent.ongoing" in _ids(result.urgency)) >= ongoing


@settings(max_examples=80, deadline=None)
@given(text=TEXTS, count=st.integers(1, 10**6))
def test_telling_more_on_the_form_never_lowers_a_level(text: str, count: int) -> None:
    bare = triage(GrievanceInput(text))
    told = triage(
        GrievanceInput(
            text, affected_count=count, child_involved=True, ongoing=True, fear_of_reprisal=True
        )
    )
    for dimension in SEVERITY_DIMENSIONS:
        assert told.level(dimension) >= bare.level(dimension)
    assert _ids(told.urgency) >= _ids(bare.urgency)
