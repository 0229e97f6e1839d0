"""The cue syntax: word boundaries, `*` endings, `~` gaps, Korean inside words."""

from __future__ import annotations

import re

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


# -- Speed-ups that must not change what matches -------------------------------------------

_CUE_WORDS = ["shall", "not", "apply", "right", "complain*", "State-owned", "d'une", "(a)", "é*"]
_TEXT_PIECES = [
    "shall",
    "Shall",
    "not",
    "apply",
    "applies",
    "right",
    "complaint",
    "complainants",
    "State-owned",
    "state",
    "owned",
    "d’une",
    "(a)",
    "été",
    "É",
    "ſhall",
    "K",
    " ",
    "  ",
    ", ",
    ".",
    "-",
    "\n",
    "x",
]


def _plain_regex(cue: str, lang: str) -> re.Pattern[str]:
    """The cue pattern as first written: a look-behind, then the words."""
    from ungpkit.analysis.cues import GAP, NORMALISE, _word

    parts = [part.strip() for part in cue.translate(NORMALISE).split("~")]
    body = GAP.join(r"\s+".join(_word(t) for t in part.split()) for part in parts if part)
    tail = "" if cue.endswith("*") else r"(?!\w)"
    return re.compile(rf"(?<!\w){body}{tail}", re.IGNORECASE)


_cues = st.lists(
    st.lists(st.sampled_from(_CUE_WORDS), min_size=1, max_size=3).map(" ".join)
    | st.tuples(st.sampled_from(_CUE_WORDS), st.sampled_from(_CUE_WORDS)).map(" ~ ".join),
    min_size=1,
    max_size=6,
)
_texts = st.lists(st.sampled_from(_TEXT_PIECES), max_size=30).map("".join)


@given(_cues, _texts)
def test_compiled_cue_matches_like_the_plain_pattern(cues: list[str], text: str) -> None:
    from ungpkit.analysis.cues import cue_regex

    for cue in cues:
        found = [m.span() for m in cue_regex(cue, "en").finditer(text)]
        assert found == [m.span() for m in _plain_regex(cue, "en").finditer(text)]


def _anchored_candidates(cues: list[str], text: str) -> list[tuple[int, str]]:
    """(order, cue) of the cues whose first word the text has: the original prefilter."""
    from ungpkit.analysis.cues import _anchor

    words = set(re.findall(r"\w+", text.lower()))
    found = []
    for order, cue in enumerate(cues):
        anchor, prefix = _anchor(cue, "en")
        if not anchor or anchor in words or (prefix and any(w.startswith(anchor) for w in words)):
            found.append((order, cue))
    return found


@given(_cues, _texts)
def test_word_prefilter_finds_what_the_anchor_alone_finds(cues: list[str], text: str) -> None:
    """find, first and search give what running every cue that passes the first-word test
    gives: checking the other words of a cue in ASCII text only skips cues that cannot match.
    """
    from ungpkit.analysis.cues import NORMALISE, cue_regex

    cue_set = CueSet(cues, "en")
    normal = text.translate(NORMALISE)
    every = sorted(
        (m.start(), order, m.end(), cue)
        for order, cue in _anchored_candidates(cues, normal)
        for m in cue_regex(cue, "en").finditer(normal)
    )
    expected, end = [], -1
    for start, _, stop, cue in every:
        if start >= end:
            expected.append((cue, start, stop))
            end = stop
    assert [(m.cue, m.start, m.end) for m in cue_set.find(text)] == expected
    first = cue_set.first(text)
    found = (first.cue, first.start, first.end) if first else None
    assert found == ((every[0][3], every[0][0], every[0][2]) if every else None)
    assert cue_set.search(text) == bool(every)
