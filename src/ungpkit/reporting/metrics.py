"""Sentence-level precision, recall and F1 per criterion, and macro-F1 over the criteria."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LabelScore:
    """Scores of one criterion."""

    label: str
    support: int
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Scores:
    """Scores of every criterion on one labelled set."""

    labels: tuple[LabelScore, ...]
    sentences: int
    seen: int = 0
    """Sentences the scored model was trained on (when known)."""

    @property
    def macro_f1(self) -> float:
        return float(np.mean([s.f1 for s in self.labels])) if self.labels else 0.0

    def macro_f1_over(self, labels: Sequence[str]) -> float:
        """Macro-F1 over a subset of the criteria (for example those a jurisdiction labels)."""
        chosen = [s.f1 for s in self.labels if s.label in labels]
        return float(np.mean(chosen)) if chosen else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "sentences": self.sentences,
            "macro_f1": round(self.macro_f1, 4),
            "criteria": {
                s.label: {
                    "n": s.support,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                }
                for s in self.labels
            },
        }

    def table(self, title: str = "") -> str:
        """A plain-text table: one line per criterion, then macro-F1."""
        lines = [title] if title else []
        lines.append(f"{'criterion':28s} {'n':>5s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
        for s in self.labels:
            lines.append(
                f"{s.label:28s} {s.support:5d} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}"
            )
        lines.append(f"{'macro-F1':28s} {self.sentences:5d} {'':9s} {'':7s} {self.macro_f1:6.3f}")
        empty = [s.label for s in self.labels if s.support == 0]
        if empty and len(empty) < len(self.labels):
            present = [s.label for s in self.labels if s.support]
            lines.append(
                f"No positive sentence for {', '.join(empty)}: F1 is 0 there by definition. "
                f"macro-F1 over the {len(present)} criteria with positives: "
                f"{self.macro_f1_over(present):.3f}"
            )
        return "\n".join(lines)


def score(truth: np.ndarray, predicted: np.ndarray, labels: Sequence[str]) -> Scores:
    """Scores of 0/1 predictions against 0/1 truth, both (sentences, criteria)."""
    truth = np.asarray(truth, dtype=bool)
    predicted = np.asarray(predicted, dtype=bool)
    if truth.shape != predicted.shape or truth.shape[1] != len(labels):
        raise ValueError("truth and predictions must both be (sentences, criteria)")
    out = tuple(
        LabelScore(
            label=label,
            support=int(truth[:, j].sum()),
            predicted=int(predicted[:, j].sum()),
            true_positives=int((truth[:, j] & predicted[:, j]).sum()),
        )
        for j, label in enumerate(labels)
    )
    return Scores(out, int(truth.shape[0]))


CUTS = np.round(np.arange(0.05, 0.951, 0.025), 3)
"""The probability cuts a threshold is chosen from."""
SMOOTHING = 3
"""Cuts on each side averaged into the F1 curve before its peak is taken."""


def f1_curve(truth: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """F1 of ``probs >= cut`` for every cut of :data:`CUTS`."""
    truth = np.asarray(truth, dtype=bool)
    out = np.zeros(len(CUTS))
    for k, cut in enumerate(CUTS):
        pred = probs >= cut
        denominator = float(pred.sum() + truth.sum())
        out[k] = 2 * float((pred & truth).sum()) / denominator if denominator else 0.0
    return out


def best_threshold(truth: np.ndarray, probs: np.ndarray, smoothing: int = SMOOTHING) -> float:
    """The probability cut at the peak of the F1 curve (grid 0.05-0.95, ties to the lower cut).

    The curve is first averaged over ``smoothing`` cuts on each side: with a few dozen
    positive sentences its raw peak jumps between far-apart cuts from one fold to the next,
    and the smoothed peak carried over better between the UK and Canadian statements.
    """
    curve = f1_curve(truth, probs)
    if smoothing:
        padded = np.pad(curve, smoothing, mode="edge")
        curve = np.convolve(padded, np.ones(2 * smoothing + 1) / (2 * smoothing + 1), "valid")
    return float(CUTS[int(np.argmax(curve))])
