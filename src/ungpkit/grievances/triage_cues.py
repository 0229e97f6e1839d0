"""Finding triage cues in a description: one compiled index of every cue of a language.

The cues of a language (the framework's rights and harm types, the rules' severity and urgency
cues) are compiled once into a :class:`CueIndex`, which finds them all in one pass over a
description; a :class:`Negator` drops matches negated within their clause, and the counts and
ages rules are compiled beside them (:class:`LanguageRules`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

from ungpkit.analysis.cues import NORMALISE, cue_regex
from ungpkit.framework import Framework, default_framework
from ungpkit.grievances.model import (
    Reason,
)
from ungpkit.grievances.triage_rules import (
    HarmTypes,
    TriageRules,
    TriageRulesError,
    check_rules,
    default_rules,
    harm_terms,
    label_of,
)


class Target(NamedTuple):
    """What a cue is evidence for: a right, a harm type, a severity level or an urgency flag."""

    kind: str
    """``right``, ``harm``, ``severity`` or ``urgent``."""
    id: str
    level: int = 0


Span = tuple[int, int]
Found = dict[Target, list[Span]]
"""Where each target's cues matched in a text."""

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Anchor:
    """What a text must contain for a cue to match: checked before the cue's regex runs.

    For most languages, ``first`` is the cue's first word (a prefix when it ends in ``*``):
    the regex is tried only where it starts. ``words`` and ``prefixes`` are all the cue's
    words, and ``key`` the one the index looks the cue up by: its longest whole word (rarer
    than "my" or "de"), or its first prefix. For Korean, whose cues match inside words,
    ``first`` and ``key`` are the longest literal chunk and ``words`` the other chunks, all
    looked for as substrings.
    """

    first: str
    prefix: bool
    key: str
    key_prefix: bool
    words: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()


def anchor_of(cue: str, lang: str) -> Anchor:
    """The :class:`Anchor` of ``cue`` in ``lang``."""
    normal = cue.translate(NORMALISE).lower().strip()
    if lang == "ko":
        chunks = sorted({c for c in re.split(r"\s*~\s*|\s+|\*", normal) if c}, key=len)
        longest = chunks[-1] if chunks else ""
        return Anchor(longest, False, longest, False, frozenset(chunks[:-1]))
    words: list[str] = []
    prefixes: list[str] = []
    for token in re.split(r"\s*~\s*|\s+", normal):
        found = _WORD.findall(token.rstrip("*"))
        if token.endswith("*") and found:
            words += found[:-1]
            prefixes.append(found[-1])
        else:
            words += found
    if prefixes and normal.startswith(prefixes[0] + "*"):
        first, prefix = prefixes[0], True
    elif words:
        first, prefix = words[0], False
    else:
        return Anchor("", False, "", False)
    if words:
        key, key_prefix = max(words, key=len), False
    else:
        key, key_prefix = prefixes[0], True
    return Anchor(first, prefix, key, key_prefix, frozenset(words), frozenset(prefixes))


def _rarest(anchor: Anchor, uses: Counter[str]) -> tuple[str, bool]:
    """The word of a cue that fewest cues use (the longest on a tie), and if it is a prefix.

    Looking cues up by it means few cues to check per word of the text.
    """
    choices = [(w, False) for w in anchor.words] + [(p, True) for p in anchor.prefixes]
    return min(choices, key=lambda c: (uses[c[0]], -len(c[0]), c[1], c[0]))


class _Entry(NamedTuple):
    cue: str
    regex: re.Pattern[str]
    anchor: Anchor
    targets: tuple[Target, ...]


