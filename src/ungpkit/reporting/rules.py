"""Hand-written indicators for criteria the UK and Canadian data cannot teach.

Criterion 1 (identify the reporting entity) and criterion 6 (consultation with owned or
controlled entities) are specific to Australia's Modern Slavery Act, so the UK and Canadian
statements have almost no positive sentences for them. These patterns, written from the text of
s16(1)(a) and (f) and the Act's guidance (not tuned on the labelled data), are features of the
learned model and the fallback when a criterion has too few training examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_FLAGS = re.IGNORECASE

RULES: dict[str, tuple[re.Pattern[str], ...]] = {
    "msa.c1_reporting_entity": (
        re.compile(r"\breporting entit(?:y|ies)\b", _FLAGS),
        re.compile(r"\b(?:ABN|ACN|ARBN)\s*:?\s*\d", _FLAGS),
        re.compile(
            r"\bthis (?:modern slavery |joint )?statement is (?:made|submitted|published|"
            r"prepared|provided|given)\b.{0,80}\b(?:by|on behalf of|for)\b",
            _FLAGS,
        ),
        re.compile(
            r"\b(?:made|submitted|published|prepared) (?:by|on behalf of)\b.{0,120}"
            r"\b(?:pursuant to|under|for the purposes of|in accordance with)\b.{0,40}"
            r"modern slavery act",
            _FLAGS,
        ),
        re.compile(r"\bthis (?:joint )?statement (?:covers|applies to|relates to)\b", _FLAGS),
    ),
    "msa.c6_consultation": (
        re.compile(r"\bconsult(?:ed|ation|ing|s)?\b", _FLAGS),
        re.compile(r"\b(?:owns?|owned) or controll?(?:ed|s)?\b", _FLAGS),
        re.compile(
            r"\bdoes not (?:own|have) (?:or control )?any (?:other )?(?:entit|subsidiar)", _FLAGS
        ),
        re.compile(
            r"\bin (?:preparing|the preparation of|developing|drafting) this statement\b", _FLAGS
        ),
        re.compile(r"\bcommon (?:directors|directorships|management|board)\b", _FLAGS),
    ),
}

RULE_ELEMENTS: tuple[str, ...] = tuple(RULES)
COLUMNS: tuple[tuple[str, int], ...] = tuple(
    (element, k) for element, patterns in RULES.items() for k in range(len(patterns))
)


def rule_matrix(sentences: Sequence[str]) -> np.ndarray:
    """One 0/1 column per pattern (in :data:`COLUMNS` order) for each sentence."""
    out = np.zeros((len(sentences), len(COLUMNS)), dtype=np.float32)
    for i, text in enumerate(sentences):
        for c, (element, k) in enumerate(COLUMNS):
            if RULES[element][k].search(text):
                out[i, c] = 1.0
    return out


def rule_scores(sentences: Sequence[str]) -> dict[str, np.ndarray]:
    """A score in [0, 1] per rule element and sentence: the share of its patterns that match,
    with a single match already worth 0.6 (for the consultation patterns, the word "consult"
    with "entit" nearby)."""
    matrix = rule_matrix(sentences)
    scores: dict[str, np.ndarray] = {}
    for element in RULES:
        cols = [c for c, (e, _) in enumerate(COLUMNS) if e == element]
        hits = matrix[:, cols].sum(axis=1)
        scores[element] = np.where(hits > 0, np.minimum(1.0, 0.5 + 0.2 * hits), 0.0)
    consult = np.array(
        [bool(re.search(r"entit|subsidiar|group compan", s, _FLAGS)) for s in sentences]
    )
    if len(sentences):
        first = matrix[:, COLUMNS.index(("msa.c6_consultation", 0))] > 0
        scores["msa.c6_consultation"] = np.where(
            first & ~consult, scores["msa.c6_consultation"] * 0.7, scores["msa.c6_consultation"]
        )
    return scores
