"""Sentence features with context: TF-IDF of the sentence and of its neighbours.

A sentence is vectorised once (word 1-2 grams and character 2-5 grams, TF-IDF); its context is
the word vectors of the previous and the next sentence of the same statement, the character
vector of the previous one and the mean word vector of a wider window, plus a few layout
features (length, whether the sentence looks like a heading). Other blocks and weights were
tried in cross-jurisdiction runs on the UK and Canadian statements and gained nothing
(docs/decisions/0004-report-classifier.md). Everything is sparse; one statement's rows are
built by shifting the sentence matrix, so context costs almost nothing at inference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

_NUMBER = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
WINDOW = 3
"""Sentences on each side averaged into the wide context."""
NEIGHBOUR_WEIGHT = 0.6
"""Scale of the word blocks of the previous and next sentence and of the wide window."""
PREVIOUS_CHAR_WEIGHT = 0.4
"""Scale of the character block of the previous sentence."""


def normalise(text: str) -> str:
    """Lower-case-free clean-up shared by training and inference: spaces, quotes, final dot."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = _SPACE.sub(" ", text).strip()
    return text.rstrip(" .")


@dataclass
class Vectorisers:
    """The two fitted TF-IDF vectorisers."""

    word: TfidfVectorizer
    char: TfidfVectorizer


def new_vectorisers() -> Vectorisers:
    """Unfitted vectorisers with the settings the shipped model uses."""
    word = TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        lowercase=True,
        token_pattern=r"(?u)\b\w[\w'-]*\b",
        dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=3,
        max_features=120_000,
        sublinear_tf=True,
        lowercase=True,
        dtype=np.float32,
    )
    return Vectorisers(word, char)


def _layout(sentences: Sequence[str]) -> np.ndarray:
    """Length, heading-like, capitals and digits. No position in the statement: the UK and
    Canadian files hold samples of sentences, so positions there do not transfer."""
    rows = np.zeros((len(sentences), 4), dtype=np.float32)
    for i, text in enumerate(sentences):
        words = text.split()
        letters = [c for c in text if c.isalpha()]
        rows[i, 0] = min(len(words), 60) / 60
        rows[i, 1] = 1.0 if len(words) <= 6 else 0.0
        rows[i, 2] = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
        rows[i, 3] = 1.0 if _NUMBER.search(text) else 0.0
    return rows


def _shift(matrix: sp.csr_matrix, offset: int, groups: np.ndarray | None = None) -> sp.csr_matrix:
    """Row i of the result is row i+offset of ``matrix`` when both rows are of the same
    statement (``groups`` gives each row's statement; None: all one), zeros otherwise."""
    n = matrix.shape[0]
    index = np.arange(n) + offset
    valid = (index >= 0) & (index < n)
    if groups is not None:
        valid[valid] &= groups[index[valid]] == groups[np.flatnonzero(valid)]
    selector = sp.csr_matrix(
        (np.ones(valid.sum(), dtype=np.float32), (np.flatnonzero(valid), index[valid])),
        shape=(n, n),
    )
    return selector @ matrix


def _window(n: int, width: int, groups: np.ndarray | None = None) -> sp.csr_matrix:
    """A row-normalised band matrix averaging the ``width`` neighbours on each side (not self)
    within the row's statement."""
    offsets = [k for k in range(-width, width + 1) if k]
    rows = np.repeat(np.arange(n), len(offsets))
    cols = rows + np.tile(np.asarray(offsets), n)
    keep = (cols >= 0) & (cols < n)
    rows, cols = rows[keep], cols[keep]
    if groups is not None:
        same = groups[rows] == groups[cols]
        rows, cols = rows[same], cols[same]
    counts = np.bincount(rows, minlength=n).astype(np.float32)
    vals = 1.0 / counts[rows]
    return sp.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(n, n))


def statement_features(
    vectorisers: Vectorisers, sentences: Sequence[str], extra: np.ndarray | None = None
) -> sp.csr_matrix:
    """The feature rows of one statement's sentences (in document order)."""
    texts = [normalise(s) for s in sentences]
    word = vectorisers.word.transform(texts).tocsr()
    char = vectorisers.char.transform(texts).tocsr()
    return assemble(word, char, texts, extra)


def assemble(
    word: sp.csr_matrix,
    char: sp.csr_matrix,
    texts: Sequence[str],
    extra: np.ndarray | None,
    groups: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Stack sentence, neighbour and window blocks for the rows of one statement, or of
    several one after the other when ``groups`` gives each row's statement."""
    n = word.shape[0]
    blocks = [
        word,
        char,
        _shift(word, -1, groups) * NEIGHBOUR_WEIGHT,
        _shift(word, 1, groups) * NEIGHBOUR_WEIGHT,
        _shift(char, -1, groups) * PREVIOUS_CHAR_WEIGHT,
        _window(n, WINDOW, groups) @ word * NEIGHBOUR_WEIGHT,
        sp.csr_matrix(_layout(texts)),
    ]
    if extra is not None:
        blocks.append(sp.csr_matrix(extra.astype(np.float32)))
    return sp.hstack(blocks, format="csr", dtype=np.float32)


def corpus_features(
    vectorisers: Vectorisers,
    statements: Sequence[Sequence[str]],
    extras: Sequence[np.ndarray] | None = None,
) -> sp.csr_matrix:
    """Feature rows of many statements, one after the other, in one pass: each row's context
    is its own statement's sentences, as :func:`statement_features` would give them."""
    texts = [normalise(s) for sentences in statements for s in sentences]
    if not texts:
        return sp.csr_matrix((0, 0), dtype=np.float32)
    word = vectorisers.word.transform(texts).tocsr()
    char = vectorisers.char.transform(texts).tocsr()
    groups = np.repeat(np.arange(len(statements)), [len(s) for s in statements])
    extra = np.vstack(list(extras)) if extras is not None else None
    return assemble(word, char, texts, extra, groups)
