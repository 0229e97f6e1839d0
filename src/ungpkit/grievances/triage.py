"""Explainable triage of grievances: rights, harm types, severity levels and urgency flags.

Triage reads the description with the cues of the framework (the rights taxonomy and the
``harm_types`` vocabulary) and of ``data/triage.yaml`` (severity levels, urgency flags, ages,
numbers of people, and extra cues in the words complainants use), and reads the answers of
the intake form. Every suggestion names its reasons: the words matched, with offsets into the
description, or the form field, or the rule. Staff confirm or correct the suggestions; their
corrections are the labelled data ``ungpkit eval --triage`` measures triage against.

The cues of a language are compiled once into one index (see :class:`CueIndex`), so a
grievance of a few hundred characters is triaged in well under a millisecond.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from ungpkit.analysis.cues import NORMALISE, cue_regex
from ungpkit.documents.language import detect_language, language_name
from ungpkit.framework import Framework, FrameworkError, Problem, default_framework
from ungpkit.framework.loader import parse_file
from ungpkit.framework.models import Term
from ungpkit.grievances.model import (
    LEVELS,
    SEVERITY_DIMENSIONS,
    URGENCY_FLAGS,
    GrievanceInput,
    Reason,
    Suggestion,
    Triage,
)

RULES_PATH = Path(__file__).parent / "data" / "triage.yaml"
ANALYSER = "ungpkit.triage"
CODE_VERSION = "1"
MIN_LANGUAGE_CONFIDENCE = 0.5
"""Below this, the language the complainant chose wins over the detected one."""
MAX_REASONS = 8

URGENCY_WORDS: dict[str, str] = {
    "urgent.life": "a risk to life or physical integrity",
    "urgent.child": "a child involved",
    "urgent.ongoing": "harm still going on",
    "urgent.reprisal": "fear of reprisal",
}
"""Plain words for each urgency flag, used in reasons."""


# --- The rules file --------------------------------------------------------------------------


def _valid_cue(cue: str) -> str:
    stripped = cue.strip()
    if not stripped or stripped.startswith("~") or stripped.endswith("~"):
        raise ValueError(f"the cue {cue!r} is blank or starts or ends with ~")
    try:
        cue_regex(stripped, "en")
    except re.error as exc:  # pragma: no cover - cue syntax escapes everything
        raise ValueError(f"the cue {cue!r} cannot be compiled: {exc}") from exc
    return stripped


def _valid_age_pattern(pattern: str) -> str:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(
            f"the pattern {pattern!r} is not a valid regular expression: {exc}"
        ) from exc
    if compiled.groups != 1:
        raise ValueError(f"the pattern {pattern!r} needs exactly one group (the age)")
    return pattern


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Cue = Annotated[str, AfterValidator(_valid_cue)]
LangCues = dict[LangCode, list[Cue]]
Words = dict[LangCode, list[Annotated[str, StringConstraints(min_length=1)]]]
Dimension = Literal["severity.scale", "severity.scope", "severity.irremediability"]
Flag = Literal["urgent.life", "urgent.child", "urgent.ongoing", "urgent.reprisal"]
Level = Annotated[int, Field(ge=0, le=3)]
Share = Annotated[float, Field(ge=0, le=1)]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scores(_Rules):
    """How strong a suggestion is, from what supports it (0-1)."""

    cue: Share
    cue_step: Share
    cue_max: Share
    form: Share
    link_primary: Share
    link_other: Share
    fallback: Share
    suggest: Annotated[float, Field(gt=0, le=1)]


class Negation(_Rules):
    """Words that cancel a cue shortly before it (after it, in Korean) in the same clause."""

    window_words: int = Field(ge=0, le=12)
    window_chars_after: int = Field(ge=0, le=40)
    applies_to: list[str]
    before: Words = Field(default_factory=dict)
    after: Words = Field(default_factory=dict)
    breaks: Words = Field(default_factory=dict)


class LevelCues(_Rules):
    """The cues for each level of one severity dimension."""

    high: LangCues = Field(default_factory=dict)
    medium: LangCues = Field(default_factory=dict)
    low: LangCues = Field(default_factory=dict)

    def by_level(self) -> tuple[tuple[int, LangCues], ...]:
        return ((3, self.high), (2, self.medium), (1, self.low))


class Counts(_Rules):
    """The words for people and for multipliers, to read "2,000 drivers" or "3만 명"."""

    people: Words
    multipliers: dict[LangCode, dict[str, Annotated[float, Field(gt=0)]]]


class ScopeCount(_Rules):
    min: int = Field(ge=1)
    level: Level


class Baseline(_Rules):
    dimension: Dimension
    level: Level
    because: Annotated[str, StringConstraints(min_length=1)]


class Implication(_Rules):
    when: Annotated[str, StringConstraints(pattern=r"^(harm|urgent|right)\.[a-z_]+$")]
    dimension: Dimension
    level: Level
    because: Annotated[str, StringConstraints(min_length=1)]


class TriageRules(_Rules):
    """Schema of ``triage.yaml``: every cue, rule and score triage uses."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+$")]
    scores: Scores
    negation: Negation
    rights: dict[Annotated[str, StringConstraints(pattern=r"^right\.[a-z_]+$")], LangCues] = Field(
        default_factory=dict
    )
    harms: dict[Annotated[str, StringConstraints(pattern=r"^harm\.[a-z_]+$")], LangCues] = Field(
        default_factory=dict
    )
    framework_levels: dict[Dimension, Level] = Field(default_factory=dict)
    severity: dict[Dimension, LevelCues]
    urgency: dict[Flag, LangCues]
    ages: dict[LangCode, list[Annotated[str, AfterValidator(_valid_age_pattern)]]] = Field(
        default_factory=dict
    )
    adult_age: int = Field(default=18, ge=1, le=30)
    counts: Counts
    scope_counts: list[ScopeCount] = Field(min_length=1)
    baseline: list[Baseline] = Field(default_factory=list)
    implications: list[Implication] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> TriageRules:
        missing = [d for d in SEVERITY_DIMENSIONS if d not in self.severity]
        if missing:
            raise ValueError(f"severity needs cues for every dimension; missing: {missing}")
        mins = [rule.min for rule in self.scope_counts]
        levels = [rule.level for rule in self.scope_counts]
        if mins != sorted(set(mins)) or levels != sorted(levels):
            raise ValueError("scope_counts must rise: each min and level at least the one before")
        return self

    def languages(self) -> frozenset[str]:
        """The languages the rules have cues for."""
        cached = _LANGUAGES.get(id(self))
        if cached is not None and cached[0] is self:
            return cached[1]
        found: set[str] = set()
        for flag_cues in self.urgency.values():
            found.update(flag_cues)
        for level_cues in self.severity.values():
            for _, cues in level_cues.by_level():
                found.update(cues)
        _LANGUAGES[id(self)] = (self, frozenset(found))
        return frozenset(found)


