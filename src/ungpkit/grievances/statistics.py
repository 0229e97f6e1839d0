"""Public statistics of a grievance mechanism, with small counts suppressed: plain data, no Django.

Two steps. First the raw counts (``RawStatistics``): how many grievances per right, harm type,
member, state, channel, language and month, which remedies, how satisfied, and how long
acknowledging and closing took (as histograms). The web app counts these with SQL; here
``collect`` counts them from plain records, for the tests and small data. Then ``publish``
turns the raw counts into what may be shown, so that no complainant can be singled out:

- **primary suppression**: a count under the threshold (5 by default) is shown as
  "fewer than 5", never as its number;
- **secondary suppression**: when the hidden counts of a table could be worked out from its
  total minus the shown counts, the next smallest counts are hidden too (``protect``); a
  table that cannot be protected that way is withheld;
- **summaries over enough cases only**: medians, percentiles and means are computed only
  over at least threshold cases, and the mean satisfaction only when no cell of the
  satisfaction table is hidden (with the total, it would give the hidden cells away).

What an attacker is assumed to know (``feasible_ranges``): the rule itself, every shown
count, each table's total (even where it is not shown: tables of one population share it),
that a cell shown as "fewer than N" holds 1 to N-1 (categories with no grievance are not
listed), and that a cell hidden to protect another holds at least N and no more than the
smallest shown count.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

DEFAULT_THRESHOLD = 5
"""Counts under this are never published (``UNGPKIT_STATISTICS_MIN_COUNT``)."""

NOT_ROUTED = "not_routed"
"""The member key of grievances not routed to any member yet."""

PARTITION_TABLES: tuple[str, ...] = ("states", "channels", "languages", "months")
"""Tables where each grievance is in exactly one row: their rows add up to the total."""

OVERLAPPING_TABLES: tuple[str, ...] = ("rights", "harms", "members", "remedy_types")
"""Tables where a grievance (or outcome) may be in several rows, so no total is given."""

TABLES: tuple[str, ...] = (
    "rights",
    "harms",
    "members",
    "states",
    "channels",
    "languages",
    "months",
    "remedy_types",
    "satisfaction",
)
"""Every published table, in the order pages show them."""

DURATIONS: tuple[str, ...] = ("acknowledge", "close")
"""Time from receipt to acknowledgement, and from receipt to closure."""

SATISFACTION_LEVELS: tuple[str, ...] = ("1", "2", "3", "4", "5")

Hidden = Literal["", "small", "secondary"]


# Plain records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrievanceRecord:
    """What the statistics and indicators read of one grievance (never what it says, nor
    who made it)."""

    created_at: datetime
    state: str
    channel: str = "web"
    language: str = "en"
    members: tuple[str, ...] = ()
    """Keys of the members the case is routed to."""
    rights: tuple[str, ...] = ()
    harms: tuple[str, ...] = ()
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    remedy_types: tuple[str, ...] | None = None
    """The outcome's remedy types; None when no outcome is recorded."""
    satisfaction: int | None = None
    anonymous: bool = True
    on_behalf: bool = False
    represented: bool = False
    """Sent in by a partner organisation on the person's behalf."""
    state_days: tuple[tuple[str, float], ...] = ()
    """Each state the case left, with the days it stayed there."""
    messages_to_complainant: int = 0
    """Messages staff wrote to the complainant (internal notes excluded)."""
    complainant_messages: int = 0
    outcome_told: bool = False
    """An outcome is recorded and a message to the complainant followed it."""
    remedy_decisions: tuple[Literal["accepted", "refused"], ...] = ()
    """The complainant's answers to each remedy proposed, in order."""
    escalations: int = 0


def days_between(start: datetime, end: datetime) -> float:
    """Days from ``start`` to ``end`` (fractional)."""
    return (end - start).total_seconds() / 86400


def bucket(days: float) -> int:
    """A duration as whole tenths of a day, halves rounded up (as SQL's ROUND does): the key
    of a duration histogram."""
    return max(0, math.floor(days * 10 + 0.5))


@dataclass
class RawStatistics:
    """Counts before suppression: never shown as they are."""

    total: int = 0
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    durations: dict[str, dict[int, int]] = field(default_factory=dict)
    """Per duration, a histogram: tenths of a day (``bucket``) to how many cases."""

    def table(self, name: str) -> dict[str, int]:
        return self.tables.setdefault(name, {})


