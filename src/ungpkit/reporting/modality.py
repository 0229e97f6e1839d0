"""Whether a report sentence describes something done, only promised, or denied.

A company statement mixes what the company did ("we audited 40 suppliers") with what it
intends ("in FY2025 we will roll out training") and what it has not done ("we have not yet
mapped our tier-2 suppliers"). Only the first is evidence of action. English patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_I = re.IGNORECASE


class Mode(StrEnum):
    """What a sentence says about an action."""

    DONE = "done"
    PROMISED = "promised"
    DENIED = "denied"


_SUBJECT = (
    r"(?:we|i|the (?:company|group|board|business|organisation|organization)|"
    r"(?-i:[A-Z][\w&.-]+))"
)
"""Who promises: "we", the company, or a name (capitalised, even in case-blind patterns, so
that "a mechanism that will allow ..." is not read as a promise)."""
_ARRANGEMENT = (
    r"(?:(?:a|an|any)\s+)?(?:formal\s+|specific\s+|dedicated\s+|documented\s+)?"
    r"(?:process|policy|policies|procedure|mechanism|system|framework|programme|program|"
    r"plan|strategy|code|audit|assessment|training|due diligence|grievance|whistleblow)"
)
"""What a company can lack: "we do not have any operations in high-risk countries" is a fact,
"we do not have a formal process" is a step not taken."""
_ACTION = (
    r"(?:assess|audit|conduct|undertak|implement|establish|develop|map|train|review|engag|"
    r"introduc|complet|perform|carr|adopt|roll|formali[sz]|measur|monitor|track|"
    r"evaluat|test|consult|put in place|set up|begun|began|start|had the opportunity)"
)

_STEP = (
    r"(?:assess|audit|conduct|undertak|implement|establish|develop|map|train|review|"
    r"measur|monitor|track|evaluat|test|consult|surve)"
)
"""Steps of due diligence a company can say it never took ("never audited"); not "engaged",
which is what a company says it never did wrong ("never engaged in forced labour")."""

DENIED: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\b(?:has|have|had|did|do|does|is|are|was|were)\s*(?:not|n't)\s+(?:yet|been)?\s*"
        + _ACTION,
        _I,
    ),
    re.compile(r"\bnot\s+yet\b", _I),
    re.compile(
        r"\b(?:yet to|still to|no (?:[\w-]+ ){0,3}?(?:audit|assessment|review|process|"
        r"mechanism|training|mapping|due diligence)(?:s|es)?\b(?:(?!\band\b)[^,;.]){0,40}?"
        r"\b(?:has|have|was|were) "
        r"(?:yet )?(?:been )?(?:conducted|undertaken|carried out|completed|established|"
        r"implemented|performed|done))",
        _I,
    ),
    re.compile(r"\bnever\s+(?:yet\s+)?(?:been\s+)?" + _STEP, _I),
    re.compile(
        r"\b(?:we|the company|the group) (?:currently )?(?:do|does) not (?:currently )?"
        r"(?:have\s+" + _ARRANGEMENT + r"(?!\w)(?!\s+(?:that|which|permitting|allowing)\b)"
        r"|assess|audit|monitor|track|measure|conduct|require)\b",
        _I,
    ),
    re.compile(r"\b(?:we|the company|the group) (?:currently )?(?:lack|lacks)\b", _I),
)

PROMISED: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b" + _SUBJECT + r"\s+(?:will|shall|'ll)\b(?!\s+(?:not|continue))", _I),
    re.compile(r"\bwe'll\b", _I),
    re.compile(
        r"\b(?:plan|plans|planning|intend|intends|intending|aim|aims|propose|proposes|"
        r"expect|expects|anticipate|anticipates|seek|seeks)\s+to\b",
        _I,
    ),
    re.compile(
        r"\b(?:going forward|in the (?:coming|next) (?:year|years|months|reporting "
        r"period)|next (?:year|reporting period|financial year)|over the next)\b",
        _I,
    ),
    re.compile(
        r"\b(?:in|by|during|for|throughout)\s+(?:the\s+)?(?:FY|financial year\s+)?"
        r"(?:20[2-9]\d)(?:[-/]\d{2,4})?\b.{0,60}\b(?:will|plan|intend|aim)",
        _I,
    ),
    re.compile(
        r"\b(?:future|upcoming|planned) (?:steps|actions|priorities|initiatives|plans)\b", _I
    ),
    re.compile(r"\b(?:is|are) (?:scheduled|due|planned) (?:to|for)\b", _I),
    re.compile(
        r"\b(?:is|are) expected to be (?:completed|finali[sz]ed|implemented|rolled out|"
        r"launched|introduced|delivered|published|in place)\b",
        _I,
    ),
    re.compile(
        r"\bcommit(?:s|ted)? to (?:undertak|conduct|implement|develop|roll|introduc|"
        r"review|establish|complet)",
        _I,
    ),
)


@dataclass(frozen=True)
class Reading:
    """The mode of one sentence and the words that decided it (None when done)."""

    mode: Mode
    marker: str | None = None


def read_mode(sentence: str) -> Reading:
    """Done, promised or denied; denial wins over promise ("we have not yet ... but will")."""
    for pattern in DENIED:
        match = pattern.search(sentence)
        if match:
            return Reading(Mode.DENIED, match.group(0).strip())
    for pattern in PROMISED:
        match = pattern.search(sentence)
        if match:
            return Reading(Mode.PROMISED, match.group(0).strip())
    return Reading(Mode.DONE)
