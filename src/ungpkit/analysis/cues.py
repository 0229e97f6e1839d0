"""Compile the grid's matching cues into regular expressions.

Cue syntax (documented in docs/framework.md):
- case-insensitive, whitespace-insensitive, matched on word boundaries;
- a trailing ``*`` on a word matches any ending (``complain*``);
- ``~`` between words allows up to four words in between (``right ~ complaint``);
- Korean cues match inside words, because Korean attaches particles to nouns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

GAP = r"(?:\W+\w+){0,4}?\W+"
NORMALISE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u2011": "-"})
"""Same-length replacements applied before matching, so offsets stay valid."""
"""What ``~`` between two words becomes: up to four words in between."""


def _word(token: str) -> str:
    if token.endswith("*"):
        return re.escape(token[:-1]) + r"\w*"
    return re.escape(token)


def cue_pattern(cue: str, lang: str) -> str:
    """Return the regular expression source for one cue in ``lang``."""
    parts = [part.strip() for part in cue.translate(NORMALISE).split("~")]
    chunks = [r"\s+".join(_word(t) for t in part.split()) for part in parts if part]
    body = GAP.join(chunks)
    if lang == "ko":
        return body
    return rf"(?<!\w){body}(?!\w)" if not cue.endswith("*") else rf"(?<!\w){body}"


@dataclass(frozen=True)
class CueMatch:
    """One cue found in a text: the cue as written in the grid, and where."""

    cue: str
    start: int
    end: int


class CueSet:
    """A list of cues compiled into one expression that reports which cue matched."""

    def __init__(self, cues: Sequence[str], lang: str) -> None:
        self.cues = tuple(cues)
        self.lang = lang
        alternatives = [f"(?P<c{i}>{cue_pattern(cue, lang)})" for i, cue in enumerate(self.cues)]
        self._regex = re.compile("|".join(alternatives) or r"(?!x)x", re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self.cues)

    def find(self, text: str) -> list[CueMatch]:
        """Every non-overlapping cue match in ``text``, in order."""
        found = []
        for match in self._regex.finditer(text.translate(NORMALISE)):
            group = match.lastgroup
            if group is not None:
                found.append(CueMatch(self.cues[int(group[1:])], match.start(), match.end()))
        return found

    def search(self, text: str) -> bool:
        """Whether any cue occurs in ``text``."""
        return self._regex.search(text.translate(NORMALISE)) is not None


@lru_cache(maxsize=4096)
def compile_cues(cues: tuple[str, ...], lang: str) -> CueSet:
    """A cached :class:`CueSet` for ``cues`` in ``lang``."""
    return CueSet(cues, lang)
