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


_WORD = re.compile(r"\w+")


def _anchor(cue: str, lang: str) -> tuple[str, bool]:
    """The literal a text must contain for ``cue`` to match: (text, is_word_prefix).

    For Korean it is the longest literal chunk (matched as a substring); otherwise the
    cue's first word, with ``is_word_prefix`` when that word ends in ``*``.
    """
    normal = cue.translate(NORMALISE).lower()
    if lang == "ko":
        chunks = re.split(r"\s*~\s*|\s+|\*", normal)
        return max(chunks, key=len), False
    first = re.split(r"\s*~\s*|\s+", normal.strip())[0]
    words = _WORD.findall(first.rstrip("*"))
    if not words:
        return "", False
    if first.endswith("*") and len(words) == 1:
        return words[0], True
    return words[0], False


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    """The lower-cased words of ``text`` (cached: the same sentence is read by many sets)."""
    return frozenset(_WORD.findall(text.lower()))


class CueSet:
    """A list of cues that reports which cue matched where.

    Each cue is compiled on its own and run only when the text contains the cue's anchor
    word, which is much faster than one large alternation on legal text.
    """

    def __init__(self, cues: Sequence[str], lang: str) -> None:
        self.cues = tuple(cues)
        self.lang = lang
        self._compiled = [(cue, cue_regex(cue, lang), *_anchor(cue, lang)) for cue in self.cues]

    def __bool__(self) -> bool:
        return bool(self.cues)

    def _candidates(self, text: str) -> list[tuple[str, re.Pattern[str]]]:
        if self.lang == "ko":
            lowered = text.lower()
            return [(c, rx) for c, rx, anchor, _ in self._compiled if anchor in lowered]
        words = _words(text)
        found = []
        for cue, regex, anchor, prefix in self._compiled:
            if (
                not anchor
                or anchor in words
                or (prefix and any(w.startswith(anchor) for w in words))
            ):
                found.append((cue, regex))
        return found

    def find(self, text: str) -> list[CueMatch]:
        """Every non-overlapping cue match in ``text``, leftmost first."""
        text = text.translate(NORMALISE)
        matches = []
        for order, (cue, regex) in enumerate(self._candidates(text)):
            matches += [(m.start(), order, m.end(), cue) for m in regex.finditer(text)]
        matches.sort()
        found: list[CueMatch] = []
        end = -1
        for start, _, stop, cue in matches:
            if start >= end:
                found.append(CueMatch(cue, start, stop))
                end = stop
        return found

    def first(self, text: str) -> CueMatch | None:
        """The leftmost cue match in ``text`` (the earlier cue on a tie), or None."""
        text = text.translate(NORMALISE)
        best: tuple[int, int, int, str] | None = None
        for order, (cue, regex) in enumerate(self._candidates(text)):
            match = regex.search(text)
            if match and (best is None or (match.start(), order) < best[:2]):
                best = (match.start(), order, match.end(), cue)
        return CueMatch(best[3], best[0], best[2]) if best else None

    def search(self, text: str) -> bool:
        """Whether any cue occurs in ``text``."""
        text = text.translate(NORMALISE)
        return any(regex.search(text) for _, regex in self._candidates(text))


@lru_cache(maxsize=4096)
def compile_cues(cues: tuple[str, ...], lang: str) -> CueSet:
    """A cached :class:`CueSet` for ``cues`` in ``lang``."""
    return CueSet(cues, lang)


@lru_cache(maxsize=16384)
def cue_regex(cue: str, lang: str) -> re.Pattern[str]:
    """One cue compiled on its own (faster than an alternation on short candidate lists)."""
    return re.compile(cue_pattern(cue, lang), re.IGNORECASE)
