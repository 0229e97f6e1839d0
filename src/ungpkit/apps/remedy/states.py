"""The path of a case from receipt to closure, and who may move it (pure data, no Django)."""

from __future__ import annotations

RECEIVED = "received"
ACKNOWLEDGED = "acknowledged"
NOT_ADMISSIBLE = "not_admissible"
ACCEPTED = "accepted"
DIALOGUE = "dialogue"
REMEDY_PROPOSED = "remedy_proposed"
REMEDY_ACCEPTED = "remedy_accepted"
REMEDY_REFUSED = "remedy_refused"
REMEDY_IMPLEMENTED = "remedy_implemented"
CLOSED = "closed"

STATES: tuple[str, ...] = (
    RECEIVED,
    ACKNOWLEDGED,
    NOT_ADMISSIBLE,
    ACCEPTED,
    DIALOGUE,
    REMEDY_PROPOSED,
    REMEDY_ACCEPTED,
    REMEDY_REFUSED,
    REMEDY_IMPLEMENTED,
    CLOSED,
)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    RECEIVED: (ACKNOWLEDGED,),
    ACKNOWLEDGED: (ACCEPTED, NOT_ADMISSIBLE),
    NOT_ADMISSIBLE: (CLOSED,),
    ACCEPTED: (DIALOGUE,),
    DIALOGUE: (REMEDY_PROPOSED, CLOSED),
    REMEDY_PROPOSED: (REMEDY_ACCEPTED, REMEDY_REFUSED),
    REMEDY_REFUSED: (DIALOGUE, CLOSED),
    REMEDY_ACCEPTED: (REMEDY_IMPLEMENTED,),
    REMEDY_IMPLEMENTED: (CLOSED,),
    CLOSED: (),
}
"""Which state may follow which. Every move is recorded with who, when and why."""

COMPLAINANT_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (REMEDY_PROPOSED, REMEDY_ACCEPTED),
        (REMEDY_PROPOSED, REMEDY_REFUSED),
    }
)
"""Moves only the complainant makes: accepting or refusing the proposed remedy."""

MEMBER_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (DIALOGUE, REMEDY_PROPOSED),
        (REMEDY_ACCEPTED, REMEDY_IMPLEMENTED),
    }
)
"""Moves a member company's staff may make on a case routed to it: proposing a remedy in
the dialogue, and reporting an accepted remedy carried out. Everything else (receipt,
admissibility, acceptance, closing) is the independent secretariat's: a company never
decides on a complaint about itself."""

REASON_REQUIRED: frozenset[str] = frozenset({NOT_ADMISSIBLE, REMEDY_REFUSED, CLOSED})
"""States that must say why (and, when not admissible, where else to go)."""

DEFAULT_DEADLINE_DAYS: dict[str, int] = {
    RECEIVED: 5,
    ACKNOWLEDGED: 20,
    ACCEPTED: 10,
    DIALOGUE: 60,
    REMEDY_PROPOSED: 30,
    REMEDY_ACCEPTED: 60,
    REMEDY_IMPLEMENTED: 90,
}
"""Days a case may stay in a state before it is overdue; a mechanism may set its own."""

WANTS: tuple[str, ...] = (
    "apology",
    "stop_harm",
    "restitution",
    "compensation",
    "explanation",
    "non_repetition",
    "other",
)
"""What a complainant may ask for (the remedy types of the framework, in plain words)."""

OUTCOMES: tuple[str, ...] = (
    "apology",
    "restitution",
    "rehabilitation",
    "compensation",
    "cessation",
    "non_repetition",
    "explanation",
)
"""Remedy outcomes recorded when a case is resolved."""


def can_move(current: str, target: str) -> bool:
    """Whether ``target`` may follow ``current``."""
    return target in TRANSITIONS.get(current, ())
