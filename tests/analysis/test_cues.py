"""The cue syntax: word boundaries, `*` endings, `~` gaps, Korean inside words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ungpkit.analysis.cues import CueSet


def test_word_boundaries_and_case() -> None:
    cues = CueSet(["supervisory authority"], "en")
    assert cues.search("A Supervisory   Authority shall")
    assert not cues.search("supervisory authorityship")
    assert not cues.search("nonsupervisory authority")


def test_wildcard_ending() -> None:
    cues = CueSet(["complain*"], "en")
    assert [m.cue for m in cues.find("complaints and complainants")] == ["complain*"] * 2


def test_gap_allows_up_to_four_words() -> None:
    cues = CueSet(["right ~ complaint"], "en")
    assert cues.search("the right to lodge a complaint")
    assert not cues.search("the right of every person in the Union to lodge a complaint")


def test_korean_matches_inside_words() -> None:
    cues = CueSet(["손해배상"], "ko")
    assert cues.search("정보주체는 손해배상을 청구할 수 있다")


def test_curly_apostrophes_match_straight_cues() -> None:
    cues = CueSet(["conseil d'administration"], "fr")
    match = cues.find("approuvé par le conseil d’administration le 3 mai")
    assert match and match[0].start == 16


def test_which_cue_matched_is_reported() -> None:
    cues = CueSet(["fine*", "correction order"], "en")
    found = cues.find("may impose a correction order and fines")
    assert [m.cue for m in found] == ["correction order", "fine*"]


@given(st.text(max_size=300), st.lists(st.text(min_size=2, max_size=12), min_size=1, max_size=5))
def test_any_text_any_cue_never_crashes_and_spans_are_valid(text: str, cues: list[str]) -> None:
    for lang in ("en", "ko"):
        for match in CueSet(cues, lang).find(text):
            assert 0 <= match.start <= match.end <= len(text)


def test_assessment_round_trips_through_json() -> None:
    import json

    from ungpkit.analysis import assess
    from ungpkit.analysis.model import assessment_from_dict
    from ungpkit.documents import read_text
    from ungpkit.framework import default_framework

    document = read_text(
        "Article 1\n\n1. Every person shall have the right to lodge a complaint with the "
        "supervisory authority.\n\n2. The authority may impose fines.",
        format="text",
    )
    assessment = assess(document, default_framework().grid("regulation"), lang="en")
    data = json.loads(json.dumps(assessment.to_dict()))
    assert assessment_from_dict(data).to_dict() == assessment.to_dict()
