"""Per-document preparation shared by every element: sentences, a word index, inherited modality.

Building this once per document is what keeps the check fast: each element's cues are only
run on the few passages whose words could match them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ungpkit.analysis.cues import (
    NORMALISE,
    CueMatch,
    CueSet,
    cue_regex,
    normalised,
    word_list,
)
from ungpkit.analysis.strength import (
    Reading,
    Strength,
    exemption,
    has_marker,
    read_strength,
    sentence_exemption,
    trailing_exemption,
)
from ungpkit.documents.model import Document, Passage

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)|(?<=다\.)\s*|\n+")
# The same breaks in a text without "다.", written to start with a space, which lets the regex
# engine skip ahead to the next space (twice as fast).
_SENTENCE_END_SPACE = re.compile(r"\s(?:(?<=[.;!?]\s)\s*(?=\S)|(?<=\n)\n*)")
_ANCHOR_SPLIT = re.compile(r"\s*~\s*|\s+")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage and its offsets inside the passage text."""

    start: int
    end: int
    text: str


_NO_END = re.compile(
    r"^\s*\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]$|(?<!\w)(?:e\.g|i\.e|cf)\.$", re.IGNORECASE
)
"""A piece that ends no sentence: a bare paragraph number ("1.", "(a)") or "e.g.", "i.e."."""
_NUMBERED_END = re.compile(
    r"(?<!\w)(?:art|arts|no|nos|para|paras|p|pp|vol|ch|sec|subpara|nr|n°)\.$", re.IGNORECASE
)
"""An abbreviation that ends no sentence when a number follows ("Art. 5", "No. 3"); before
anything else it may end one ("... admisible o no. Los proveedores ...")."""


def ends_no_sentence(piece: str, following: str) -> bool:
    """Whether the break after ``piece`` (followed by ``following``) is not a sentence end."""
    if _NO_END.search(piece):
        return True
    return following[:1].isdigit() and _NUMBERED_END.search(piece) is not None


def split_sentences(text: str) -> list[Sentence]:
    """Split a passage into sentences, keeping offsets (a light, language-neutral splitter).

    A break after a paragraph number or a common abbreviation is not a sentence end: "1.
    Providers may ..." is one sentence, as is "under Art. 5 of ...".
    """
    sentences: list[Sentence] = []
    start = 0
    breaks = _SENTENCE_END if "다." in text else _SENTENCE_END_SPACE
    for match in breaks.finditer(text):
        if match.start() > start:
            piece = text[start : match.start()]
            if "\n" not in text[match.start() : match.end()] and ends_no_sentence(
                piece, text[match.end() : match.end() + 1]
            ):
                continue  # the next piece continues this one
            sentences.append(Sentence(start, match.start(), piece))
        start = match.end()
    if start < len(text):
        sentences.append(Sentence(start, len(text), text[start:]))
    return sentences or [Sentence(0, len(text), text)]


