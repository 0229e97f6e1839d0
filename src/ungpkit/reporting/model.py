"""The shipped sentence classifier: load it, and score the sentences of statements.

The model is a plain ``.npz`` file (no pickle): the vocabularies and IDF weights of the two
TF-IDF vectorisers, one linear classifier per criterion and a decision threshold per
criterion tuned by cross-validation on the training data. Criteria with too few training
examples fall back to the hand-written indicators of :mod:`ungpkit.reporting.rules`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ungpkit.reporting import features
from ungpkit.reporting.labels import ELEMENT_IDS
from ungpkit.reporting.rules import rule_matrix, rule_scores

MODEL_DIR = Path(__file__).parent / "model"
DEFAULT_MODEL = MODEL_DIR / "msa-au.npz"
BATCH_SENTENCES = 4096
"""Sentences vectorised together by :meth:`SentenceModel.predict_many`."""
FORMAT = "ungpkit.sentence-model/1"
"""Bump whenever the feature layout changes: an older file would score the wrong columns."""


class ModelMissing(FileNotFoundError):
    """The model file is not there; the message says how to build it."""


@dataclass
class SentenceModel:
    """Vectorisers, weights and thresholds for the eleven criteria."""

    vectorisers: features.Vectorisers
    coef: np.ndarray
    """(labels, features) float32; a zero row for a criterion handled by the rules."""
    intercept: np.ndarray
    thresholds: np.ndarray
    learned: np.ndarray
    """Per criterion: True when the weights are learned, False when the rules decide."""
    meta: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] = ELEMENT_IDS
    trained: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    """Fingerprints (:func:`fingerprints`) of the training sentences, sorted: enough to tell
    that a labelled file was seen in training, not to recover a sentence."""

    def seen(self, sentences: Sequence[str]) -> int:
        """How many of ``sentences`` were training sentences of this model."""
        if not len(self.trained) or not sentences:
            return 0
        return int(np.isin(fingerprints(sentences), self.trained).sum())

    # ------------------------------------------------------------------ inference
    def features(self, sentences: Sequence[str]) -> Any:
        """Feature rows of one statement's sentences."""
        return features.statement_features(self.vectorisers, sentences, rule_matrix(sentences))

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        """(sentences, criteria) probabilities for one statement's sentences in order."""
        if not sentences:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        matrix = self.features(sentences)
        scores: np.ndarray = np.asarray(matrix @ self.coef.T) + self.intercept
        probs: np.ndarray = (1.0 / (1.0 + np.exp(-scores))).astype(np.float32)
        if not self.learned.all():
            rules = rule_scores(sentences)
            for j, label in enumerate(self.labels):
                if not self.learned[j] and label in rules:
                    probs[:, j] = rules[label]
        return probs

    def predict(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """0/1 decisions and probabilities for one statement's sentences."""
        probs = self.predict_proba(sentences)
        return (probs >= self.thresholds).astype(np.int8), probs

    def predict_many(
        self, statements: Sequence[Sequence[str]], *, batch: int = BATCH_SENTENCES
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Decisions and probabilities of many statements, one batch at a time.

        Statements are vectorised together, ``batch`` sentences or so at a time (each
        statement whole, its context its own), which saves the fixed cost of one vectoriser
        pass per statement: thousands of one-line statements are as fast as one long one.
        Yields ``(statements done, decisions, probabilities)``; the rows of each batch are its
        statements' sentences one statement after the other.
        """
        start = 0
        while start < len(statements):
            end, size = start, 0
            while end < len(statements) and (size == 0 or size + len(statements[end]) <= batch):
                size += len(statements[end])
                end += 1
            chunk = [list(s) for s in statements[start:end] if len(s)]
            probs = self._batch_proba(chunk)
            yield end, (probs >= self.thresholds).astype(np.int8), probs
            start = end

    def _batch_proba(self, statements: Sequence[Sequence[str]]) -> np.ndarray:
        if not statements:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        matrix = features.corpus_features(
            self.vectorisers, statements, [rule_matrix(s) for s in statements]
        )
        scores: np.ndarray = np.asarray(matrix @ self.coef.T) + self.intercept
        probs: np.ndarray = (1.0 / (1.0 + np.exp(-scores))).astype(np.float32)
        if not self.learned.all():
            flat = [sentence for s in statements for sentence in s]
            rules = rule_scores(flat) if flat else {}
            for j, label in enumerate(self.labels):
                if not self.learned[j] and label in rules:
                    probs[:, j] = rules[label]
        return probs

    # ------------------------------------------------------------------ storage
    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (no pickled objects)."""
        word, char = self.vectorisers.word, self.vectorisers.char
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(self.meta, format=FORMAT, labels=list(self.labels))
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                word_terms=np.array(_terms(word.vocabulary_)),
                word_idf=word.idf_.astype(np.float32),
                char_terms=np.array(_terms(char.vocabulary_)),
                char_idf=char.idf_.astype(np.float32),
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
                thresholds=self.thresholds.astype(np.float32),
                learned=self.learned.astype(np.bool_),
                trained=np.unique(self.trained).astype(np.uint64),
                meta=np.array(json.dumps(meta, sort_keys=True)),
            )

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> SentenceModel:
        """Read a model written by :meth:`save`."""
        if not path.exists():
            raise ModelMissing(
                f"No sentence model at {path}. Build it with `ungpkit train` (needs the "
                "AIMS.au data in ../shared/corpus/aims)."
            )
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path} is not a {FORMAT} file.")
            vectorisers = features.new_vectorisers()
            _restore(vectorisers.word, data["word_terms"], data["word_idf"])
            _restore(vectorisers.char, data["char_terms"], data["char_idf"])
            return cls(
                vectorisers=vectorisers,
                coef=np.ascontiguousarray(data["coef"]),
                intercept=data["intercept"].copy(),
                thresholds=data["thresholds"].copy(),
                learned=data["learned"].copy(),
                meta=meta,
                labels=tuple(meta["labels"]),
                trained=(
                    data["trained"].copy()
                    if "trained" in data.files
                    else np.zeros(0, dtype=np.uint64)
                ),
            )


def fingerprints(sentences: Sequence[str]) -> np.ndarray:
    """A 64-bit fingerprint of each sentence, blind to case, spacing and the final dot."""
    return np.fromiter(
        (
            int.from_bytes(
                hashlib.blake2b(features.normalise(s).lower().encode(), digest_size=8).digest(),
                "little",
            )
            for s in sentences
        ),
        dtype=np.uint64,
        count=len(sentences),
    )


def _terms(vocabulary: dict[str, int]) -> list[str]:
    terms = [""] * len(vocabulary)
    for term, index in vocabulary.items():
        terms[index] = term
    return terms


def _restore(vectoriser: Any, terms: np.ndarray, idf: np.ndarray) -> None:
    vectoriser.vocabulary = {str(t): i for i, t in enumerate(terms.tolist())}
    vectoriser.vocabulary_ = vectoriser.vocabulary
    vectoriser.fixed_vocabulary_ = True
    vectoriser.idf_ = idf.astype(np.float32)


@lru_cache(maxsize=2)
def load_default(path: Path = DEFAULT_MODEL) -> SentenceModel:
    """The shipped model, loaded once per process."""
    return SentenceModel.load(path)
