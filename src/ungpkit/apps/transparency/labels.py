"""Words for the keys of statistics, issues and indicators, in the language of the request.

Rights and harm types take their labels from the framework data; states, channels and
remedies from the grievance mechanism; the rest are this app's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ungpkit.apps.remedy.models import Channel
from ungpkit.apps.remedy.public_views import OUTCOME_LABELS, STATE_LABELS
from ungpkit.framework import default_framework
from ungpkit.grievances.statistics import NOT_ROUTED

TABLE_TITLES = {
    "rights": gettext_lazy("Human rights concerned"),
    "harms": gettext_lazy("Kinds of harm"),
    "members": gettext_lazy("Member companies concerned"),
    "states": gettext_lazy("Where the cases are now"),
    "channels": gettext_lazy("How complaints came in"),
    "languages": gettext_lazy("Languages of the complaints"),
    "months": gettext_lazy("Complaints received per month"),
    "remedy_types": gettext_lazy("Remedies provided"),
    "satisfaction": gettext_lazy("How satisfied complainants were with the outcome"),
}

TABLE_NOTES = {
    "rights": gettext_lazy(
        "A complaint may concern several rights, so the rows add up to more than the number "
        "of complaints. Complaints not yet classified are not counted."
    ),
    "harms": gettext_lazy(
        "A complaint may describe several kinds of harm. Complaints not yet classified are not "
        "counted."
    ),
    "members": gettext_lazy(
        "A complaint may concern several companies; “Not routed yet” counts those the "
        "secretariat has not yet sent to a company."
    ),
    "remedy_types": gettext_lazy("A case may end with several kinds of remedy."),
    "satisfaction": gettext_lazy(
        "Complainants rate the outcome from 1 (not at all satisfied) to 5 (fully satisfied)."
    ),
}

DURATION_TITLES = {
    "acknowledge": gettext_lazy("Days from receipt to acknowledgement"),
    "close": gettext_lazy("Days from receipt to closure"),
}

SATISFACTION_LABELS = {
    "1": gettext_lazy("1: not at all satisfied"),
    "2": gettext_lazy("2: a little satisfied"),
    "3": gettext_lazy("3: partly satisfied"),
    "4": gettext_lazy("4: mostly satisfied"),
    "5": gettext_lazy("5: fully satisfied"),
}

SEVERITY_LABELS = {
    0: gettext_lazy("none"),
    1: gettext_lazy("low"),
    2: gettext_lazy("medium"),
    3: gettext_lazy("high"),
}

LIKELIHOOD_LABELS = {
    "rare": gettext_lazy("rare"),
    "unlikely": gettext_lazy("unlikely"),
    "possible": gettext_lazy("possible"),
    "likely": gettext_lazy("likely"),
    "almost_certain": gettext_lazy("almost certain"),
}

ISSUE_STATUS_LABELS = {
    "open": gettext_lazy("open"),
    "resolved": gettext_lazy("resolved"),
}


def language() -> str:
    """The two-letter language of the request (English outside one)."""
    return (get_language() or "en")[:2]


def framework_label(identifier: str) -> str:
    """The label of a right or harm type in the current language (the id if unknown)."""
    if not identifier:
        return _("Not classified yet")
    try:
        entry = default_framework().get(identifier)
    except KeyError:
        return identifier
    label = getattr(entry, "label", None)
    return label.get(language()) if label is not None else identifier


def month_label(key: str) -> str:
    """``2026-03`` as "March 2026" in the current language."""
    try:
        year, month = (int(part) for part in key.split("-"))
        return str(formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT"))
    except ValueError:
        return key


def cell_label(table: str, key: str, members: Mapping[str, str] | None = None) -> str:
    """What a row of a statistics table is called."""
    if table in ("rights", "harms"):
        return framework_label(key)
    if table == "members":
        if key == NOT_ROUTED:
            return _("Not routed yet")
        return (members or {}).get(key, key)
    if table == "states":
        return str(STATE_LABELS.get(key, key))
    if table == "channels":
        return str(dict(Channel.choices).get(key, key))
    if table == "languages":
        return str(dict(settings.LANGUAGES).get(key, key))
    if table == "months":
        return month_label(key)
    if table == "remedy_types":
        return str(OUTCOME_LABELS.get(key, key))
    if table == "satisfaction":
        return str(SATISFACTION_LABELS.get(key, key))
    return key


def hidden_label(hidden: str, threshold: int) -> str:
    """How a hidden cell reads: "fewer than 5", or hidden to protect another."""
    if hidden == "small":
        return _("fewer than %(n)s") % {"n": threshold}
    return _("hidden, so that a smaller number cannot be worked out")