def collect(records: Iterable[GrievanceRecord]) -> RawStatistics:
    """Count ``records`` into every table and duration histogram."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in TABLES}
    durations: dict[str, Counter[int]] = {name: Counter() for name in DURATIONS}
    total = 0
    for record in records:
        total += 1
        counters["rights"].update(set(record.rights))
        counters["harms"].update(set(record.harms))
        counters["members"].update(set(record.members) or {NOT_ROUTED})
        counters["states"][record.state] += 1
        counters["channels"][record.channel] += 1
        counters["languages"][record.language] += 1
        counters["months"][f"{record.created_at:%Y-%m}"] += 1
        if record.remedy_types is not None:
            counters["remedy_types"].update(set(record.remedy_types))
        if record.satisfaction is not None:
            counters["satisfaction"][str(record.satisfaction)] += 1
        if record.acknowledged_at is not None:
            days = days_between(record.created_at, record.acknowledged_at)
            durations["acknowledge"][bucket(days)] += 1
        if record.closed_at is not None:
            durations["close"][bucket(days_between(record.created_at, record.closed_at))] += 1
    return RawStatistics(
        total=total,
        tables={name: dict(counter) for name, counter in counters.items()},
        durations={name: dict(counter) for name, counter in durations.items()},
    )


# Percentiles ---------------------------------------------------------------------------------


def histogram_size(histogram: Mapping[int, int]) -> int:
    return sum(histogram.values())


def percentile(histogram: Mapping[int, int], share: float) -> float:
    """The nearest-rank percentile (``share`` from 0 to 1) of a histogram of tenths of a
    day, in days. The histogram must not be empty."""
    size = histogram_size(histogram)
    if size == 0:
        raise ValueError("no values")
    rank = max(1, math.ceil(share * size))
    seen = 0
    for key in sorted(histogram):
        seen += histogram[key]
        if seen >= rank:
            return key / 10
    raise AssertionError("unreachable")  # pragma: no cover


def within(histogram: Mapping[int, int], days: float) -> int:
    """How many durations of the histogram are at most ``days``."""
    limit = bucket(days)
    return sum(count for key, count in histogram.items() if key <= limit)


# Suppression ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One row of a published table: its count, or why it is hidden."""

    key: str
    count: int | None
    hidden: Hidden = ""
    """``small``: fewer than the threshold; ``secondary``: hidden so that a small count
    cannot be worked out from the others."""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "count": self.count, "hidden": self.hidden}


@dataclass(frozen=True)
class ProtectedTable:
    """A table as it may be published."""

    name: str
    cells: tuple[Cell, ...]
    total: int | None
    """The total, when it is shown (None when hidden or not meaningful)."""
    total_hidden: bool = False
    """The total is under the threshold."""
    withheld: bool = False
    """No row is shown: every way of showing some would give a small count away."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cells": [cell.to_dict() for cell in self.cells],
            "total": self.total,
            "total_hidden": self.total_hidden,
            "withheld": self.withheld,
        }


def feasible_ranges(
    shown: Mapping[str, int],
    small: Sequence[str],
    secondary: Sequence[str],
    total: int,
    threshold: int,
) -> dict[str, tuple[int, int]]:
    """For each hidden cell, the smallest and largest value it could hold for someone who
    knows the shown counts, the total and the rule (see the module's docstring)."""
    remainder = total - sum(shown.values())
    ceiling = min(shown.values()) if shown else remainder
    bounds = {key: (1, threshold - 1) for key in small}
    bounds.update({key: (threshold, ceiling) for key in secondary})
    low_sum = sum(low for low, _high in bounds.values())
    high_sum = sum(high for _low, high in bounds.values())
    ranges = {}
    for key, (low, high) in bounds.items():
        others_low, others_high = low_sum - low, high_sum - high
        ranges[key] = (max(low, remainder - others_high), min(high, remainder - others_low))
    return ranges


def exposed(ranges: Mapping[str, tuple[int, int]]) -> bool:
    """Whether some hidden cell can only hold one value."""
    return any(low >= high for low, high in ranges.values())


def protect(counts: Mapping[str, int], threshold: int) -> tuple[dict[str, Hidden], bool]:
    """Which cells to hide, and whether the table must be withheld.

    Counts under ``threshold`` are hidden; then, while some hidden count could be worked
    out from the table's total, the smallest shown count (ties by key) is hidden too. If
    hiding every cell is not enough, the table is withheld.
    """
    if threshold < 2:
        return {key: "" for key in counts}, False
    total = sum(counts.values())
    hidden: dict[str, Hidden] = {
        key: ("small" if count < threshold else "") for key, count in counts.items()
    }
    while True:
        shown = {key: counts[key] for key, why in hidden.items() if not why}
        small = [key for key, why in hidden.items() if why == "small"]
        if not small:
            return hidden, False
        secondary = [key for key, why in hidden.items() if why == "secondary"]
        if not exposed(feasible_ranges(shown, small, secondary, total, threshold)):
            return hidden, False
        if not shown:
            return hidden, True
        smallest = min(shown, key=lambda key: (shown[key], key))
        hidden[smallest] = "secondary"


def protect_table(
    name: str,
    counts: Mapping[str, int],
    threshold: int,
    *,
    order: Sequence[str] | None = None,
    total: int | None = None,
    show_total: bool = True,
) -> ProtectedTable:
    """The table ``name`` as it may be published.

    ``order`` fixes the order of rows (states, months); otherwise shown rows come by count,
    largest first, then hidden rows by key (so their order says nothing about their size).
    ``total`` is the table's total (the sum of ``counts`` by default); it is shown when
    ``show_total`` and it is at least ``threshold``.
    """
    counts = {key: count for key, count in counts.items() if count > 0}
    grand = sum(counts.values()) if total is None else total
    if grand < threshold or sum(counts.values()) < threshold:
        return ProtectedTable(
            name, (), None, total_hidden=show_total and grand < threshold, withheld=True
        )
    hidden, withheld = protect(counts, threshold)
    shown_total = grand if show_total else None
    if withheld:
        return ProtectedTable(name, (), shown_total, withheld=True)
    cells = [
        Cell(key, None if hidden[key] else count, hidden[key]) for key, count in counts.items()
    ]
    if order is not None:
        rank = {key: index for index, key in enumerate(order)}
        cells.sort(key=lambda cell: (rank.get(cell.key, len(rank)), cell.key))
    else:
        cells.sort(key=lambda cell: (cell.count is None, -(cell.count or 0), cell.key))
    return ProtectedTable(name, tuple(cells), shown_total)


# Publishing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DurationSummary:
    """Median, 75th and 90th percentile of a duration, in days, or why there are none."""

    name: str
    enough: bool
    median: float | None = None
    p75: float | None = None
    p90: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "enough": self.enough,
            "median": self.median,
            "p75": self.p75,
            "p90": self.p90,
        }