_LANGUAGES: dict[int, tuple[TriageRules, frozenset[str]]] = {}


class TriageRulesError(ValueError):
    """The triage rules file is malformed; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"The triage rules have {len(self.problems)} problem(s):\n{lines}")


def load_rules(path: Path | str) -> TriageRules:
    """Read and validate a triage rules file; errors name the file, line and place."""
    try:
        return parse_file(Path(path), TriageRules)
    except FrameworkError as exc:
        raise TriageRulesError(exc.problems) from exc


@lru_cache(maxsize=1)
def default_rules() -> TriageRules:
    """The shipped triage rules, loaded once per process."""
    return load_rules(RULES_PATH)


def check_rules(rules: TriageRules, framework: Framework) -> list[str]:
    """Every id in ``rules`` that the framework does not know, in plain words."""
    harm_ids = {term.id for term in _harm_terms(framework)}
    right_ids = {right.id for right in framework.rights}
    problems = [f"rights: {key} is not a right" for key in rules.rights if key not in right_ids]
    problems += [f"harms: {key} is not a harm type" for key in rules.harms if key not in harm_ids]
    known = harm_ids | right_ids | set(URGENCY_FLAGS)
    problems += [
        f"implications: {rule.when} is not a harm type, right or urgency flag"
        for rule in rules.implications
        if rule.when not in known
    ]
    problems += [
        f"negation.applies_to: {key} is unknown"
        for key in rules.negation.applies_to
        if key not in known | {"severity"}
    ]
    return problems


def _harm_terms(framework: Framework) -> list[Term]:
    return list(framework.vocabulary("harm_types").terms)


@dataclass(frozen=True)
class HarmTypes:
    """The harm types of a framework: English labels and the rights each engages."""

    labels: dict[str, str]
    rights: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, framework: Framework) -> HarmTypes:
        terms = _harm_terms(framework)
        return cls(
            labels={term.id: term.label.en for term in terms},
            rights={term.id: tuple(term.rights) for term in terms},
        )


# --- Finding cues ----------------------------------------------------------------------------


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
    for term in _harm_terms(framework):
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
            Reason("implied", f"{_label(harm_types, rule.when)} suggested: {rule.because}"),
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


# --- From matches to suggestions -------------------------------------------------------------


@lru_cache(maxsize=4096)
def _quote(text: str, span: Span) -> Reason:
    """The reason for a cue match (cached: one phrase is often evidence for several labels)."""
    return Reason("cue", f"the words “{text[span[0] : span[1]]}”", span[0], span[1])


def _cue_score(scores: Scores, distinct: int) -> float:
    return round(min(scores.cue_max, scores.cue + scores.cue_step * (distinct - 1)), 3)


def _cue_reasons(text: str, spans: Sequence[Span]) -> tuple[list[Reason], int]:
    """One reason per distinct phrase, and how many distinct phrases.

    Overlapping matches count once (the leftmost, longest), so "data breach" and the
    "breach" inside it are one piece of evidence, not two.
    """
    if len(spans) < 2:
        return ([_quote(text, spans[0])], 1) if spans else ([], 0)
    seen: dict[str, Reason] = {}
    end = -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] < end:
            continue
        end = span[1]
        phrase = text[span[0] : span[1]].lower()
        if phrase not in seen:
            seen[phrase] = _quote(text, span)
    return list(seen.values())[:MAX_REASONS], len(seen)


def _ranked(suggestions: Iterable[Suggestion], threshold: float) -> tuple[Suggestion, ...]:
    kept = [s for s in suggestions if s.score >= threshold]
    return tuple(sorted(kept, key=lambda s: (-s.score, s.id)))


def suggest_harms(text: str, found: Found, rules: TriageRules) -> tuple[Suggestion, ...]:
    """Harm types from their cues, or ``harm.other`` when none is found."""
    suggestions = []
    for target, spans in found.items():
        if target.kind == "harm":
            reasons, distinct = _cue_reasons(text, spans)
            score = _cue_score(rules.scores, distinct)
            suggestions.append(Suggestion(target.id, score, tuple(reasons)))
    ranked = _ranked(suggestions, rules.scores.suggest)
    if ranked or not _WORD.search(text):
        return ranked
    other = Suggestion("harm.other", rules.scores.fallback, (_FALLBACK,))
    return _ranked([other], rules.scores.suggest)


def _link_reason(harm: Suggestion, harm_types: HarmTypes) -> Reason:
    return _link(harm_types.labels.get(harm.id, harm.id), harm.reasons[0] if harm.reasons else None)


@lru_cache(maxsize=4096)
def _link(label: str, first: Reason | None) -> Reason:
    words = f" ({first.detail})" if first and first.rule == "cue" else ""
    return Reason(
        "harm",
        f"the harm type “{label}”{words} engages this right",
        first.start if first else None,
        first.end if first else None,
    )


def suggest_rights(
    text: str,
    found: Found,
    harms: Sequence[Suggestion],
    harm_types: HarmTypes,
    rules: TriageRules,
) -> tuple[Suggestion, ...]:
    """Rights from their own cues and from the rights the suggested harm types engage.

    The shares combine as independent evidence: 1 - (1 - a)(1 - b)...
    """
    missing: dict[str, float] = {}
    reasons: dict[str, list[Reason]] = {}
    for target, spans in found.items():
        if target.kind == "right":
            quoted, distinct = _cue_reasons(text, spans)
            missing[target.id] = 1.0 - _cue_score(rules.scores, distinct)
            reasons[target.id] = quoted
    for harm in harms:
        link = _link_reason(harm, harm_types)
        for position, right_id in enumerate(harm_types.rights.get(harm.id, ())):
            weight = rules.scores.link_primary if position == 0 else rules.scores.link_other
            missing[right_id] = missing.get(right_id, 1.0) * (1.0 - harm.score * weight)
            reasons.setdefault(right_id, []).append(link)
    suggestions = [
        Suggestion(right_id, round(1.0 - rest, 3), tuple(reasons[right_id][:MAX_REASONS]))
        for right_id, rest in missing.items()
        if 1.0 - rest >= rules.scores.suggest
    ]
    return _ranked(suggestions, rules.scores.suggest)


_FORM_FLAGS: dict[str, tuple[str, Reason]] = {
    "urgent.child": (
        "child_involved",
        Reason("form.child_involved", "the form says a child is involved"),
    ),
    "urgent.ongoing": (
        "ongoing",
        Reason("form.ongoing", "the form says the harm is still going on"),
    ),
    "urgent.reprisal": (
        "fear_of_reprisal",
        Reason("form.fear_of_reprisal", "the form says the person fears reprisal"),
    ),
}
_FALLBACK = Reason("fallback", "none of the harm types' words were found in the description")
_NOTHING = Reason("none", "nothing in the description or the form points to this")


def suggest_urgency(
    item: GrievanceInput,
    text: str,
    found: Found,
    compiled: LanguageRules,
    rules: TriageRules,
) -> tuple[Suggestion, ...]:
    """The urgency flags that apply, from the form, cues and (for a child) ages."""
    suggestions = []
    for flag in URGENCY_FLAGS:
        reasons, distinct = _cue_reasons(text, found.get(Target("urgent", flag), ()))
        if flag == "urgent.child" and _DIGIT.search(text):
            ages = compiled.ages_under(text, rules.adult_age)
            reasons, distinct = reasons + ages, distinct + len(ages)
        score = _cue_score(rules.scores, distinct) if distinct else 0.0
        form = _FORM_FLAGS.get(flag)
        if form is not None and getattr(item, form[0]):
            reasons.insert(0, form[1])
            score = max(score, rules.scores.form)
        if reasons:
            suggestions.append(Suggestion(flag, score, tuple(reasons[:MAX_REASONS])))
    return tuple(suggestions)


def _level_for_count(count: float, rules: TriageRules) -> int:
    level = 0
    for rule in rules.scope_counts:
        if count >= rule.min:
            level = rule.level
    return level


def _label(harm_types: HarmTypes, identifier: str) -> str:
    if identifier in URGENCY_WORDS:
        return URGENCY_WORDS[identifier]
    if identifier in harm_types.labels:
        return f"the harm type “{harm_types.labels[identifier]}”"
    return identifier


def _scope_reasons(
    item: GrievanceInput, text: str, compiled: LanguageRules, rules: TriageRules
) -> list[tuple[int, Reason]]:
    """Scope levels from the form's count and the numbers of people in the text."""
    found = []
    if _DIGIT.search(text):
        for value, reason in compiled.people_counts(text):
            found.append((_level_for_count(value, rules), reason))
    if item.affected_count:
        detail = f"the form says {item.affected_count:,} people are affected"
        level = _level_for_count(item.affected_count, rules)
        found.append((level, Reason("form.affected_count", detail)))
    return [(level, reason) for level, reason in found if level]


