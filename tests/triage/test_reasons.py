"""Triage's reasons shown in the reader's language (``ungpkit.apps.triage.reasons``): every
reason triage and priority can write is translated, the complainant's words are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from ungpkit.apps.triage.reasons import DATA_WORDS, in_words
from ungpkit.grievances.model import GrievanceInput, Reason, Triage
from ungpkit.grievances.priority import default_priority_rules, priority
from ungpkit.grievances.triage import URGENCY_WORDS, default_rules, triage

from .conftest import World

LABELLED = Path(__file__).resolve().parents[2] / "eval" / "triage" / "labelled.jsonl"

EDGE_CASES = [
    GrievanceInput("Help.", language="en"),
    GrievanceInput("data leak"),
    GrievanceInput("12345"),
    GrievanceInput("这个应用未经我同意把我的位置数据卖给了广告商，我很害怕。"),
    GrievanceInput("Ayuda por favor", language=None),
    GrievanceInput("x y z 1 2 3"),
    GrievanceInput("Die App hat meine Daten ohne Zustimmung an Werbefirmen verkauft.", "de"),
    GrievanceInput("The app sold my data to advertisers without my consent.", language="fr"),
    GrievanceInput(
        "About 2,000 drivers were cut off by the algorithm, and my son, 12 years old, was "
        "threatened with death after the leak of our address.",
        affected_count=2500,
        ongoing=True,
        child_involved=True,
        fear_of_reprisal=True,
    ),
    GrievanceInput("Nothing bad happened, this is a question about my bill.", "en"),
]


def _inputs() -> list[GrievanceInput]:
    found = list(EDGE_CASES)
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        found.append(
            GrievanceInput(
                description=item["description"],
                language=item.get("language"),
                affected_count=item.get("affected_count"),
                ongoing=item.get("ongoing", False),
                child_involved=item.get("child_involved", False),
                fear_of_reprisal=item.get("fear_of_reprisal", False),
                wants=tuple(item.get("wants") or ()),
                company_text=item.get("company_text", ""),
            )
        )
    return found


def _reasons(result: Triage) -> list[Reason]:
    found = list(result.language_reasons)
    for group in (result.rights, result.harms, result.severity, result.urgency):
        for item in group:
            found.extend(item.reasons)
    for age, likelihood in ((0.2, None), (3.0, 0.8), (400.0, None), (1.0, 1.0)):
        found.extend(priority(result, age_days=age, likelihood=likelihood).reasons)
    return found


@pytest.fixture(scope="module")
def details() -> list[str]:
    seen: dict[str, None] = {}
    for item in _inputs():
        for reason in _reasons(triage(item)):
            seen.setdefault(reason.detail, None)
    seen.setdefault("confirmed by staff", None)
    return list(seen)


def test_the_corpus_gives_reasons_of_every_kind(details: list[str]) -> None:
    """The check below is only as good as the reasons it sees: all the kinds are there."""
    starts = (
        "the words “",
        "the harm type “",
        "the form says",
        "the text reads as",
        "the complainant chose",
        "the text is too short",
        "the language could not be told",
        "severity counts first",
        "likelihood not estimated",
        "likelihood ",
        "waiting ",
        "none of the harm types",
        "nothing in the description",
    )
    for start in starts:
        assert any(d.startswith(start) for d in details), start
    assert any("(age " in d for d in details) and any(" people)" in d for d in details)
    assert any(" suggested (" in d for d in details) and any(" suggested: " in d for d in details)
    assert any("the most that counts" in d for d in details)
    assert any(d.startswith("the text reads as Chinese") for d in details)


@pytest.mark.parametrize("language", ["fr", "es", "ko"])
def test_every_reason_triage_and_priority_write_is_translated(
    details: list[str], language: str
) -> None:
    untranslated = []
    with translation.override(language):
        for detail in details:
            if in_words(detail) == detail:
                untranslated.append(detail)
    assert untranslated == []


def test_every_word_of_the_rules_data_has_its_translation() -> None:
    """A rule added to triage.yaml or priority.yaml needs its words in reasons.DATA_WORDS."""
    rules, weights = default_rules(), default_priority_rules()
    words = [b.because for b in rules.baseline] + [i.because for i in rules.implications]
    words += [w.words for w in weights.severity.values()]
    words += [w.words for w in weights.urgency.values()]
    words += [b.because for b in weights.bonuses] + list(URGENCY_WORDS.values())
    assert sorted(set(words) - set(DATA_WORDS)) == []
    for language in ("fr", "es", "ko"):
        with translation.override(language):
            assert [w for w in words if str(DATA_WORDS[w]) == w] == [], language


def test_the_complainants_words_stay_as_written_and_numbers_follow_the_language() -> None:
    with translation.override("fr"):
        assert in_words("the words “my son”") == "les mots « my son »"
        assert in_words("the form says 2,500 people are affected") == (
            "le formulaire indique que 2\u202f500 personnes sont touchées"
        ) or in_words("the form says 2,500 people are affected") == (
            "le formulaire indique que 2\xa0500 personnes sont touchées"
        )
        assert in_words("the text reads as English (confidence 0.83)") == (
            "le texte semble être en anglais (confiance 0,83)"
        )
        nested = in_words("grave harm suggested (high): the words “menacé de mort”")
        assert nested == "préjudice grave : niveau suggéré élevé : les mots « menacé de mort »"
    with translation.override("ko"):
        assert in_words("waiting 3 days") == "3일째 대기 중"
        # A level's reason quoting an implication: the outer sentence is the level's.
        assert in_words(
            "grave harm suggested (high): a risk to life or physical integrity suggested: "
            "the gravest kind of harm"
        ) == (
            "중대한 피해: 제안된 수준 높음: 생명 또는 신체적 온전성에 대한 위험(제안됨): "
            "가장 중대한 종류의 피해"
        )
        assert in_words("the words “위치 정보”") == "“위치 정보”라는 표현"
    with translation.override("es"):
        assert in_words("likelihood 80%") == "probabilidad 80%"


def test_english_and_unknown_reasons_are_shown_as_stored() -> None:
    with translation.override("en"):
        assert in_words("the words “my son”") == "the words “my son”"
    with translation.override("fr"):
        assert in_words("a reason of a rule added later") == "a reason of a rule added later"
        assert in_words("") == ""
        # A harm type the framework does not have is not guessed at.
        assert in_words("the harm type “Something else” engages this right") == (
            "the harm type “Something else” engages this right"
        )


def test_the_queue_and_the_case_page_show_reasons_in_the_readers_language(world: World) -> None:
    client = world.client("sec")
    french = client.get("/fr/triage/").content.decode()
    assert "la gravité compte d&#x27;abord" in french or "la gravité compte d'abord" in french
    assert "severity counts first" not in french
    case = client.get(f"/es/triage/cases/{world.severe.pk}/").content.decode()
    assert "las palabras" in case and "the words “" not in case
    english = client.get(f"/en/triage/cases/{world.severe.pk}/").content.decode()
    assert "the words “" in english
    api = client.get("/api/triage/queue", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert any("심각성" in reason for item in api["items"] for reason in item["reasons"])
