"""Per-document preparation: sentences and the word index behave as the plain definitions."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ungpkit.analysis.cues import word_list
from ungpkit.analysis.passages import ends_no_sentence, split_sentences

_PIECES = ["a", "Word", ".", ";", "!", "?", ",", " ", "  ", "\n", "\n\n", "\t", "\u00a0"]
_PIECES += ["\u2028", "\x1c", "\x0b", "\r", "-", "다", "다.", "é", "_", "1", "’"]
_texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)

# The sentence break as first written: one regex for every language.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)|(?<=다\.)\s*|\n+")


def _plain_split(text: str) -> list[tuple[int, int, str]]:
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            piece = text[start : match.start()]
            if "\n" not in match.group() and ends_no_sentence(piece, text[match.end() :]):
                continue  # "1." or "Art." ends no sentence
            sentences.append((start, match.start(), piece))
        start = match.end()
    if start < len(text):
        sentences.append((start, len(text), text[start:]))
    return sentences or [(0, len(text), text)]


@given(_texts)
def test_sentences_split_where_the_plain_regex_splits(text: str) -> None:
    assert [(s.start, s.end, s.text) for s in split_sentences(text)] == _plain_split(text)


@given(_texts)
def test_word_list_is_the_words_of_the_regex(text: str) -> None:
    assert word_list(text) == re.findall(r"\w+", text)


def test_sentences_keep_their_offsets() -> None:
    text = "The provider shall act. It may appeal;\nthe authority decides.  Done"
    assert [s.text for s in split_sentences(text)] == [
        "The provider shall act.",
        "It may appeal;",
        "the authority decides.",
        "Done",
    ]


def test_a_paragraph_number_or_an_abbreviation_ends_no_sentence() -> None:
    text = "1. Providers may set up a procedure. Under Art. 5 of the Act, e.g. fines apply."
    assert [s.text for s in split_sentences(text)] == [
        "1. Providers may set up a procedure.",
        "Under Art. 5 of the Act, e.g. fines apply.",
    ]
    assert [s.text for s in split_sentences("(a) the data; and\n(b) the rest.")] == [
        "(a) the data;",
        "and",
        "(b) the rest.",
    ]


def test_a_sentence_may_end_in_no() -> None:
    text = "Se decidirá si es admisible o no. Los proveedores podrán recurrir. See No. 5 here."
    assert [s.text for s in split_sentences(text)] == [
        "Se decidirá si es admisible o no.",
        "Los proveedores podrán recurrir.",
        "See No. 5 here.",
    ]
