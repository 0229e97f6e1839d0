"""Offline, deterministic language identification from scripts and function-word profiles."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "fr", "es", "ko"})

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ko": "Korean",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "ar": "Arabic",
    "he": "Hebrew",
    "zh": "Chinese",
    "ja": "Japanese",
    "th": "Thai",
    "hi": "Hindi",
    "und": "an unknown language",
}

# Frequent function words. Words shared by several languages count for each of them, so the
# distinctive ones decide.
_PROFILES: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in a is that for be shall by with on as or are this which any such may "
        "not its it from at an where their been has have was were these those other under "
        "into than each within without whether should would must will there they them who "
        "whom whose only also all about upon after before between through".split()
    ),
    "fr": frozenset(
        "le la les de des du et est en un une dans pour que qui au aux sur par ne pas ou ce "
        "cette ces ses son sa sont être été leur leurs peut doit il elle ils lorsque selon "
        "dont avec sans entre tout toute tous toutes notamment autre autres ainsi comme afin "
        "l d qu à où".split()
    ),
    "es": frozenset(
        "el la los las de del y en un una que por para con se su sus es al lo como más "
        "este esta estos estas dicho dicha cuando entre sin sobre también o u ser será "
        "podrá deberá ha han sido cual cuales dentro según mediante ante otro otra otros".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den von mit sich des auf für im dem werden "
        "oder bei nach wird durch auch als an aus sind einer eines einem dass wenn nur über "
        "unter sowie gemäß diese dieser dieses kann muss sie es wie zur zum vom".split()
    ),
    "it": frozenset(
        "il di che e la per del della gli le un una non sono è alla dei delle nel nella "
        "degli sul ai dal dalla lo al da in con essere ha hanno questo questa tali tale "
        "anche o ed nei nelle sulla presente".split()
    ),
    "pt": frozenset(
        "o os as do da dos das em no na nos nas não um uma é ao aos pelo pela pelos pelas "
        "são com à e de que para por se seu sua seus suas ou deve ser este esta presente "
        "também quando".split()
    ),
    "nl": frozenset(
        "de het een en van is dat niet op te zijn voor met aan worden wordt bij door of "
        "deze die dit als zij er ook naar om tot uit over zoals artikel lid onder moet kan "
        "hun wanneer".split()
    ),
}

# Characters that point strongly to one language.
_MARK_CHARS: dict[str, str] = {
    "ñ": "es",
    "¿": "es",
    "¡": "es",
    "ç": "fr",
    "œ": "fr",
    "è": "fr",
    "ê": "fr",
    "ë": "fr",
    "î": "fr",
    "û": "fr",
    "ß": "de",
    "ä": "de",
    "ö": "de",
    "ü": "de",
    "ã": "pt",
    "õ": "pt",
    "ò": "it",
    "ì": "it",
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language (ISO 639-1 code or "und"), a 0–1 confidence, and support."""

    code: str
    confidence: float
    supported: bool

    @property
    def name(self) -> str:
        """The English name of the language."""
        return language_name(self.code)


def language_name(code: str) -> str:
    """The English name for an ISO code, or the code itself if unknown."""
    return LANGUAGE_NAMES.get(code, code)


