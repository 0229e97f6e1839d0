"""How well found clusters match known ones: pairwise and B-cubed precision and recall.

Pairwise scores count pairs of grievances put together (so large clusters weigh most, as
they do for the staff handling them); B-cubed scores average over grievances (so every
complainant counts once). Label -1 means "alone" on either side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class ClusterScores:
    """Agreement between found and true clusters."""

    pair_precision: float
    pair_recall: float
    bcubed_precision: float
    bcubed_recall: float
    true_pairs: int
    found_pairs: int

    @property
    def pair_f1(self) -> float:
        return _f1(self.pair_precision, self.pair_recall)

    @property
    def bcubed_f1(self) -> float:
        return _f1(self.bcubed_precision, self.bcubed_recall)


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _singletons_apart(labels: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Give every -1 its own label, above all the others."""
    out = labels.astype(np.int64).copy()
    alone = out < 0
    out[alone] = out.max(initial=0) + 1 + np.arange(int(alone.sum()))
    return out


def _pairs(sizes: npt.NDArray[np.int64]) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def score_clusters(truth: npt.ArrayLike, found: npt.ArrayLike) -> ClusterScores:
    """Compare ``found`` cluster labels with ``truth`` (same length, -1 = alone)."""
    true_labels = _singletons_apart(np.asarray(truth))
    found_labels = _singletons_apart(np.asarray(found))
    if true_labels.shape != found_labels.shape:
        raise ValueError("truth and found must have the same length")
    if len(true_labels) == 0:
        return ClusterScores(1.0, 1.0, 1.0, 1.0, 0, 0)
    _, true_ids = np.unique(true_labels, return_inverse=True)
    _, found_ids = np.unique(found_labels, return_inverse=True)
    true_sizes = np.bincount(true_ids)
    found_sizes = np.bincount(found_ids)
    cells, cell_sizes = np.unique(
        true_ids.astype(np.int64) * (int(found_ids.max()) + 1) + found_ids, return_counts=True
    )
    cell_true = cells // (int(found_ids.max()) + 1)
    cell_found = cells % (int(found_ids.max()) + 1)
    together = _pairs(cell_sizes)
    true_pairs = _pairs(true_sizes)
    found_pairs = _pairs(found_sizes)
    n = len(true_labels)
    squared = cell_sizes.astype(np.float64) ** 2
    return ClusterScores(
        pair_precision=together / found_pairs if found_pairs else 1.0,
        pair_recall=together / true_pairs if true_pairs else 1.0,
        bcubed_precision=float((squared / found_sizes[cell_found]).sum() / n),
        bcubed_recall=float((squared / true_sizes[cell_true]).sum() / n),
        true_pairs=true_pairs,
        found_pairs=found_pairs,
    )
