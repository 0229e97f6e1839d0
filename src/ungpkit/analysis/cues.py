"""Compile the grid's matching cues into regular expressions.

Cue syntax (documented in docs/framework.md):
- case-insensitive, whitespace-insensitive, matched on word boundaries;
- a trailing ``*`` on a word matches any ending (``complain*``);
- ``~`` between words allows up to four words in between (``right ~ complaint``);
- Korean cues match inside words, because Korean attaches particles to nouns.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

GAP = r"(?:\W+\w+){0,4}?\W+"
"""What ``~`` between two words becomes: up to four words in between."""
NORMALISE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u2011": "-"})
"""Same-length replacements applied before matching, so offsets stay valid."""


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
    tail = "" if cue.endswith("*") else r"(?!\w)"
    first = next((part.split()[0] for part in parts if part), "")
    if first[:1] and first[:1] != "*":
        # "(?<!\w)shall" written as "s(?<!\w.)hall": the same matches, but a pattern that
        # opens with a literal lets the regex engine skip ahead to it (2-3x faster searches).
        head = re.escape(first[0])
        return rf"{head}(?<!\w.){body[len(head) :]}{tail}"
    return rf"(?<!\w){body}{tail}"


@dataclass(frozen=True)
class CueMatch:
    """One cue found in a text: the cue as written in the grid, and where."""

    cue: str
    start: int
    end: int


_WORD = re.compile(r"\w+")
_ASCII_NON_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)


def word_list(text: str) -> list[str]:
    """The words (``\\w+`` runs) of ``text``; ASCII text is split without the regex (faster)."""
    if text.isascii():
        return text.translate(_ASCII_NON_WORD).split()
    return _WORD.findall(text)


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


def _required(cue: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The whole words and the word beginnings every match of ``cue`` contains (lower case).

    Each word of a cue stands between non-word characters in a match (spaces, gaps, the
    cue's own punctuation, its start and end), except the stem before a ``*``, which only
    begins a word.
    """
    words: set[str] = set()
    prefixes: list[str] = []
    for part in cue.translate(NORMALISE).lower().split("~"):
        for token in part.split():
            pieces = _WORD.findall(token.rstrip("*") if token.endswith("*") else token)
            if token.endswith("*") and pieces:
                prefixes.append(pieces.pop())
            words.update(pieces)
    return frozenset(words), tuple(prefixes)


class _Words:
    """The lower-cased words of one text, with a sorted copy for word-beginning look-ups."""

    __slots__ = ("_sorted", "words")

    def __init__(self, text: str) -> None:
        self.words = frozenset(word_list(text.lower()))
        self._sorted: list[str] | None = None

    def begins(self, prefix: str) -> bool:
        """Whether a word begins with ``prefix``."""
        if self._sorted is None:
            self._sorted = sorted(self.words)
        position = bisect_left(self._sorted, prefix)
        return position < len(self._sorted) and self._sorted[position].startswith(prefix)


@lru_cache(maxsize=8192)
def _words(text: str) -> _Words:
    """The lower-cased words of ``text`` (cached: the same sentence is read by many sets)."""
    return _Words(text)


@dataclass(frozen=True, slots=True)
class _Cue:
    """One compiled cue of a set, with what a text must contain for it to match."""

    order: int
    cue: str
    regex: re.Pattern[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]

    def possible(self, words: _Words) -> bool:
        """Whether an ASCII text with these words has every word of the cue."""
        return self.words <= words.words and all(words.begins(p) for p in self.prefixes)


class _Index:
    """Cues by one word each must contain, so that a text's words pick out their cues."""

    def __init__(self, keyed: Sequence[tuple[str, bool, _Cue]]) -> None:
        self.always = tuple(entry for key, _, entry in keyed if not key)
        self.by_word: dict[str, tuple[_Cue, ...]] = {}
        self.by_prefix: dict[str, tuple[_Cue, ...]] = {}
        for key, prefix, entry in keyed:
            if key:
                table = self.by_prefix if prefix else self.by_word
                table[key] = (*table.get(key, ()), entry)
        self.keys = frozenset(self.by_word)

    def select(self, words: _Words) -> list[_Cue]:
        """The cues whose word the text has (in no particular order)."""
        found = list(self.always)
        for key in words.words & self.keys:
            found.extend(self.by_word[key])
        for key, entries in self.by_prefix.items():
            if words.begins(key):
                found.extend(entries)
        return found