_SCRIPT_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("han", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("latin", re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")),
)


_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")
_LATIN_RE = dict(_SCRIPT_RES)["latin"]


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script the text has."""
    counts: Counter[str] = Counter()
    if _BEYOND_LATIN.search(text) is None:
        found = len(_LATIN_RE.findall(text))
        if found:
            counts["latin"] = found
        return counts
    for script, pattern in _SCRIPT_RES:
        found = len(pattern.findall(text))
        if found:
            counts[script] = found
    return counts


def _word_codes() -> dict[str, tuple[str, ...]]:
    codes: dict[str, list[str]] = {}
    for code, profile in _PROFILES.items():
        for word in profile:
            codes.setdefault(word, []).append(code)
    return {word: tuple(found) for word, found in codes.items()}


_WORD_CODES = _word_codes()


# For ASCII text: the function words as bytes, and a table turning every non-letter into a
# space, so that bytes.split() yields exactly the tokens of _WORD (much faster than findall).
_ASCII_WORD_CODES = {
    word.encode("ascii"): codes for word, codes in _WORD_CODES.items() if word.isascii()
}
_ASCII_NON_LETTERS = bytes(c for c in range(256) if not (c < 128 and chr(c).isalpha()))
_ASCII_LETTERS_ONLY = bytes.maketrans(_ASCII_NON_LETTERS, b" " * len(_ASCII_NON_LETTERS))


def _word_scores(text: str) -> tuple[int, dict[str, float]]:
    """The number of words in ``text`` and each language's score (function words, marks)."""
    scores: dict[str, float] = dict.fromkeys(_PROFILES, 0.0)
    # Scores are sums of whole and half points, so adding them per distinct word (and in any
    # order) gives exactly the same floats as adding one point per token.
    # Only function words are counted: filtering them first (in C) leaves a small Counter.
    if text.isascii():  # no mark character either: they are all outside ASCII
        words = text.encode("ascii").translate(_ASCII_LETTERS_ONLY).lower().split()
        for word, hits in Counter(filter(_ASCII_WORD_CODES.__contains__, words)).items():
            for code in _ASCII_WORD_CODES[word]:
                scores[code] += hits
        return len(words), scores
    lowered = unicodedata.normalize("NFC", text).lower()
    # The word pattern splits elisions (l'article, d'une), so "l" and "d" count as words.
    tokens = _WORD.findall(lowered)
    for token, hits in Counter(filter(_WORD_CODES.__contains__, tokens)).items():
        for code in _WORD_CODES[token]:
            scores[code] += hits
    for char, code in _MARK_CHARS.items():
        hits = lowered.count(char)
        if hits:
            scores[code] += 0.5 * hits
    return len(tokens), scores


def _latin_guess(text: str) -> LanguageGuess:
    tokens, scores = _word_scores(text)
    if not tokens:
        return LanguageGuess("und", 0.0, False)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best, best_score = ranked[0]
    second_score = ranked[1][1]
    coverage = best_score / tokens
    if best_score < 2 and coverage < 0.2:
        return LanguageGuess("und", 0.0, False)
    margin = (best_score - second_score) / best_score if best_score else 0.0
    confidence = round(min(1.0, 0.5 * margin + min(coverage * 2.0, 1.0) * 0.5), 3)
    return LanguageGuess(best, confidence, best in SUPPORTED_LANGUAGES)


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of ``text`` from its script, then from function-word frequencies."""
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    if sample.isascii() or _BEYOND_LATIN.search(sample) is None:
        # Latin script only: all that matters is whether there is a letter at all.
        if _LATIN_RE.search(sample) is None:
            return LanguageGuess("und", 0.0, False)
        return _latin_guess(sample)
    counts = script_counts(sample)
    total = sum(counts.values())
    if total == 0:
        return LanguageGuess("und", 0.0, False)
    non_latin = {k: v for k, v in counts.items() if k != "latin"}
    if non_latin:
        top, top_count = max(sorted(non_latin.items()), key=lambda item: item[1])
        if top_count / total >= 0.3 or counts.get("latin", 0) < top_count:
            if top == "han":
                # Han with kana is Japanese; Han with Hangul is (mixed-script) Korean.
                if counts.get("ja", 0) > 0.05 * top_count:
                    top = "ja"
                elif counts.get("ko", 0) > 0.05 * top_count:
                    top = "ko"
                else:
                    top = "zh"
            share = counts.get(top, top_count) / total if top != "zh" else top_count / total
            if top in ("ko", "ja"):
                share = (counts.get(top, 0) + counts.get("han", 0)) / total
            return LanguageGuess(top, round(min(1.0, share), 3), top in SUPPORTED_LANGUAGES)
    return _latin_guess(sample)


MIN_CONTRADICTION_CHARS = 300
"""Below this much text, a detected language is too uncertain to contradict the one asked for."""


def contradicting(code: str, text: str) -> LanguageGuess | None:
    """The language ``text`` is confidently written in when it is not ``code``, else None.

    For a language asked for by a person (``--lang fr`` on an English law): analysed with
    another language's cues, the text yields almost nothing, without any error.
    """
    if len(text) < MIN_CONTRADICTION_CHARS:
        return None
    guess = detect_language(text)
    if guess.supported and guess.code != code and guess.confidence >= 0.6:
        return guess
    return None


def foreign_parts(texts: list[str], main: str, *, min_chars: int = 60) -> list[str]:
    """Plain-language warnings for parts of a text written in another language than ``main``.

    Each text (a passage) of at least ``min_chars`` characters is identified on its own;
    languages confidently found in at least 3% of the text (and 300 characters) are reported.
    """
    total = sum(len(text) for text in texts) or 1
    foreign: Counter[str] = Counter()
    for text in texts:
        if len(text) < min_chars:
            continue
        guess = detect_language(text)
        if guess.code not in (main, "und") and guess.confidence >= 0.35:
            foreign[guess.code] += len(text)
    warnings: list[str] = []
    for code, chars in sorted(foreign.items(), key=lambda item: (-item[1], item[0])):
        share = chars / total
        if share < 0.03 or chars < 300:
            continue
        percent = max(1, round(share * 100))
        if code in SUPPORTED_LANGUAGES:
            warnings.append(
                f"Part of the text (about {percent}%) is in {language_name(code)} while the rest "
                f"is in {language_name(main)}; ungpkit analyses each passage as "
                f"{language_name(main)}, so findings on those passages may be less reliable."
            )
        else:
            warnings.append(
                f"Part of the text (about {percent}%) is in {language_name(code)}, which ungpkit "
                "cannot analyse; findings will not cover those passages. Use an official "
                "translation of that part if there is one."
            )
    return warnings
