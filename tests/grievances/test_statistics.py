"""The public statistics core: counting, percentiles and suppression, with property tests
that no published count is under the threshold and no hidden count can be worked out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from ungpkit.grievances import statistics as stats
from ungpkit.grievances.statistics import GrievanceRecord

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def record(**fields: object) -> GrievanceRecord:
    values: dict[str, object] = {"created_at": T0, "state": "received"}
    values.update(fields)
    return GrievanceRecord(**values)  # type: ignore[arg-type]


# An independent check: every assignment of the hidden cells an attacker cannot rule out -----


def possible_values(view: stats.ProtectedTable, total: int, threshold: int) -> dict[str, set[int]]:
    """By brute force: each hidden cell's possible values for someone who knows the shown
    counts, the total and the rule (small cells 1..t-1, secondary cells t..smallest shown)."""
    shown = [cell.count for cell in view.cells if cell.count is not None]
    hidden = [cell for cell in view.cells if cell.hidden]
    remainder = total - sum(shown)
    ceiling = min(shown) if shown else remainder
    ranges = [
        range(1, threshold) if cell.hidden == "small" else range(threshold, ceiling + 1)
        for cell in hidden
    ]
    found: dict[str, set[int]] = {cell.key: set() for cell in hidden}
    if not hidden:
        return found
    for values in product(*ranges[:-1]):
        last = remainder - sum(values)
        if last in ranges[-1]:
            for cell, value in zip(hidden, (*values, last), strict=True):
                found[cell.key].add(value)
    return found


counts_strategy = st.dictionaries(
    st.sampled_from("abcdefg"), st.integers(min_value=1, max_value=25), min_size=1, max_size=6
)


@settings(max_examples=400, deadline=None)
@given(counts=counts_strategy, threshold=st.integers(min_value=3, max_value=8))
def test_no_hidden_count_can_be_worked_out(counts: dict[str, int], threshold: int) -> None:
    view = stats.protect_table("t", counts, threshold)
    total = sum(counts.values())
    for cell in view.cells:
        if cell.count is not None:
            assert cell.count == counts[cell.key] and cell.count >= threshold
        else:
            assert cell.hidden in ("small", "secondary")
            assert (counts[cell.key] < threshold) == (cell.hidden == "small")
    if view.withheld:
        assert view.cells == ()
        return
    assert {cell.key for cell in view.cells} == set(counts)
    for key, values in possible_values(view, total, threshold).items():
        assert counts[key] in values  # the truth is among what the attacker must consider
        assert len(values) >= 2, (counts, view, key, values)


@settings(max_examples=300, deadline=None)
@given(counts=counts_strategy, threshold=st.integers(min_value=3, max_value=8))
def test_one_hidden_cell_never_stands_alone(counts: dict[str, int], threshold: int) -> None:
    view = stats.protect_table("t", counts, threshold)
    hidden = [cell for cell in view.cells if cell.hidden]
    assert len(hidden) != 1


records_strategy = st.lists(
    st.builds(
        GrievanceRecord,
        created_at=st.datetimes(
            min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
        ),
        state=st.sampled_from(["received", "acknowledged", "dialogue", "closed"]),
        channel=st.sampled_from(["web", "api", "bulk"]),
        language=st.sampled_from(["en", "fr", "es", "ko"]),
        members=st.lists(st.sampled_from(["m1", "m2", "m3"]), max_size=2, unique=True).map(tuple),
        rights=st.lists(st.sampled_from(["right.privacy", "right.work"]), unique=True).map(tuple),
        harms=st.lists(st.sampled_from(["harm.data_breach", "harm.other"]), unique=True).map(tuple),
        satisfaction=st.none() | st.integers(min_value=1, max_value=5),
        remedy_types=st.none() | st.just(("apology",)),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(records=records_strategy, threshold=st.integers(min_value=3, max_value=7))
def test_nothing_published_is_under_the_threshold(
    records: list[GrievanceRecord], threshold: int
) -> None:
    raw = stats.collect(records)
    published = stats.publish(raw, threshold).to_dict()
    assert all(count >= threshold for count in stats.published_counts(published))
    json.dumps(published)  # plain data
    for table in published["tables"]:
        for cell in table["cells"]:
            assert (cell["count"] is None) == bool(cell["hidden"])
    if published["satisfaction_mean"] is not None:
        satisfaction = next(t for t in published["tables"] if t["name"] == "satisfaction")
        assert all(cell["count"] is not None for cell in satisfaction["cells"])


# Counting ------------------------------------------------------------------------------------


def test_collect_counts_every_table() -> None:
    records = [
        record(
            members=("m1", "m2"),
            rights=("right.privacy",),
            harms=("harm.data_breach",),
            acknowledged_at=T0 + timedelta(days=2),
            closed_at=T0 + timedelta(days=30),
            remedy_types=("apology", "compensation"),
            satisfaction=4,
            state="closed",
        ),
        record(channel="api", language="fr", created_at=T0 + timedelta(days=40)),
    ]
    raw = stats.collect(records)
    assert raw.total == 2
    assert raw.tables["members"] == {"m1": 1, "m2": 1, stats.NOT_ROUTED: 1}
    assert raw.tables["months"] == {"2026-01": 1, "2026-02": 1}
    assert raw.tables["channels"] == {"web": 1, "api": 1}
    assert raw.tables["remedy_types"] == {"apology": 1, "compensation": 1}
    assert raw.tables["satisfaction"] == {"4": 1}
    assert raw.durations["acknowledge"] == {20: 1}
    assert raw.durations["close"] == {300: 1}


def test_percentiles_use_the_nearest_rank() -> None:
    histogram = {10: 1, 20: 1, 30: 1, 40: 1, 100: 1}  # 1, 2, 3, 4 and 10 days
    assert stats.percentile(histogram, 0.5) == 3.0
    assert stats.percentile(histogram, 0.75) == 4.0
    assert stats.percentile(histogram, 0.9) == 10.0
    assert stats.within(histogram, 3) == 3


def test_durations_are_summarised_only_over_enough_cases() -> None:
    assert not stats.summarise_duration("close", {10: 4}, 5).enough
    summary = stats.summarise_duration("close", {10: 4, 20: 1}, 5)
    assert summary.enough and summary.median == 1.0 and summary.p90 == 2.0


# Suppression ---------------------------------------------------------------------------------


def test_a_small_cell_hides_the_next_smallest_too() -> None:
    view = stats.protect_table("channels", {"web": 40, "api": 9, "bulk": 2}, 5)
    cells = {cell.key: cell for cell in view.cells}
    assert cells["web"].count == 40 and view.total == 51
    assert cells["bulk"].hidden == "small" and cells["bulk"].count is None
    assert cells["api"].hidden == "secondary" and cells["api"].count is None


def test_two_small_cells_that_could_be_told_apart_hide_more() -> None:
    # 1 + 1 = 2: both small cells could only be 1, so a shown cell is hidden too.
    view = stats.protect_table("t", {"a": 1, "b": 1, "c": 30, "d": 50}, 5)
    hidden = {cell.key: cell.hidden for cell in view.cells}
    assert hidden == {"a": "small", "b": "small", "c": "secondary", "d": ""}


def test_a_table_that_cannot_be_protected_is_withheld() -> None:
    view = stats.protect_table("channels", {"web": 5, "api": 1}, 5)
    assert view.withheld and view.cells == () and view.total == 6


def test_shown_rows_by_size_hidden_rows_by_key() -> None:
    view = stats.protect_table("t", {"z": 3, "b": 30, "c": 50, "a": 4}, 5)
    assert [cell.key for cell in view.cells][:1] == ["c"]
    assert [cell.key for cell in view.cells if cell.hidden] == sorted(
        cell.key for cell in view.cells if cell.hidden
    )


def test_nothing_is_published_under_the_threshold_in_all() -> None:
    raw = stats.collect([record(), record(), record()])
    published = stats.publish(raw, 5)
    assert published.total is None
    assert all(table.withheld for table in published.tables)
    assert not any(duration.enough for duration in published.durations)


def test_mean_satisfaction_only_when_no_cell_is_hidden() -> None:
    many = [record(satisfaction=5) for _ in range(6)] + [record(satisfaction=3) for _ in range(5)]
    published = stats.publish(stats.collect(many), 5)
    assert published.satisfaction_mean == round((30 + 15) / 11, 2)
    one_low = [*many, record(satisfaction=1)]
    published = stats.publish(stats.collect(one_low), 5)
    assert published.satisfaction_mean is None


def test_states_follow_the_given_order_and_overlapping_tables_have_no_total() -> None:
    records = [record(state="closed", rights=("right.privacy",)) for _ in range(6)]
    records += [record(state="received", rights=("right.privacy",)) for _ in range(7)]
    published = stats.publish(
        stats.collect(records), 5, state_order=("received", "acknowledged", "closed")
    )
    assert [cell.key for cell in published.table("states").cells] == ["received", "closed"]
    assert published.table("states").total == 13
    assert published.table("rights").total is None
    assert published.table("rights").cells[0].count == 13