def suggest_severity(
    item: GrievanceInput,
    text: str,
    found: Found,
    suggested: Sequence[Suggestion],
    compiled: LanguageRules,
    rules: TriageRules,
) -> tuple[Suggestion, ...]:
    """One level (0-3) per severity dimension, with the reasons for that level.

    The level is the highest that the cues, the numbers of people, the form, the
    implications of the ``suggested`` harm types and urgency flags, or the baseline give.
    """
    other: dict[str, list[tuple[int, Reason]]] = {d: [] for d in SEVERITY_DIMENSIONS}
    other["severity.scope"] += _scope_reasons(item, text, compiled, rules)
    present = {s.id for s in suggested}
    for when, dimension, level, reason in compiled.implications:
        if when in present:
            other[dimension].append((level, reason))
    if any(s.id.startswith(("right.", "harm.")) and s.id != "harm.other" for s in suggested):
        for dimension, level, reason in compiled.baseline:
            other[dimension].append((level, reason))
    cues: dict[str, dict[int, list[Span]]] = {d: {} for d in SEVERITY_DIMENSIONS}
    for target, spans in found.items():
        if target.kind == "severity":
            cues[target.id].setdefault(target.level, []).extend(spans)
    return tuple(_dimension(text, d, cues[d], other[d]) for d in SEVERITY_DIMENSIONS)