class CueIndex:
    """Every cue of one language, looked up from the words of a text.

    Each cue is compiled with :func:`ungpkit.analysis.cues.cue_regex`, so the cue syntax is
    the framework's, and tried only where the text holds all of the cue's words (see
    :class:`Anchor`). Unlike :class:`~ungpkit.analysis.cues.CueSet`, overlapping matches of
    different cues are all kept, since one phrase can be evidence for several targets.
    """

    WORD_CACHE = 200_000
    """How many distinct words to remember the candidate cues of."""

    def __init__(self, pairs: Iterable[tuple[str, Target]], lang: str) -> None:
        self.lang = lang
        targets: dict[str, list[Target]] = {}
        for cue, target in pairs:
            found = targets.setdefault(cue, [])
            if target not in found:
                found.append(target)
        self._entries = [
            _Entry(cue, cue_regex(cue, lang), anchor_of(cue, lang), tuple(found))
            for cue, found in targets.items()
        ]
        self._keys: dict[str, list[_Entry]] = {}
        self._key_prefixes: dict[str, list[_Entry]] = {}
        self._always: list[_Entry] = []
        uses = Counter(w for e in self._entries for w in (*e.anchor.words, *e.anchor.prefixes))
        for entry in self._entries:
            anchor = entry.anchor
            if not anchor.key:
                self._always.append(entry)
            elif lang == "ko":
                self._keys.setdefault(anchor.key[:2], []).append(entry)
            else:
                key, is_prefix = _rarest(anchor, uses)
                table = self._key_prefixes if is_prefix else self._keys
                table.setdefault(key, []).append(entry)
        self._prefix_lengths = sorted({len(prefix) for prefix in self._key_prefixes})
        self._by_word: dict[str, tuple[_Entry, ...]] = {}
        self._all_prefixes = {p for e in self._entries for p in e.anchor.prefixes}
        self._all_lengths = sorted({len(p) for p in self._all_prefixes})
        self._word_prefixes: dict[str, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _keyed_by(self, word: str) -> tuple[_Entry, ...]:
        """The cues whose key is ``word`` or a prefix of it (remembered per word)."""
        cached = self._by_word.get(word)
        if cached is None:
            found = list(self._keys.get(word, ()))
            for size in self._prefix_lengths:
                if size > len(word):
                    break
                found += self._key_prefixes.get(word[:size], ())
            cached = tuple(found)
            if len(self._by_word) < self.WORD_CACHE:
                self._by_word[word] = cached
        return cached

    def _prefixes_of(self, word: str) -> frozenset[str]:
        """The prefixes of ``word`` that some cue needs."""
        cached = self._word_prefixes.get(word)
        if cached is None:
            cached = frozenset(word[:n] for n in self._all_lengths) & self._all_prefixes
            if len(self._word_prefixes) < self.WORD_CACHE:
                self._word_prefixes[word] = cached
        return cached

    def _prefix_starts(self, positions: dict[str, list[int]]) -> dict[str, list[int]]:
        """Where the words start that begin with each prefix some cue needs."""
        starts: dict[str, list[int]] = {}
        cache = self._word_prefixes
        for word, at in positions.items():
            found = cache.get(word)
            for prefix in self._prefixes_of(word) if found is None else found:
                starts.setdefault(prefix, []).extend(at)
        return starts

    def find(self, text: str) -> Found:
        """Where each target's cues match in ``text`` (already normalised)."""
        lowered = text.lower()
        if self.lang == "ko" or len(lowered) != len(text):
            return self._find_anywhere(text, lowered)
        positions: dict[str, list[int]] = {}
        for match in _WORD.finditer(lowered):
            positions.setdefault(match.group(), []).append(match.start())
        words = positions.keys()
        prefixes: dict[str, list[int]] | None = None
        found: Found = {}
        for entry in self._always:
            _add(found, entry, [m.span() for m in entry.regex.finditer(text)])
        done: set[str] = set()
        by_word = self._by_word
        for word in positions:
            entries = by_word.get(word)
            if entries is None:
                entries = self._keyed_by(word)
            for entry in entries:
                anchor = entry.anchor
                if entry.cue in done or not words >= anchor.words:
                    continue
                if anchor.prefixes:
                    if prefixes is None:
                        prefixes = self._prefix_starts(positions)
                    if not prefixes.keys() >= anchor.prefixes:
                        continue
                done.add(entry.cue)
                if anchor.prefix and prefixes is not None:
                    starts = prefixes[anchor.first]
                else:
                    starts = positions[anchor.first]
                spans = [m.span() for m in map(entry.regex.match, repeat(text), starts) if m]
                _add(found, entry, spans)
        return found

    def _find_anywhere(self, text: str, lowered: str) -> Found:
        """Korean (and text whose length changes when lower-cased): substring anchors."""
        entries = list(self._always)
        if self.lang == "ko":
            keys = {lowered[i : i + 2] for i in range(len(lowered))} | set(lowered)
            for key in keys & self._keys.keys():
                entries += (
                    entry
                    for entry in self._keys[key]
                    if entry.anchor.first in lowered
                    and all(w in lowered for w in entry.anchor.words)
                )
        else:
            entries = self._entries
        found: Found = {}
        for entry in entries:
            _add(found, entry, [m.span() for m in entry.regex.finditer(text)])
        return found


def _add(found: Found, entry: _Entry, spans: list[Span]) -> None:
    if spans:
        for target in entry.targets:
            found.setdefault(target, []).extend(spans)


_CLAUSE_END = re.compile(r"[.!?;:,\n()\[\]]")
_UP_TO_CLAUSE_END = re.compile(r".*[.!?;:,\n()\[\]]", re.DOTALL)
"""Greedy: matches up to the last clause end, so its end is where the clause starts."""


@dataclass(frozen=True)
class Negator:
    """Tells whether a cue is negated: "no one was hurt", "부상자는 없습니다"."""

    before: frozenset[str]
    after: tuple[str, ...]
    breaks: frozenset[str]
    words: int
    chars_after: int
    korean: bool

    def negated(self, text: str, span: Span) -> bool:
        start, end = span
        if self.korean:
            tail = text[max(0, start - 4) : start].split()
            if tail and tail[-1] in self.before and text[start - 1 : start].isspace():
                return True
            ahead = _CLAUSE_END.split(text[end : end + self.chars_after], maxsplit=1)[0]
            return any(word in ahead for word in self.after)
        if not self.words:
            return False
        low = max(0, start - 20 * self.words)
        before = _UP_TO_CLAUSE_END.match(text, low, start)
        if before is not None:
            low = before.end()
        for word in reversed(_WORD.findall(text, low, start)[-self.words :]):
            word = word.lower()
            if word in self.breaks:
                return False
            if word in self.before:
                return True
        return False


def _negator(rules: TriageRules, lang: str) -> Negator:
    negation = rules.negation
    return Negator(
        before=frozenset(w.lower() for w in negation.before.get(lang, [])),
        after=tuple(negation.after.get(lang, [])),
        breaks=frozenset(w.lower() for w in negation.breaks.get(lang, [])),
        words=negation.window_words,
        chars_after=negation.window_chars_after,
        korean=lang == "ko",
    )


_NUMBER = r"(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)"
_DIGIT = re.compile(r"\d")
_NUMBER_START = re.compile(r"(?<![\w.,])\d")
_SMALL_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
AGE_WINDOW = 24
"""How many characters around a number the age patterns look at."""


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _count_regex(rules: TriageRules, lang: str) -> re.Pattern[str] | None:
    people = rules.counts.people.get(lang)
    if not people:
        return None
    multipliers = _alternation(rules.counts.multipliers.get(lang, {})) or "(?!)"
    if lang == "ko":
        source = rf"(?<![\d.,]){_NUMBER}\s*({multipliers})?\s*({_alternation(people)})"
    else:
        source = (
            rf"(?<![\w.,]){_NUMBER}(?:\s*({multipliers})(?!\w))?"
            rf"(?:\s+(?:of|de|d'|del))?\s*(?:[\w'-]+\s+){{0,2}}?({_alternation(people)})(?!\w)"
        )
    return re.compile(source, re.IGNORECASE)


def _number(digits: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+", digits):
        return float(re.sub(r"\D", "", digits))
    return float(digits.replace(",", "."))


@dataclass(frozen=True)
class LanguageRules:
    """Everything triage needs for one language, compiled once."""

    lang: str
    index: CueIndex
    negator: Negator
    negatable: frozenset[str]
    ages: tuple[re.Pattern[str], ...]
    counts: re.Pattern[str] | None
    multipliers: dict[str, float]
    harm_types: HarmTypes
    implications: tuple[tuple[str, str, int, Reason], ...]
    """(when, dimension, level, reason) for each implication of the rules."""
    baseline: tuple[tuple[str, int, Reason], ...]
    """(dimension, level, reason) for each baseline level."""

    def find(self, text: str) -> Found:
        """Where each target's cues match in ``text``, leaving out negated matches."""
        found = self.index.find(text)
        negated: dict[Span, bool] = {}
        for target, spans in list(found.items()):
            if target.id in self.negatable or (
                target.kind == "severity" and "severity" in self.negatable
            ):
                for span in spans:
                    if span not in negated:
                        negated[span] = self.negator.negated(text, span)
                kept = [span for span in spans if not negated[span]]
                if kept:
                    found[target] = kept
                else:
                    del found[target]
        return found

    def ages_under(self, text: str, adult_age: int) -> list[Reason]:
        """A reason for each age under ``adult_age`` written in the text ("13-year-old").

        The patterns run only in a window around each one- or two-digit number, which is
        much faster than scanning the whole text with case-insensitive lookbehinds.
        """
        reasons = []
        for digits in _SMALL_NUMBER.finditer(text):
            if int(digits.group()) >= adult_age:
                continue
            low, high = max(0, digits.start() - AGE_WINDOW), digits.end() + AGE_WINDOW
            for pattern in self.ages:
                match = next(
                    (m for m in pattern.finditer(text, low, high) if m.start(1) == digits.start()),
                    None,
                )
                if match is not None:
                    detail = f"the words “{match.group(0)}” (age {digits.group()})"
                    reasons.append(Reason("age", detail, match.start(), match.end()))
                    break
        return reasons

    def people_counts(self, text: str) -> list[tuple[float, Reason]]:
        """Each number of people written in the text ("2,000 drivers"), with its reason."""
        if self.counts is None:
            return []
        found = []
        matches = (self.counts.match(text, m.start()) for m in _NUMBER_START.finditer(text))
        for match in filter(None, matches):
            value = _number(match.group(1))
            if match.group(2):
                value *= self.multipliers.get(match.group(2).lower(), 1.0)
            detail = f"the words “{match.group(0)}” ({value:,.0f} people)"
            found.append((value, Reason("count", detail, match.start(), match.end())))
        return found


def _pairs(framework: Framework, rules: TriageRules, lang: str) -> list[tuple[str, Target]]:
    pairs: list[tuple[str, Target]] = []
    for right in framework.rights:
        cues = (right.cues.get(lang) if right.cues else []) + rules.rights.get(right.id, {}).get(
            lang, []
        )
        pairs += [(cue, Target("right", right.id)) for cue in cues]
    for term in harm_terms(framework):
        cues = (term.cues.get(lang) if term.cues else []) + rules.harms.get(term.id, {}).get(
            lang, []
        )
        pairs += [(cue, Target("harm", term.id)) for cue in cues]
    framework_levels: dict[str, int] = {str(k): v for k, v in rules.framework_levels.items()}
    for term in framework.vocabulary("severity_dimensions").terms:
        level = framework_levels.get(term.id)
        if level and term.cues:
            pairs += [(cue, Target("severity", term.id, level)) for cue in term.cues.get(lang)]
    for dimension, levels in rules.severity.items():
        for level, level_cues in levels.by_level():
            targets = [
                (cue, Target("severity", dimension, level)) for cue in level_cues.get(lang, [])
            ]
            pairs += targets
    for flag, flag_cues in rules.urgency.items():
        pairs += [(cue, Target("urgent", flag)) for cue in flag_cues.get(lang, [])]
    return pairs


def compile_language(framework: Framework, rules: TriageRules, lang: str) -> LanguageRules:
    """Compile the cues, negation, ages and counts of ``lang`` (see :func:`language_rules`)."""
    problems = check_rules(rules, framework)
    if problems:
        raise TriageRulesError(problems)
    multipliers = {k.lower(): v for k, v in rules.counts.multipliers.get(lang, {}).items()}
    harm_types = HarmTypes.of(framework)
    implications = tuple(
        (
            rule.when,
            rule.dimension,
            rule.level,
            Reason("implied", f"{label_of(harm_types, rule.when)} suggested: {rule.because}"),
        )
        for rule in rules.implications
    )
    baseline = tuple(
        (base.dimension, base.level, Reason("baseline", base.because)) for base in rules.baseline
    )
    return LanguageRules(
        lang=lang,
        index=CueIndex(_pairs(framework, rules, lang), lang),
        negator=_negator(rules, lang),
        negatable=frozenset(rules.negation.applies_to),
        ages=tuple(re.compile(p, re.IGNORECASE) for p in rules.ages.get(lang, [])),
        counts=_count_regex(rules, lang),
        multipliers=multipliers,
        harm_types=harm_types,
        implications=implications,
        baseline=baseline,
    )


_COMPILED: dict[tuple[int, int, str], tuple[Framework, TriageRules, LanguageRules]] = {}


def language_rules(framework: Framework, rules: TriageRules, lang: str) -> LanguageRules:
    """The compiled rules of ``lang``, cached per framework, rules and language."""
    key = (id(framework), id(rules), lang)
    cached = _COMPILED.get(key)
    if cached is None:
        cached = (framework, rules, compile_language(framework, rules, lang))
        _COMPILED[key] = cached
    return cached[2]


def compile_all(framework: Framework | None = None, rules: TriageRules | None = None) -> None:
    """Compile the rules of every language now rather than at the first grievance in each
    (a long-running worker does this before it starts taking work)."""
    framework = framework or default_framework()
    rules = rules or default_rules()
    for lang in rules.languages():
        language_rules(framework, rules, lang)
