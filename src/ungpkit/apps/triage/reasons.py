"""Triage's reasons in the language of the page.

Triage and priority (``ungpkit.grievances``, no Django) write each reason's ``detail`` in
English, from a small set of sentence patterns and the words of their rules' data; that
English is what a record stores and what exports carry. Pages and the API show a reason in
the request's language: ``in_words`` recognises the pattern, translates it and whatever it
quotes from the rules, and leaves the complainant's own words as they were written. A detail
no pattern knows (a rule added to the data without its words here) is shown as stored;
``tests/triage/test_reasons.py`` fails when triage or priority can write such a detail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language, get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from ungpkit.apps.triage.labels import LEVEL_LABELS, label
from ungpkit.documents.language import LANGUAGE_NAMES
from ungpkit.grievances.model import LEVELS

# The words the rules' data puts into reasons (grievances/data/triage.yaml: baseline and
# implications; priority.yaml: severity and urgency words, bonuses; triage.URGENCY_WORDS).
DATA_WORDS: dict[str, Promise] = {
    "a harm to someone's rights is described": gettext_lazy(
        "a harm to someone's rights is described"
    ),
    "no sign that more than the complainant and those close to them are affected": gettext_lazy(
        "no sign that more than the complainant and those close to them are affected"
    ),
    "no sign that the harm would be hard to undo": gettext_lazy(
        "no sign that the harm would be hard to undo"
    ),
    "the gravest kind of harm": gettext_lazy("the gravest kind of harm"),
    "physical harm, once done, may not be undone": gettext_lazy(
        "physical harm, once done, may not be undone"
    ),
    "among the gravest harms": gettext_lazy("among the gravest harms"),
    "children are among the most vulnerable (GP14: scale takes vulnerability into account)": (
        gettext_lazy(
            "children are among the most vulnerable (GP14: scale takes vulnerability into account)"
        )
    ),
    "physical safety is at stake": gettext_lazy("physical safety is at stake"),
    "discrimination denies equal dignity and often access to work, credit or services": (
        gettext_lazy(
            "discrimination denies equal dignity and often access to work, credit or services"
        )
    ),
    "surveillance of a person chills every other freedom": gettext_lazy(
        "surveillance of a person chills every other freedom"
    ),
    "incitement against a group can turn into violence": gettext_lazy(
        "incitement against a group can turn into violence"
    ),
    "deceiving people harms their reputation, health or vote": gettext_lazy(
        "deceiving people harms their reputation, health or vote"
    ),
    "people are shut out of a service they need": gettext_lazy(
        "people are shut out of a service they need"
    ),
    "harassment harms mental integrity and can spill offline": gettext_lazy(
        "harassment harms mental integrity and can spill offline"
    ),
    "a livelihood is at stake": gettext_lazy("a livelihood is at stake"),
    "reprisal punishes people for seeking remedy": gettext_lazy(
        "reprisal punishes people for seeking remedy"
    ),
    "leaked data cannot be called back": gettext_lazy("leaked data cannot be called back"),
    "irremediable harm comes first (GP24)": gettext_lazy("irremediable harm comes first (GP24)"),
    "irremediable harm": gettext_lazy("irremediable harm"),
    "grave harm": gettext_lazy("grave harm"),
    "harm to many people": gettext_lazy("harm to many people"),
    "risk to life or physical integrity": gettext_lazy("risk to life or physical integrity"),
    "a child is involved": gettext_lazy("a child is involved"),
    "the person fears reprisal": gettext_lazy("the person fears reprisal"),
    "the harm is still going on": gettext_lazy("the harm is still going on"),
    "a risk to life or physical integrity": gettext_lazy("a risk to life or physical integrity"),
    "a child involved": gettext_lazy("a child involved"),
    "harm still going on": gettext_lazy("harm still going on"),
    "fear of reprisal": gettext_lazy("fear of reprisal"),
}

# Reasons triage and staff write as fixed sentences (grievances/triage.py and triage_cues.py,
# records.py).
FIXED: dict[str, Promise] = {
    "the form says a child is involved": gettext_lazy("the form says a child is involved"),
    "the form says the harm is still going on": gettext_lazy(
        "the form says the harm is still going on"
    ),
    "the form says the person fears reprisal": gettext_lazy(
        "the form says the person fears reprisal"
    ),
    "none of the harm types' words were found in the description": gettext_lazy(
        "none of the harm types' words were found in the description"
    ),
    "nothing in the description or the form points to this": gettext_lazy(
        "nothing in the description or the form points to this"
    ),
    "the language could not be told from the text": gettext_lazy(
        "the language could not be told from the text"
    ),
    "confirmed by staff": gettext_lazy("confirmed by staff"),
}

_Render = Callable[[re.Match[str]], str | None]


def in_words(detail: str) -> str:
    """``detail``, a reason as triage or priority wrote it, in the active language."""
    if not detail or (get_language() or "en").startswith("en"):
        return detail
    return _translated(detail) or detail


def _translated(detail: str) -> str | None:
    """``detail`` translated, or None when no pattern knows it."""
    known = FIXED.get(detail) or DATA_WORDS.get(detail)
    if known is not None:
        return str(known)
    for pattern, render in _PATTERNS:
        match = pattern.fullmatch(detail)
        if match is not None:
            found = render(match)
            if found is not None:
                return found
    return None


def _part(text: str | None) -> str | None:
    """A piece of a reason that is itself a reason, or words of the data, translated."""
    return None if text is None else _translated(text)


def _number(text: str) -> str:
    return formats.number_format(int(text.replace(",", "")), force_grouping=True)


def _decimal(text: str) -> str:
    return formats.number_format(float(text), decimal_pos=len(text.partition(".")[2]))


DJANGO_CODES = {"zh": "zh-hans"}
"""Language codes whose names Django knows under another code."""


@lru_cache(maxsize=1)
def _language_codes() -> dict[str, str]:
    return {
        name: DJANGO_CODES.get(code, code) for code, name in LANGUAGE_NAMES.items() if code != "und"
    }


def _language(name: str) -> str | None:
    """A language's English name (as triage writes it) in the active language."""
    code = _language_codes().get(name)
    if code is None:
        return None
    try:
        translated = str(get_language_info(code)["name_translated"])
    except KeyError:
        return None
    if (get_language() or "").startswith(("fr", "es")):
        translated = translated[:1].lower() + translated[1:]
    return translated