def _dimension(
    text: str, dimension: str, cues: dict[int, list[Span]], other: list[tuple[int, Reason]]
) -> Suggestion:
    level = max([*cues, *(lvl for lvl, _ in other)], default=0)
    if level == 0:
        return Suggestion(dimension, 0.0, (_NOTHING,))
    quoted, _ = _cue_reasons(text, cues.get(level, ()))
    reasons = quoted + [reason for lvl, reason in other if lvl == level]
    return Suggestion(dimension, float(level), tuple(reasons[:MAX_REASONS]))


_TO_NORMALISE = re.compile("[" + "".join(chr(c) for c in NORMALISE) + "]")


def normalise(text: str) -> str:
    """``text`` with curly apostrophes and special spaces made plain (same length)."""
    return text.translate(NORMALISE) if _TO_NORMALISE.search(text) else text


def choose_language(item: GrievanceInput, rules: TriageRules) -> tuple[str, tuple[Reason, ...]]:
    """The language to read the description in: detected, or the one chosen on the form."""
    available = rules.languages()
    guess = detect_language(item.description)
    chosen = (item.language or "").strip().lower()
    name = language_name(guess.code)
    if guess.code in available and guess.confidence >= MIN_LANGUAGE_CONFIDENCE:
        detail = f"the text reads as {name} (confidence {guess.confidence:.2f})"
        return guess.code, (Reason("language.detected", detail),)
    if chosen in available:
        detail = f"the complainant chose {language_name(chosen)} on the form"
        if guess.code != "und":
            detail += f"; the text looks {name} with low confidence ({guess.confidence:.2f})"
        return chosen, (Reason("form.language", detail),)
    if guess.code != "und":
        detail = f"the text reads as {name} (confidence {guess.confidence:.2f})"
        if guess.code not in available:
            detail += "; triage has no words for it, so only the form's answers count"
        return guess.code, (Reason("language.detected", detail),)
    return "und", (Reason("language.unknown", "the language could not be told from the text"),)


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def language_by_cues(
    text: str, framework: Framework, rules: TriageRules
) -> tuple[str, tuple[Reason, ...]]:
    """For a text too short to tell its language: the language whose cues it matches most."""
    best, most = "und", 0
    for lang in sorted(rules.languages(), key=lambda code: (code != "en", code)):
        if lang == "ko" and not _HANGUL.search(text):
            continue
        matches = sum(
            len(spans) for spans in language_rules(framework, rules, lang).find(text).values()
        )
        if matches > most:
            best, most = lang, matches
    if best == "und":
        return best, (Reason("language.unknown", "the language could not be told from the text"),)
    detail = (
        f"the text is too short to tell its language; its words match most cues in "
        f"{language_name(best)}"
    )
    return best, (Reason("language.cues", detail),)