def summarise_duration(name: str, histogram: Mapping[int, int], threshold: int) -> DurationSummary:
    """Percentiles of a duration, only over at least ``threshold`` cases. The number of cases
    is not published: it could be another table's hidden cell."""
    if histogram_size(histogram) < max(threshold, 1):
        return DurationSummary(name, False)
    return DurationSummary(
        name,
        True,
        median=percentile(histogram, 0.5),
        p75=percentile(histogram, 0.75),
        p90=percentile(histogram, 0.9),
    )


def mean_satisfaction(table: ProtectedTable, counts: Mapping[str, int]) -> float | None:
    """The mean rating (1 to 5), published only when the satisfaction table shows every
    cell: with hidden cells, the mean and the total would tell what they hold."""
    if table.withheld or any(cell.hidden for cell in table.cells) or not table.cells:
        return None
    ratings = sum(int(key) * count for key, count in counts.items())
    return round(ratings / sum(counts.values()), 2)


@dataclass(frozen=True)
class PublishedStatistics:
    """Everything a public page or download shows of a mechanism's grievances."""

    threshold: int
    total: int | None
    """How many grievances in all; None when under the threshold."""
    tables: tuple[ProtectedTable, ...]
    durations: tuple[DurationSummary, ...]
    satisfaction_mean: float | None

    def table(self, name: str) -> ProtectedTable:
        return next(table for table in self.tables if table.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "total": self.total,
            "tables": [table.to_dict() for table in self.tables],
            "durations": [duration.to_dict() for duration in self.durations],
            "satisfaction_mean": self.satisfaction_mean,
        }


def publish(
    raw: RawStatistics,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    state_order: Sequence[str] = (),
) -> PublishedStatistics:
    """The raw counts made safe to publish (see the module's docstring)."""
    if raw.total < threshold:
        empty = tuple(
            ProtectedTable(name, (), None, total_hidden=True, withheld=True) for name in TABLES
        )
        return PublishedStatistics(
            threshold,
            None,
            empty,
            tuple(DurationSummary(name, False) for name in DURATIONS),
            None,
        )
    tables = []
    for name in TABLES:
        counts = raw.tables.get(name, {})
        if name in PARTITION_TABLES:
            order: Sequence[str] | None = state_order if name == "states" and state_order else None
            if name == "months":
                order = sorted(counts)
            tables.append(protect_table(name, counts, threshold, order=order, total=raw.total))
        elif name == "satisfaction":
            tables.append(protect_table(name, counts, threshold, order=SATISFACTION_LEVELS))
        else:
            tables.append(protect_table(name, counts, threshold, show_total=False))
    satisfaction = next(table for table in tables if table.name == "satisfaction")
    durations = tuple(
        summarise_duration(name, raw.durations.get(name, {}), threshold) for name in DURATIONS
    )
    return PublishedStatistics(
        threshold,
        raw.total,
        tuple(tables),
        durations,
        mean_satisfaction(satisfaction, raw.tables.get("satisfaction", {})),
    )


def published_counts(published: Mapping[str, Any]) -> list[int]:
    """Every count a published dictionary (``PublishedStatistics.to_dict``) shows: the
    grand total, the cells and the tables' totals."""
    counts = [published["total"]] if published.get("total") is not None else []
    for table in published.get("tables", ()):
        counts.extend(cell["count"] for cell in table["cells"] if cell["count"] is not None)
        if table.get("total") is not None:
            counts.append(table["total"])
    return counts