@lru_cache(maxsize=1)
def _harm_ids() -> dict[str, str]:
    """Harm type ids by their English label, as triage quotes them."""
    from ungpkit.framework import default_framework
    from ungpkit.grievances.triage import HarmTypes

    return {
        text: identifier for identifier, text in HarmTypes.of(default_framework()).labels.items()
    }


def _harm(english: str) -> str | None:
    identifier = _harm_ids().get(english)
    return None if identifier is None else label(identifier)


def _level(word: str) -> str:
    return str(LEVEL_LABELS[LEVELS.index(word)]).lower()


# Patterns ---------------------------------------------------------------------------------


def _summary(m: re.Match[str]) -> str:
    return _(
        "severity counts first: %(points)s of %(max)s points; likelihood and waiting time "
        "only order grievances of equal severity"
    ) % {"points": m["points"], "max": m["max"]}


def _likelihood_default(m: re.Match[str]) -> str:
    return _("likelihood not estimated, counted as %(percent)s") % {"percent": m["percent"]}


def _likelihood(m: re.Match[str]) -> str:
    return _("likelihood %(percent)s") % {"percent": m["percent"]}


def _waiting(m: re.Match[str]) -> str:
    days = int(m["days"])
    waiting = ngettext("waiting %(n)s day", "waiting %(n)s days", days) % {"n": _number(m["days"])}
    if m["cap"] is None:
        return waiting
    return _("%(waiting)s (counted as %(cap)s, the most that counts)") % {
        "waiting": waiting,
        "cap": m["cap"],
    }


def _with_first(reason: str, nested: str | None) -> str | None:
    """A priority reason followed by the first reason of the suggestion it comes from."""
    if nested is None:
        return reason
    first = _part(nested)
    if first is None:
        return None
    return _("%(reason)s: %(detail)s") % {"reason": reason, "detail": first}


def _severity(m: re.Match[str]) -> str | None:
    words = DATA_WORDS.get(m["words"])
    if words is None:
        return None
    reason = _("%(words)s suggested (%(level)s)") % {"words": words, "level": _level(m["level"])}
    return _with_first(reason, m["nested"])


def _flag(m: re.Match[str]) -> str | None:
    words = DATA_WORDS.get(m["words"])
    return None if words is None else _with_first(str(words), m["nested"])


def _what(text: str) -> str | None:
    harm = re.fullmatch(r"the harm type “(.+)”", text)
    if harm is None:
        return _part(text)
    label_text = _harm(harm[1])
    return None if label_text is None else _("the harm type “%(harm)s”") % {"harm": label_text}


