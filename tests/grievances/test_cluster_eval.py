"""Scoring of clusterings against known clusters: pairwise and B-cubed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ungpkit.grievances.cluster_eval import score_clusters

labels = st.lists(st.integers(min_value=-1, max_value=5), min_size=1, max_size=40)


def test_a_perfect_clustering_scores_one() -> None:
    scores = score_clusters([0, 0, 1, 1, -1], [7, 7, 3, 3, -1])

    assert (scores.pair_precision, scores.pair_recall) == (1.0, 1.0)
    assert (scores.bcubed_precision, scores.bcubed_recall) == (1.0, 1.0)
    assert scores.true_pairs == scores.found_pairs == 2


def test_merging_two_clusters_costs_precision_not_recall() -> None:
    scores = score_clusters([0, 0, 1, 1], [0, 0, 0, 0])

    assert scores.pair_recall == 1.0
    assert scores.pair_precision == pytest.approx(2 / 6)
    assert scores.bcubed_precision == pytest.approx(0.5)


def test_finding_nothing_costs_recall_not_precision() -> None:
    scores = score_clusters([0, 0, 0, -1], [-1, -1, -1, -1])

    assert scores.pair_recall == 0.0
    assert scores.pair_precision == 1.0
    assert scores.bcubed_recall == pytest.approx((1 / 3 * 3 + 1) / 4)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        score_clusters([0, 0], [0, 0, 0])


@given(labels, st.randoms())
def test_scores_are_proportions_and_ignore_label_names(truth: list[int], rnd: object) -> None:
    found = np.array(truth)[::-1].copy()
    scores = score_clusters(truth, found)
    for value in (
        scores.pair_precision,
        scores.pair_recall,
        scores.bcubed_precision,
        scores.bcubed_recall,
    ):
        assert 0.0 <= value <= 1.0
    renamed = np.where(np.array(truth) >= 0, np.array(truth) + 100, -1)
    assert score_clusters(truth, renamed).pair_f1 == pytest.approx(1.0)


@given(labels, labels)
def test_swapping_truth_and_found_swaps_precision_and_recall(a: list[int], b: list[int]) -> None:
    size = min(len(a), len(b))
    one, two = score_clusters(a[:size], b[:size]), score_clusters(b[:size], a[:size])

    assert one.pair_precision == pytest.approx(two.pair_recall)
    assert one.bcubed_precision == pytest.approx(two.bcubed_recall)
