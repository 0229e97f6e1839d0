"""What triage's ids mean in words, in the reader's language: rights and harm types from the
framework, urgency flags and severity levels from here."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ungpkit.framework import default_framework
from ungpkit.grievances.model import LEVELS, SEVERITY_DIMENSIONS, URGENCY_FLAGS

URGENCY_LABELS = {
    "urgent.life": _("Risk to life or physical safety"),
    "urgent.child": _("A child is involved"),
    "urgent.ongoing": _("The harm is still going on"),
    "urgent.reprisal": _("Fear of reprisal"),
}
"""Each of ``URGENCY_FLAGS`` in words."""

LEVEL_LABELS = {
    0: _("None"),
    1: _("Low"),
    2: _("Medium"),
    3: _("High"),
}
"""The severity levels 0-3 (``LEVELS``) in words."""

DIMENSION_FIELDS = {
    "severity.scale": "scale",
    "severity.scope": "scope",
    "severity.irremediability": "irremediability",
}
"""Where each severity dimension is stored on a triage record."""

assert set(URGENCY_LABELS) == set(URGENCY_FLAGS)
assert len(LEVEL_LABELS) == len(LEVELS)
assert set(DIMENSION_FIELDS) == set(SEVERITY_DIMENSIONS)


def _language() -> str:
    return (get_language() or "en")[:2]


@cache
def right_ids() -> tuple[str, ...]:
    """Every right of the framework taxonomy, in its order."""
    return tuple(right.id for right in default_framework().rights)


@cache
def harm_ids() -> tuple[str, ...]:
    """Every harm type of the framework (vocabulary ``harm_types``), in its order."""
    return tuple(term.id for term in default_framework().vocabulary("harm_types").terms)


def label(identifier: str) -> str:
    """The label of a right, harm type, severity dimension or urgency flag (the id itself
    when it is unknown)."""
    if identifier in URGENCY_LABELS:
        return str(URGENCY_LABELS[identifier])
    try:
        entry = default_framework().get(identifier)
    except KeyError:
        return identifier
    text = getattr(entry, "label", None)
    return text.get(_language()) if text is not None else identifier


def labels(identifiers: list[str] | tuple[str, ...]) -> list[str]:
    return [label(i) for i in identifiers]


def level_label(level: int) -> str:
    return str(LEVEL_LABELS.get(level, level))


def choices(identifiers: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id, label) pairs for a form, in the framework's order."""
    return [(i, label(i)) for i in identifiers]
