"""Train the sentence classifier from the AIMS.au data, and measure it (offline only).

``train_model`` fits the two TF-IDF vectorisers and one logistic regression per criterion on
the training statements, and tunes each criterion's threshold at the peak of the smoothed F1
curve of out-of-fold predictions (grouped by statement) of the training data itself. Criteria
1 and 6 are labelled only in the Australian statements: for them the UK and Canadian sentences
are left out, and when fewer than :data:`MIN_AU_POSITIVES` positive sentences remain (fewer
than :data:`MIN_POSITIVES` for the other criteria), the hand-written rules decide.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

from ungpkit import __version__
from ungpkit.reporting import features
from ungpkit.reporting.data import Statement, load_labelled
from ungpkit.reporting.labels import ATTRIBUTION, ELEMENT_IDS
from ungpkit.reporting.metrics import Scores, best_threshold, score
from ungpkit.reporting.model import SentenceModel, fingerprints
from ungpkit.reporting.rules import rule_matrix

SEED = 0
C = 4.0
FOLDS = 4
AU_FOLDS = 5
"""Folds (by statement) of the cross-validated figure on au_dev."""
MIN_POSITIVES = 10
MIN_AU_POSITIVES = 50
"""Positives needed before criteria 1 and 6 are learned rather than left to the rules: learned
from the 18-34 positive sentences of 20 Australian statements they did no better than the rules
(5-fold cross-validation by statement, docs/decisions/0004-report-classifier.md)."""
AU_ONLY = frozenset({"msa.c1_reporting_entity", "msa.c6_consultation"})
"""Criteria labelled only in Australian statements."""
FILES = {"uk": "uk_sentences.csv", "ca": "ca_sentences.csv", "au": "au_dev.csv"}


@dataclass
class Labelled:
    """Statements of one jurisdiction."""

    jurisdiction: str
    statements: list[Statement]


def load_corpus(folder: Path) -> dict[str, Labelled]:
    """The three labelled files of ``folder`` (``../shared/corpus/aims``)."""
    missing = [name for name in FILES.values() if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"Missing in {folder}: {', '.join(missing)}")
    return {code: Labelled(code, load_labelled(folder / name)) for code, name in FILES.items()}


def _matrix(vectorisers: features.Vectorisers, statements: Sequence[Statement]) -> Any:
    return features.corpus_features(
        vectorisers,
        [s.sentences for s in statements],
        [rule_matrix(s.sentences) for s in statements],
    )


def _fit_one(x: Any, y: np.ndarray) -> tuple[np.ndarray, float]:
    model = LogisticRegression(
        C=C,
        solver="liblinear",
        dual=True,
        class_weight="balanced",
        random_state=SEED,
        max_iter=2000,
    )
    model.fit(x, y)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def train_model(
    sets: Sequence[Labelled], *, log: Callable[[str], None] = lambda _: None
) -> SentenceModel:
    """Fit vectorisers, weights and thresholds on the statements of ``sets``."""
    started = time.perf_counter()
    statements = [s for labelled in sets for s in labelled.statements]
    origin = np.array(
        [
            labelled.jurisdiction
            for labelled in sets
            for s in labelled.statements
            for _ in s.sentences
        ]
    )
    texts = [features.normalise(t) for s in statements for t in s.sentences]
    vectorisers = features.new_vectorisers()
    vectorisers.word.fit(texts)
    vectorisers.char.fit(texts)
    x = _matrix(vectorisers, statements)
    y = np.array([label for s in statements for label in s.labels], dtype=np.int8)
    groups = np.array([k for k, s in enumerate(statements) for _ in s.sentences])
    n_labels = len(ELEMENT_IDS)
    coef = np.zeros((n_labels, x.shape[1]), dtype=np.float32)
    intercept = np.zeros(n_labels, dtype=np.float32)
    thresholds = np.full(n_labels, 0.5, dtype=np.float32)
    learned = np.zeros(n_labels, dtype=bool)
    for j, label in enumerate(ELEMENT_IDS):
        rows = np.flatnonzero(origin == "au") if label in AU_ONLY else np.arange(len(y))
        positives = int(y[rows, j].sum())
        if positives < (MIN_AU_POSITIVES if label in AU_ONLY else MIN_POSITIVES):
            log(f"  {label}: {positives} positive sentences, the rules decide")
            continue
        xj, yj, gj = x[rows], y[rows, j], groups[rows]
        oof = np.zeros(len(rows))
        folds = min(FOLDS, len(set(gj.tolist())))
        for train_idx, test_idx in GroupKFold(folds).split(xj, yj, gj):
            w, b = _fit_one(xj[train_idx], yj[train_idx])
            oof[test_idx] = _sigmoid(xj[test_idx] @ w + b)
        thresholds[j] = best_threshold(yj, oof)
        coef[j], intercept[j] = _fit_one(xj, yj)
        learned[j] = True
        log(f"  {label}: {positives} positives, threshold {thresholds[j]:.3f}")
    meta = {
        "trained_on": [f"{ls.jurisdiction}:{len(ls.statements)} statements" for ls in sets],
        "sentences": len(y),
        "ungpkit": __version__,
        "seed": SEED,
        "C": C,
        "folds": FOLDS,
        "min_positives": {"au_only": MIN_AU_POSITIVES, "other": MIN_POSITIVES},
        "features": {
            "neighbour_weight": features.NEIGHBOUR_WEIGHT,
            "previous_char_weight": features.PREVIOUS_CHAR_WEIGHT,
            "window": features.WINDOW,
        },
        "attribution": ATTRIBUTION,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return SentenceModel(
        vectorisers,
        coef,
        intercept,
        thresholds,
        learned,
        meta,
        trained=np.unique(fingerprints([t for s in statements for t in s.sentences])),
    )


def predict_statements(
    model: SentenceModel, statements: Sequence[Statement]
) -> tuple[np.ndarray, np.ndarray]:
    """0/1 decisions and probabilities for every sentence of ``statements``, in order."""
    decisions = []
    probs = []
    for _, d, p in model.predict_many([s.sentences for s in statements]):
        decisions.append(d)
        probs.append(p)
    n = len(ELEMENT_IDS)
    if not decisions:
        return np.zeros((0, n), dtype=np.int8), np.zeros((0, n), dtype=np.float32)
    return np.vstack(decisions), np.vstack(probs)


def evaluate_model(model: SentenceModel, statements: Sequence[Statement]) -> Scores:
    """Per-criterion scores of ``model`` on labelled statements."""
    decided, _ = predict_statements(model, statements)
    truth = np.array([label for s in statements for label in s.labels], dtype=np.int8)
    return score(truth, decided, ELEMENT_IDS)


LABELLED_OUTSIDE_AU = tuple(e for e in ELEMENT_IDS if e not in AU_ONLY)


def cross_validate(
    others: Sequence[Labelled],
    target: Labelled,
    folds: int = AU_FOLDS,
    *,
    log: Callable[[str], None] = lambda _: None,
) -> Scores:
    """Score every statement of ``target`` with a model that never saw it.

    The statements of ``target`` are dealt into ``folds`` groups (every ``folds``-th statement);
    each group is scored by a model trained on ``others`` and the other groups. This is how the
    shipped model (trained with Australian statements) does on Australian statements it has
    not seen, as far as ``target`` can tell.
    """
    truth: list[tuple[int, ...]] = []
    decided: list[np.ndarray] = []
    for k in range(folds):
        held = target.statements[k::folds]
        kept = [s for i, s in enumerate(target.statements) if i % folds != k]
        log(f"Fold {k + 1}/{folds}: {len(held)} {target.jurisdiction} statements held out ...")
        model = train_model([*others, Labelled(target.jurisdiction, kept)])
        decisions, _ = predict_statements(model, held)
        decided.append(decisions)
        truth.extend(label for s in held for label in s.labels)
    return score(np.array(truth, dtype=np.int8), np.vstack(decided), ELEMENT_IDS)


def run(
    corpus: Path,
    output: Path | None,
    *,
    measure: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Measure held-out and cross-jurisdiction figures, then train and save the shipped model
    on every labelled statement. Returns the figures (also stored in the model's metadata)."""
    data = load_corpus(corpus)
    uk, ca, au = data["uk"], data["ca"], data["au"]
    figures: dict[str, Any] = {}
    if measure:
        runs = [
            ("uk+ca -> au_dev (held out)", [uk, ca], au, ELEMENT_IDS),
            ("uk+au_dev -> ca", [uk, au], ca, LABELLED_OUTSIDE_AU),
            ("ca+au_dev -> uk", [ca, au], uk, LABELLED_OUTSIDE_AU),
        ]
        for name, train_sets, test, macro_over in runs:
            log(f"Training on {name.split(' -> ')[0]} ...")
            model = train_model(train_sets, log=log)
            scores = evaluate_model(model, test.statements)
            log(scores.table(f"\n{name}"))
            if macro_over != ELEMENT_IDS:
                log(
                    f"macro-F1 over the 9 criteria labelled in {test.jurisdiction.upper()}: "
                    f"{scores.macro_f1_over(macro_over):.3f}\n"
                )
            figures[name] = dict(
                scores.to_dict(), macro_f1_labelled=round(scores.macro_f1_over(macro_over), 4)
            )
        name = f"uk+ca+au_dev -> au_dev ({AU_FOLDS} folds by statement)"
        log(f"Cross-validating on au_dev ({AU_FOLDS} folds, each statement scored once) ...")
        scores = cross_validate([uk, ca], au, log=log)
        log(scores.table(f"\n{name}"))
        figures[name] = scores.to_dict()
    log("Training the shipped model on uk + ca + au_dev ...")
    model = train_model([uk, ca, au], log=log)
    model.meta["figures"] = figures
    if output is not None:
        model.save(output)
        log(f"Wrote {output} ({output.stat().st_size / 1e6:.1f} MB)")
    return figures
