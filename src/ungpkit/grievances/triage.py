"""Explainable triage of grievances: rights, harm types, severity levels and urgency flags.

Triage reads the description with the cues of the framework (the rights taxonomy and the
``harm_types`` vocabulary) and of ``data/triage.yaml`` (severity levels, urgency flags, ages,
numbers of people, and extra cues in the words complainants use), and reads the answers of
the intake form. Every suggestion names its reasons: the words matched, with offsets into the
description, or the form field, or the rule. Staff confirm or correct the suggestions; their
corrections are the labelled data ``ungpkit eval --triage`` measures triage against.

The rules file is read by :mod:`.triage_rules`; the cues of a language are compiled once into
one index by :mod:`.triage_cues`, so a grievance of a few hundred characters is triaged in well
under a millisecond. This module turns what the cues found into suggestions, and keeps the
public names of all three.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ungpkit.analysis.cues import NORMALISE
from ungpkit.documents.language import detect_language, language_name
from ungpkit.framework import Framework, default_framework
from ungpkit.grievances.model import (
    LEVELS,
    SEVERITY_DIMENSIONS,
    URGENCY_FLAGS,
    GrievanceInput,
    Reason,
    Suggestion,
    Triage,
)
from ungpkit.grievances.triage_cues import (
    Found,
    LanguageRules,
    Span,
    Target,
    anchor_of,
    compile_all,
    compile_language,
    language_rules,
)
from ungpkit.grievances.triage_rules import (
    RULES_PATH,
    URGENCY_WORDS,
    HarmTypes,
    Scores,
    TriageRules,
    TriageRulesError,
    check_rules,
    default_rules,
    load_rules,
)

__all__ = [
    "ANALYSER",
    "RULES_PATH",
    "URGENCY_WORDS",
    "HarmTypes",
    "Target",
    "TriageRules",
    "TriageRulesError",
    "analyser_version",
    "anchor_of",
    "check_rules",
    "choose_language",
    "compile_all",
    "compile_language",
    "default_rules",
    "language_rules",
    "level_name",
    "load_rules",
    "normalise",
    "suggest_harms",
    "suggest_rights",
    "suggest_severity",
    "suggest_urgency",
    "triage",
    "triage_many",
]

ANALYSER = "ungpkit.triage"
CODE_VERSION = "1"
MIN_LANGUAGE_CONFIDENCE = 0.5
"""Below this, the language the complainant chose wins over the detected one."""
MAX_REASONS = 8
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


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