def _ascii_key(words: frozenset[str], prefixes: tuple[str, ...]) -> tuple[str, bool]:
    """The word to index an ASCII cue by: its longest whole word (likely the rarest)."""
    if words:
        return max(sorted(words), key=len), False
    if prefixes:
        return max(prefixes, key=len), True
    return "", False


class CueSet:
    """A list of cues that reports which cue matched where.

    Each cue is compiled on its own and run only when the text contains the cue's anchor
    (its first word; in ASCII text, all its words), which is much faster than one large
    alternation on legal text.
    """

    def __init__(self, cues: Sequence[str], lang: str) -> None:
        self.cues = tuple(cues)
        self.lang = lang
        anchored: list[tuple[str, bool, _Cue]] = []
        ascii_keyed: list[tuple[str, bool, _Cue]] = []
        others: list[tuple[str, bool, _Cue]] = []
        for order, cue in enumerate(self.cues):
            words, prefixes = _required(cue)
            entry = _Cue(order, cue, cue_regex(cue, lang), words, prefixes)
            anchor, prefix = _anchor(cue, lang)
            anchored.append((anchor, prefix, entry))
            if all(w.isascii() for w in words) and all(p.isascii() for p in prefixes):
                ascii_keyed.append((*_ascii_key(words, prefixes), entry))
            else:
                others.append((anchor, prefix, entry))
        self._korean = tuple((anchor, entry) for anchor, _, entry in anchored)
        # Any text: a cue is tried when the text has its first word (its anchor). ASCII text:
        # only when it has all its words, where the case-insensitive regex and str.lower agree
        # on every character (cues with other letters keep to their anchor).
        self._anchored = _Index(anchored)
        self._ascii = _Index(ascii_keyed)
        self._others = _Index(others)

    def __bool__(self) -> bool:
        return bool(self.cues)

    def _candidates(self, text: str) -> list[tuple[str, re.Pattern[str]]]:
        """The cues that can match ``text`` (already normalised), in the set's order."""
        if self.lang == "ko":
            lowered = text.lower()
            return [(c.cue, c.regex) for anchor, c in self._korean if anchor in lowered]
        words = _words(text)
        if text.isascii():
            found = [c for c in self._ascii.select(words) if c.possible(words)]
            found.extend(self._others.select(words))
        else:
            found = self._anchored.select(words)
        if len(found) > 1:
            found.sort(key=_order_of)
        return [(c.cue, c.regex) for c in found]

    def find(self, text: str) -> list[CueMatch]:
        """Every non-overlapping cue match in ``text``, leftmost first."""
        text = normalised(text)
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
        text = normalised(text)
        best: tuple[int, int, int, str] | None = None
        for order, (cue, regex) in enumerate(self._candidates(text)):
            match = regex.search(text)
            if match and (best is None or (match.start(), order) < best[:2]):
                best = (match.start(), order, match.end(), cue)
        return CueMatch(best[3], best[0], best[2]) if best else None

    def search(self, text: str) -> bool:
        """Whether any cue occurs in ``text``."""
        text = normalised(text)
        return any(regex.search(text) for _, regex in self._candidates(text))


def _order_of(entry: _Cue) -> int:
    return entry.order


def normalised(text: str) -> str:
    """``text`` with NORMALISE applied (ASCII text has nothing to replace, so is returned)."""
    return text if text.isascii() else text.translate(NORMALISE)


@lru_cache(maxsize=4096)
def compile_cues(cues: tuple[str, ...], lang: str) -> CueSet:
    """A cached :class:`CueSet` for ``cues`` in ``lang``."""
    return CueSet(cues, lang)


@lru_cache(maxsize=16384)
def cue_regex(cue: str, lang: str) -> re.Pattern[str]:
    """One cue compiled on its own (faster than an alternation on short candidate lists)."""
    return re.compile(cue_pattern(cue, lang), re.IGNORECASE)