def _implied(m: re.Match[str]) -> str | None:
    what, because = _what(m["what"]), _part(m["because"])
    if what is None or because is None:
        return None
    return _("%(what)s suggested: %(because)s") % {"what": what, "because": because}


def _link(m: re.Match[str]) -> str | None:
    harm = _harm(m["harm"])
    if harm is None:
        return None
    if m["nested"] is None:
        return _("the harm type “%(harm)s” engages this right") % {"harm": harm}
    words = _part(m["nested"])
    if words is None:
        return None
    return _("the harm type “%(harm)s” (%(words)s) engages this right") % {
        "harm": harm,
        "words": words,
    }


def _age(m: re.Match[str]) -> str:
    return _("the words “%(words)s” (age %(age)s)") % {"words": m["words"], "age": m["age"]}


def _count(m: re.Match[str]) -> str:
    return _("the words “%(words)s” (%(count)s people)") % {
        "words": m["words"],
        "count": _number(m["count"]),
    }


def _cue(m: re.Match[str]) -> str:
    return _("the words “%(words)s”") % {"words": m["words"]}


def _affected(m: re.Match[str]) -> str:
    return _("the form says %(count)s people are affected") % {"count": _number(m["count"])}


def _reads_as(m: re.Match[str]) -> str | None:
    language = _language(m["language"])
    if language is None:
        return None
    found = _("the text reads as %(language)s (confidence %(confidence)s)") % {
        "language": language,
        "confidence": _decimal(m["confidence"]),
    }
    if m["no_words"]:
        found = _("%(detail)s; triage has no words for it, so only the form's answers count") % {
            "detail": found
        }
    return found


def _chosen(m: re.Match[str]) -> str | None:
    chosen = _language(m["chosen"])
    if chosen is None:
        return None
    found = _("the complainant chose %(language)s on the form") % {"language": chosen}
    if m["looks"] is None:
        return found
    looks = _language(m["looks"])
    if looks is None:
        return None
    return _("%(detail)s; the text looks %(language)s with low confidence (%(confidence)s)") % {
        "detail": found,
        "language": looks,
        "confidence": _decimal(m["confidence"]),
    }


def _too_short(m: re.Match[str]) -> str | None:
    language = _language(m["language"])
    if language is None:
        return None
    return _(
        "the text is too short to tell its language; its words match most cues in %(language)s"
    ) % {"language": language}


_PATTERNS: tuple[tuple[re.Pattern[str], _Render], ...] = tuple(
    (re.compile(pattern, re.DOTALL), render)
    for pattern, render in (
        (
            r"severity counts first: (?P<points>\d+) of (?P<max>\d+) points; likelihood and "
            r"waiting time only order grievances of equal severity",
            _summary,
        ),
        (r"likelihood not estimated, counted as (?P<percent>\d+%)", _likelihood_default),
        (r"likelihood (?P<percent>\d+%)", _likelihood),
        (
            r"waiting (?P<days>\d+) days?"
            r"(?: \(counted as (?P<cap>[\d.]+), the most that counts\))?",
            _waiting,
        ),
        (r"the words “(?P<words>.+)” \(age (?P<age>\d+)\)", _age),
        (r"the words “(?P<words>.+)” \((?P<count>[\d,]+) people\)", _count),
        (r"the words “(?P<words>.+)”", _cue),
        (r"the harm type “(?P<harm>[^”]+)”(?: \((?P<nested>.+)\))? engages this right", _link),
        (r"the form says (?P<count>[\d,]+) people are affected", _affected),
        (
            r"the text reads as (?P<language>.+?) \(confidence (?P<confidence>[\d.]+)\)"
            r"(?P<no_words>; triage has no words for it, so only the form's answers count)?",
            _reads_as,
        ),
        (
            r"the complainant chose (?P<chosen>.+?) on the form(?:; the text looks "
            r"(?P<looks>.+?) with low confidence \((?P<confidence>[\d.]+)\))?",
            _chosen,
        ),
        (
            r"the text is too short to tell its language; its words match most cues in "
            r"(?P<language>.+)",
            _too_short,
        ),
        # A severity level's reason may quote an implication ("grave harm suggested (high):
        # a child involved suggested: ..."): tried first, so the outer sentence is the level's.
        (
            r"(?P<words>.+?) suggested \((?P<level>none|low|medium|high)\)(?:: (?P<nested>.+))?",
            _severity,
        ),
        (r"(?P<what>.+?) suggested: (?P<because>.+)", _implied),
        (r"(?P<words>[^:]+)(?:: (?P<nested>.+))?", _flag),
    )
)