def triage(
    item: GrievanceInput,
    framework: Framework | None = None,
    *,
    rules: TriageRules | None = None,
) -> Triage:
    """Suggest rights, harm types, severity levels and urgency flags for one grievance."""
    framework = framework or default_framework()
    rules = rules or default_rules()
    lang, language_reasons = choose_language(item, rules)
    text = normalise(item.description)
    if lang == "und":
        lang, language_reasons = language_by_cues(text, framework, rules)
    compiled = language_rules(framework, rules, lang)
    found = compiled.find(text)
    harms = suggest_harms(text, found, rules)
    rights = suggest_rights(text, found, harms, compiled.harm_types, rules)
    urgency = suggest_urgency(item, text, found, compiled, rules)
    suggested = (*rights, *harms, *urgency)
    severity = suggest_severity(item, text, found, suggested, compiled, rules)
    return Triage(
        language=lang,
        language_reasons=language_reasons,
        rights=rights,
        harms=harms,
        severity=severity,
        urgency=urgency,
        analyser=ANALYSER,
        version=analyser_version(rules),
    )


def triage_many(
    items: Iterable[GrievanceInput],
    framework: Framework | None = None,
    *,
    rules: TriageRules | None = None,
) -> list[Triage]:
    """Triage many grievances with the same framework and rules (compiled once).

    The garbage collector is paused meanwhile: triage makes many small objects but no
    reference cycles, and collecting among a large application's objects would otherwise
    take about a third of the time.
    """
    framework = framework or default_framework()
    rules = rules or default_rules()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [triage(item, framework, rules=rules) for item in items]
    finally:
        if collecting:
            gc.enable()


def analyser_version(rules: TriageRules) -> str:
    """The version stored with each triage: the code's and the rules'."""
    return f"{CODE_VERSION}+rules.{rules.version}"


def level_name(level: int) -> str:
    """The word for a severity level 0-3 (``none``, ``low``, ``medium``, ``high``)."""
    return LEVELS[max(0, min(level, len(LEVELS) - 1))]