class PreparedDocument:
    """A document with its word index, sentences and chapeau readings, built lazily."""

    def __init__(self, document: Document, lang: str) -> None:
        self.document = document
        self.lang = lang
        self.passages = document.passages
        self._sentences: dict[int, list[Sentence]] = {}
        self._starts: dict[int, list[int]] = {}
        self._readings: dict[tuple[int, int], Reading] = {}
        self._inherited: dict[int, str | None] = {}
        self._cue_hits: dict[str, dict[int, list[CueMatch]]] = {}
        self._cue_candidates: dict[str, set[int]] = {}
        self._texts = [normalised(p.text) for p in self.passages]
        self._lower = [normalised(p.text.lower()) for p in self.passages]
        headings: dict[str, str] = {}
        for passage in self.passages:
            heading = passage.heading or ""
            if heading not in headings:
                headings[heading] = normalised(heading.lower())
        self._headings = [headings[p.heading or ""] for p in self.passages]
        # Word index: passage indexes by the words of their text or of their heading (an
        # article title is shared by its paragraphs, so heading words are indexed once each).
        self._index: dict[str, set[int]] = defaultdict(set)
        self._heading_index: dict[str, set[int]] = defaultdict(set)
        if lang != "ko":
            for i, text in enumerate(self._lower):
                for word in set(word_list(text)):
                    self._index[word].add(i)
            under: dict[str, list[int]] = defaultdict(list)
            for i, heading in enumerate(self._headings):
                if heading:
                    under[heading].append(i)
            for heading, indexes in under.items():
                for word in set(word_list(heading)):
                    self._heading_index[word].update(indexes)
        self._vocabulary = sorted(self._index.keys() | self._heading_index.keys())
        self._hits_of_word: dict[str, set[int]] = {}

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        """All lower-cased texts and headings in one string, and where each passage starts."""
        offsets: list[int] = []
        position = 0
        for text, heading in zip(self._lower, self._headings, strict=True):
            offsets.append(position)
            position += len(text) + len(heading) + 2
        joined = "\n".join(f"{t}\n{h}" for t, h in zip(self._lower, self._headings, strict=True))
        return joined, offsets

    def sentences(self, index: int) -> list[Sentence]:
        """The sentences of passage ``index`` (cached)."""
        if index not in self._sentences:
            self._sentences[index] = split_sentences(self.passages[index].text)
        return self._sentences[index]

    def candidates(self, cues: CueSet) -> set[int]:
        """Indexes of the passages (or their headings) that could match one of ``cues``."""
        found: set[int] = set()
        for cue in cues.cues:
            found |= self._cached_candidates(cue)
        return found

    def _cached_candidates(self, cue: str) -> set[int]:
        if cue not in self._cue_candidates:
            self._cue_candidates[cue] = self._candidates_for(cue)
        return self._cue_candidates[cue]

    def matches(self, cues: CueSet) -> dict[int, list[CueMatch]]:
        """Per passage index, every match of ``cues`` in the passage text, in order."""
        found: dict[int, list[CueMatch]] = defaultdict(list)
        for cue in cues.cues:
            for index, hits in self._matches_of(cue).items():
                found[index].extend(hits)
        for hits in found.values():
            hits.sort(key=lambda m: (m.start, m.end))
        return found

    def _matches_of(self, cue: str) -> dict[int, list[CueMatch]]:
        if cue not in self._cue_hits:
            regex = cue_regex(cue, self.lang)
            hits: dict[int, list[CueMatch]] = {}
            for index in self._cached_candidates(cue):
                spans = [
                    CueMatch(cue, m.start(), m.end()) for m in regex.finditer(self._texts[index])
                ]
                if spans:
                    hits[index] = spans
            self._cue_hits[cue] = hits
        return self._cue_hits[cue]

    def heading_matches(self, cues: CueSet) -> set[int]:
        """Indexes of the passages whose heading (article title) matches one of ``cues``."""
        found: set[int] = set()
        for cue in cues.cues:
            key = "\x00heading\x00" + cue
            if key not in self._cue_candidates:
                regex = cue_regex(cue, self.lang)
                self._cue_candidates[key] = {
                    index
                    for index in self._cached_candidates(cue)
                    if self._headings[index] and regex.search(self._headings[index])
                }
            found |= self._cue_candidates[key]
        return found

    def sentence_of(self, index: int, offset: int) -> int:
        """The number of the sentence of passage ``index`` that holds ``offset``."""
        if index not in self._starts:
            self._starts[index] = [s.start for s in self.sentences(index)]
        return max(bisect_left(self._starts[index], offset + 1) - 1, 0)

    def exemption_at(self, index: int, offset: int) -> str | None:
        """The exemption marker that takes ``offset`` of passage ``index`` out of the rule:
        one of its sentence, or one a point inherits from its chapeau ("does not apply to:
        (a) ...")."""
        sentence = self.sentences(index)[self.sentence_of(index, offset)]
        found = exemption(sentence.text, offset - sentence.start, self.lang)
        return found if found is not None else self.inherited_exemption(index)

    def sentence_exempt(self, index: int, number: int) -> str | None:
        """The exemption marker that takes the whole sentence ``number`` of passage ``index``
        out of the rule (its own, or its chapeau's for a point), if any."""
        found = sentence_exemption(self.sentences(index)[number].text, self.lang)
        return found if found is not None else self.inherited_exemption(index)

    def inherited_exemption(self, index: int) -> str | None:
        """For a point, the exemption its chapeau opens at its end ("does not apply to:")."""
        if self.passages[index].kind != "point":
            return None
        if index not in self._inherited:
            parent = self._chapeau(index)
            found = None
            if parent is not None:
                found = trailing_exemption(self.sentences(parent)[-1].text, self.lang)
            self._inherited[index] = found
        return self._inherited[index]

    def sentence_reading(self, index: int, number: int) -> Reading:
        """The (cached) strength of sentence ``number`` of passage ``index``."""
        key = (index, number)
        if key not in self._readings:
            self._readings[key] = self.reading(index, self.sentences(index)[number])
        return self._readings[key]

    def _candidates_for(self, cue: str) -> set[int]:
        tokens = [t for t in _ANCHOR_SPLIT.split(cue.lower().translate(NORMALISE)) if t]
        if self.lang == "ko" or not tokens:
            return self._substring_candidates(max(tokens or [cue], key=len).rstrip("*"))
        best: set[int] | None = None
        for token in tokens:
            words = [w for w in _WORD.findall(token.rstrip("*"))]
            if not words:
                continue
            hits = self._word_hits(
                words[-1] if token.endswith("*") else words[0],
                prefix=token.endswith("*") and len(words) == 1,
            )
            best = hits if best is None else best & hits
            if not best:
                return set()
        return best if best is not None else set(range(len(self.passages)))

    def _word_hits(self, word: str, prefix: bool) -> set[int]:
        if not prefix:
            return self._hits(word)
        hits: set[int] = set()
        position = bisect_left(self._vocabulary, word)
        while position < len(self._vocabulary) and self._vocabulary[position].startswith(word):
            hits |= self._hits(self._vocabulary[position])
            position += 1
        return hits

    def _hits(self, word: str) -> set[int]:
        """The passages whose text or heading has ``word``."""
        hits = self._hits_of_word.get(word)
        if hits is None:
            hits = self._index.get(word, set()) | self._heading_index.get(word, set())
            self._hits_of_word[word] = hits
        return hits

    def _substring_candidates(self, anchor: str) -> set[int]:
        hits: set[int] = set()
        if not anchor:
            return hits
        joined, offsets = self._joined
        start = joined.find(anchor)
        while start != -1:
            hits.add(bisect_left(offsets, start + 1) - 1)
            start = joined.find(anchor, start + 1)
        return hits

    def reading(self, index: int, sentence: Sentence) -> Reading:
        """The strength of ``sentence`` in passage ``index``, inheriting a point's chapeau."""
        passage = self.passages[index]
        if not passage.operative:
            return Reading(Strength.ASPIRATIONAL, None)
        if passage.kind == "point" and not has_marker(sentence.text, self.lang):
            parent = self._chapeau(index)
            if parent is not None:
                sentences = self.sentences(parent)
                return read_strength(sentences[-1].text, self.lang)
        return read_strength(sentence.text, self.lang)

    def _chapeau(self, index: int) -> int | None:
        """The nearest earlier non-point passage of the same article, if any."""
        passage = self.passages[index]
        for earlier in range(index - 1, max(index - 40, -1), -1):
            candidate: Passage = self.passages[earlier]
            if candidate.kind != "point":
                # The same article: the same outer unit, or the chapeau is the article's
                # own text (no unit path of its own) and the point's locator extends it.
                same = candidate.unit_path[:1] == passage.unit_path[:1] or (
                    candidate.kind != "heading"
                    and bool(candidate.locator)
                    and passage.locator.startswith(candidate.locator)
                )
                return earlier if same else None
        return None
