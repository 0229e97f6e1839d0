"""The public statistics of a mechanism, as pages, downloads and the API show them: the latest
snapshot with a label for every row, in the language of the request.

Everything here reads one snapshot row (and the self-assessment, when its summary is
published), never the grievances: the numbers were made safe when the snapshot was computed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.transparency import labels, review
from ungpkit.apps.transparency.models import SelfAssessment, StatisticsSnapshot


def latest_snapshot(mechanism: Mechanism) -> StatisticsSnapshot | None:
    """The mechanism's most recent snapshot, without the staff-only columns."""
    return (
        StatisticsSnapshot.objects.filter(mechanism=mechanism)
        .defer("issues", "indicators")
        .order_by("-computed_at", "-id")
        .first()
    )


def suppression_text(threshold: int) -> str:
    """The suppression rule in plain words."""
    return _(
        "To protect the people who complained, no number smaller than %(n)s is published: "
        "such a number is shown as “fewer than %(n)s”. When a small number could be worked "
        "out from a total and the other numbers of a table, another number is hidden too, "
        "and a table that cannot be shown safely is left out. Medians and other summaries "
        "are given only when at least %(n)s cases count towards them."
    ) % {"n": threshold}


def _cell(table: str, cell: dict[str, Any], threshold: int, members: dict[str, str]) -> dict:
    hidden = cell.get("hidden", "")
    return {
        "key": cell["key"],
        "label": labels.cell_label(table, cell["key"], members),
        "count": cell["count"],
        "hidden": hidden,
        "shown_as": labels.hidden_label(hidden, threshold) if hidden else str(cell["count"]),
    }


def _table(table: dict[str, Any], threshold: int, members: dict[str, str]) -> dict[str, Any]:
    name = table["name"]
    return {
        "name": name,
        "title": str(labels.TABLE_TITLES.get(name, name)),
        "note": str(labels.TABLE_NOTES.get(name, "")),
        "withheld": table["withheld"],
        "total": table["total"],
        "total_hidden": table["total_hidden"],
        "cells": [_cell(name, cell, threshold, members) for cell in table["cells"]],
    }


def public_statistics(mechanism: Mechanism, snapshot: StatisticsSnapshot) -> dict[str, Any]:
    """What anyone may read of the mechanism's statistics, labelled."""
    data = snapshot.statistics
    threshold = snapshot.threshold
    members = dict(data.get("member_names", {}))
    return {
        "mechanism": mechanism.slug,
        "name": mechanism.name,
        "computed_at": snapshot.computed_at,
        "threshold": threshold,
        "largest_hidden": max(threshold - 1, 0),
        "suppression": suppression_text(threshold),
        "total": data.get("total"),
        "tables": [_table(table, threshold, members) for table in data.get("tables", [])],
        "durations": [
            {**duration, "title": str(labels.DURATION_TITLES.get(duration["name"], ""))}
            for duration in data.get("durations", [])
        ],
        "satisfaction_mean": data.get("satisfaction_mean"),
        "self_assessment": published_summary(mechanism),
    }


def published_summary(mechanism: Mechanism) -> dict[str, Any] | None:
    """The self-assessment summary, when the secretariat chose to publish it."""
    assessment = SelfAssessment.objects.filter(mechanism=mechanism, publish_summary=True).first()
    if assessment is None:
        return None
    return {
        "updated_at": assessment.updated_at,
        "criteria": review.criterion_summaries(assessment),
    }


def chart(table: dict[str, Any]) -> dict[str, Any]:
    """A table with a bar width (percent of the largest shown count) for each shown row."""
    largest = max((cell["count"] or 0 for cell in table["cells"]), default=0)
    rows = [
        {**cell, "width": round(100 * cell["count"] / largest, 1) if cell["count"] else 0}
        for cell in table["cells"]
    ]
    return {**table, "rows": rows, "hidden_rows": sum(1 for cell in rows if cell["hidden"])}
