"""Find mass complaints among many grievances: near-duplicate texts and same-incident groups.

Two kinds of link, then connected components (``scipy.sparse.csgraph``):

- **near-duplicates** (a campaign letter pasted by thousands, with small edits): MinHash over
  word 3-shingles with banded locality-sensitive hashing; a candidate pair is kept only when
  its estimated Jaccard similarity reaches ``duplicate_threshold``;
- **same incident** (one breach, one outage, one automated decision, described differently by
  each person): a word that is *bursty* for one company (it appears at least
  ``burst_min_count`` times within ``window_days`` in complaints about that company, so much
  more often than its rate in the whole collection predicts that chance is ruled out: a
  Poisson tail below ``burst_alpha`` divided by the number of words tested, and at least
  ``burst_concentration`` of all its uses fall in that window: a word of the incident, not a
  common word that happens to be frequent that week) marks an incident; complaints about
  the same company within the window that share it are linked.

Everything is vectorised with numpy in chunks, so a million grievances are clustered in a few
minutes on two cores and a few GiB. Deterministic: the same input gives the same clusters.
Texts are compared after lower-casing; Korean words lose their trailing particle (``넷플릭스가``
→ ``넷플릭스``) so that the same noun matches in any case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.special import pdtrc

ProgressFn = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called while clustering, for progress bars."""

TOKEN = re.compile(r"\w+(?:[.\-'’]\w+)*")
KOREAN_PARTICLES = tuple(
    sorted(
        (
            "이",
            "가",
            "은",
            "는",
            "을",
            "를",
            "의",
            "에",
            "에서",
            "에게",
            "한테",
            "께서",
            "로",
            "으로",
            "와",
            "과",
            "도",
            "만",
            "까지",
            "부터",
            "이나",
            "나",
            "이랑",
            "랑",
            "처럼",
            "보다",
            "에는",
            "에서는",
            "으로는",
            "로는",
            "이라고",
            "라고",
        ),
        key=len,
        reverse=True,
    )
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class ClusterItem:
    """One grievance as clustering sees it."""

    text: str
    language: str = "und"
    member: str = ""
    """A key of the company the complaint is about ("" when unknown)."""
    day: int | None = None
    """Days since 1970-01-01 of the complaint (None when unknown)."""


@dataclass(frozen=True)
class ClusterInfo:
    """One cluster: its members (indexes into the input) and why they belong together."""

    index: int
    kind: str
    """``duplicate`` (near-identical texts) or ``incident`` (same company, same burst)."""
    members: tuple[int, ...]
    label: str
    """Words the texts share, for people to recognise the cluster."""
    similarity: tuple[float, ...]
    """Per member, its estimated similarity to the cluster's first member."""


@dataclass(frozen=True)
class Clustering:
    """The clusters found; ``labels[i]`` is the cluster index of item ``i`` or -1."""

    labels: list[int]
    clusters: list[ClusterInfo]


@dataclass(frozen=True)
class Settings:
    """Thresholds of the two kinds of link (defaults measured on the synthetic benchmark)."""

    permutations: int = 64
    bands: int = 16
    duplicate_threshold: float = 0.6
    window_days: int = 14
    burst_min_count: int = 2
    burst_alpha: float = 0.01
    burst_concentration: float = 0.7
    incident_max_share: float = 0.05
    company_share: float = 0.5
    chunk: int = 50_000
    seed: int = 20261124


@dataclass
class Links:
    """Pairs of item indexes found linked, and by which kind of link."""

    left: list[npt.NDArray[np.int64]] = field(default_factory=list)
    right: list[npt.NDArray[np.int64]] = field(default_factory=list)

    def add(self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]) -> None:
        if len(left):
            self.left.append(left.astype(np.int64))
            self.right.append(right.astype(np.int64))

    def arrays(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        if not self.left:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(self.left), np.concatenate(self.right)


def sorted_unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Sorted distinct values (by sorting: much faster than hashing for tens of millions)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# Tokens -----------------------------------------------------------------------------------


def _korean_stem(token: str) -> str:
    for particle in KOREAN_PARTICLES:
        if token.endswith(particle) and len(token) - len(particle) >= 2:
            return token[: -len(particle)]
    return token


def tokenize(text: str) -> list[str]:
    """Lower-cased words of ``text``; Korean words without their trailing particle."""
    tokens = TOKEN.findall(text.lower())
    if _HANGUL.search(text) is None:
        return tokens
    return [_korean_stem(t) if _HANGUL.match(t) else t for t in tokens]


@dataclass
class Corpus:
    """All texts as integer token ids: ``tokens[starts[i]:starts[i + 1]]`` is text ``i``."""

    tokens: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    vocabulary: dict[str, int]

    @property
    def size(self) -> int:
        return len(self.starts) - 1


def build_corpus(texts: Sequence[str], progress: ProgressFn | None = None) -> Corpus:
    """Token ids of every text, numbered in order of first appearance (deterministic)."""
    vocabulary: dict[str, int] = {}
    lengths = np.zeros(len(texts), dtype=np.int64)
    pieces: list[npt.NDArray[np.int64]] = []
    chunk: list[int] = []
    for number, text in enumerate(texts):
        ids = []
        for token in tokenize(text):
            found = vocabulary.get(token)
            if found is None:
                found = vocabulary[token] = len(vocabulary)
            ids.append(found)
        lengths[number] = len(ids)
        chunk.extend(ids)
        if len(chunk) > 2_000_000:
            pieces.append(np.array(chunk, dtype=np.int64))
            chunk = []
        if progress is not None and number % 50_000 == 0:
            progress("reading", number, len(texts))
    pieces.append(np.array(chunk, dtype=np.int64))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    if progress is not None:
        progress("reading", len(texts), len(texts))
    return Corpus(np.concatenate(pieces), starts, vocabulary)


# Near-duplicates: MinHash with banded LSH -------------------------------------------------


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A 64-bit finaliser (splitmix64), so that nearby ids hash far apart."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def shingles(
    corpus: Corpus, first: int, last: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Hashed word 3-shingles of texts ``first..last-1`` and where each text's begin.

    A text of fewer than three words is represented by its words.
    """
    lo, hi = int(corpus.starts[first]), int(corpus.starts[last])
    ids = corpus.tokens[lo:hi].astype(np.uint64)
    starts = corpus.starts[first : last + 1] - lo
    lengths = np.diff(starts)
    n = len(ids)
    with np.errstate(over="ignore"):
        a = _mix(ids)
        b = np.empty_like(a)
        c = np.empty_like(a)
        b[:-1] = a[1:] * np.uint64(0x9E3779B97F4A7C15) if n > 1 else b[:-1]
        c[:-2] = a[2:] * np.uint64(0xC2B2AE3D27D4EB4F) if n > 2 else c[:-2]
        triple = _mix(a ^ (b << np.uint64(1)) ^ (c >> np.uint64(1))) if n else a
    # Keep position p when p+2 is inside the same text; short texts keep their words.
    position = np.arange(n, dtype=np.int64) - np.repeat(starts[:-1], lengths)
    remaining = np.repeat(lengths, lengths) - position
    short = np.repeat(lengths < 3, lengths)
    keep = (remaining >= 3) | short
    values = np.where(short, a, triple)[keep]
    kept_lengths = np.where(lengths < 3, lengths, np.maximum(lengths - 2, 0))
    kept_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(kept_lengths, out=kept_starts[1:])
    return values, kept_starts


def minhash(
    corpus: Corpus, settings: Settings, progress: ProgressFn | None = None
) -> npt.NDArray[np.uint32]:
    """The MinHash signature of every text (``permutations`` columns of uint32).

    Empty texts get the maximum value in every column, and are never linked.
    """
    rng = np.random.default_rng(settings.seed)
    multipliers = rng.integers(1, 2**63, size=settings.permutations, dtype=np.uint64) | np.uint64(1)
    offsets = rng.integers(0, 2**63, size=settings.permutations, dtype=np.uint64)
    signatures = np.full((corpus.size, settings.permutations), np.iinfo(np.uint32).max, np.uint32)
    for first in range(0, corpus.size, settings.chunk):
        last = min(first + settings.chunk, corpus.size)
        values, starts = shingles(corpus, first, last)
        nonempty = np.flatnonzero(np.diff(starts) > 0)
        if len(values) == 0:
            continue
        segment_starts = starts[nonempty]
        for column in range(settings.permutations):
            with np.errstate(over="ignore"):
                hashed = (values * multipliers[column] + offsets[column]) >> np.uint64(32)
            signatures[first + nonempty, column] = np.minimum.reduceat(hashed, segment_starts)
        if progress is not None:
            progress("fingerprints", last, corpus.size)
    return signatures


def _band_keys(signatures: npt.NDArray[np.uint32], band: int, rows: int) -> npt.NDArray[np.uint64]:
    block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
    key = np.full(len(block), np.uint64(band), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(rows):
            key = _mix(key ^ block[:, column])
    return key


def _estimated_jaccard(
    signatures: npt.NDArray[np.uint32], left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    out = np.empty(len(left), dtype=np.float64)
    step = 200_000
    for lo in range(0, len(left), step):
        hi = lo + step
        out[lo:hi] = (signatures[left[lo:hi]] == signatures[right[lo:hi]]).mean(axis=1)
    return out


def duplicate_links(
    signatures: npt.NDArray[np.uint32],
    settings: Settings,
    valid: npt.NDArray[np.bool_],
    progress: ProgressFn | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Pairs of near-duplicate texts (each text linked to the first and the previous text of
    its LSH buckets when their estimated Jaccard similarity is high enough)."""
    rows = settings.permutations // settings.bands
    lefts: list[npt.NDArray[np.int64]] = []
    rights: list[npt.NDArray[np.int64]] = []
    candidates = np.flatnonzero(valid).astype(np.int64)
    for band in range(settings.bands):
        keys = _band_keys(signatures[candidates], band, rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        items = candidates[order]
        same = sorted_keys[1:] == sorted_keys[:-1]
        if not same.any():
            continue
        # First member of each bucket, broadcast over the bucket.
        boundary = np.concatenate(([True], ~same))
        head = items[np.maximum.accumulate(np.where(boundary, np.arange(len(items)), 0))]
        follower = np.flatnonzero(same) + 1
        lefts.append(head[follower])
        rights.append(items[follower])
        lefts.append(items[follower - 1])
        rights.append(items[follower])
        if progress is not None:
            progress("near-duplicates", band + 1, settings.bands)
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    left = np.concatenate(lefts)
    right = np.concatenate(rights)
    base = np.int64(signatures.shape[0] + 1)
    pairs = sorted_unique(np.minimum(left, right) * base + np.maximum(left, right))
    low, high = pairs // base, pairs % base
    similarity = _estimated_jaccard(signatures, low, high)
    keep = (similarity >= settings.duplicate_threshold) & (low != high)
    return low[keep], high[keep], similarity[keep]


# Same incident: words that burst for one company -------------------------------------------


def incident_links(
    corpus: Corpus,
    items: npt.NDArray[np.int64],
    members: npt.NDArray[np.int64],
    days: npt.NDArray[np.int64],
    settings: Settings,
    progress: ProgressFn | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs of texts about the same company, close in time, that share a bursty word.

    Only ``items`` take part (one representative per near-duplicate group, so a campaign
    letter pasted a thousand times does not make its own words look bursty).
    """
    if len(items) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    vocabulary = np.int64(len(corpus.vocabulary) + 1)
    # Words in more than a twentieth of the texts are no incident's own words: skip them
    # before the big sort (they are most of the text). Texts are read in slices so that
    # only the words kept are ever held for all of them at once.
    slices = np.array_split(items, max(1, len(items) // settings.chunk))
    uses = np.zeros(int(vocabulary), dtype=np.int64)
    for part in slices:
        uses += np.bincount(_tokens_of(corpus, part)[1], minlength=int(vocabulary))
    common = uses > max(settings.incident_max_share * len(items), 1000)
    del uses
    pieces = []
    for part in slices:
        owner, tokens = _tokens_of(corpus, part)
        keep = ~common[tokens]
        # Owners grow from slice to slice, so the pieces join already sorted and distinct.
        pieces.append(sorted_unique(owner[keep] * vocabulary + tokens[keep]))
    unique = np.concatenate(pieces)
    del pieces, owner, tokens, keep
    owner, tokens = unique // vocabulary, unique % vocabulary
    del unique
    if progress is not None:
        progress("incidents", 1, 4)
    document_frequency = np.bincount(tokens, minlength=int(vocabulary))
    member_count = int(members.max()) + 1 if len(members) else 1
    member_share = np.bincount(members[items], minlength=member_count) / len(items)
    first_day, last_day = int(days[items].min()), int(days[items].max())
    span = np.int64(last_day - first_day + settings.window_days + 1)
    day = days[owner] - first_day
    member = members[owner]
    key = (tokens * np.int64(member_count) + member) * span + day
    del day
    order = np.argsort(key, kind="stable")
    key, owner, tokens, member = key[order], owner[order], tokens[order], member[order]
    del order
    if progress is not None:
        progress("incidents", 2, 4)
    index = np.arange(len(key))
    in_window = np.searchsorted(key, key + settings.window_days, side="right") - index
    expected = (
        document_frequency[tokens] * member_share[member] * (settings.window_days + 1) / float(span)
    )
    group = key // span
    starts_group = np.ones(len(key), dtype=bool)
    starts_group[1:] = group[1:] != group[:-1]
    group_number = np.cumsum(starts_group) - 1
    company_uses = np.bincount(group_number)[group_number]
    # A window is *hot* when seeing that many uses of the word in it is too unlikely under
    # its usual rate (Poisson tail, Bonferroni-corrected over all the windows tested).
    hot = (in_window >= settings.burst_min_count) & (in_window > 2 * expected)
    tested = int(np.count_nonzero(hot))
    if tested:
        tail = pdtrc(in_window[hot] - 1, np.maximum(expected[hot], 1e-12))
        hot[hot] = tail < settings.burst_alpha / tested
    # A hot window *starts a burst* when it also holds most of the company's uses of the
    # word (over twice the window), and most uses of the word are about this company: an
    # incident's own word (a code, a feature's name), not a word every complaint of that
    # kind uses (a big incident makes those hot too).
    long_window = np.searchsorted(key, key + 2 * settings.window_days, side="right") - index
    starts_burst = (
        hot
        & (long_window >= settings.burst_concentration * company_uses)
        & (company_uses >= settings.company_share * document_frequency[tokens])
    )
    # Hot stretches: entries up to a window after a hot one, without a break.
    last_hot = np.maximum.accumulate(np.where(hot, index, -1))
    safe = np.maximum(last_hot, 0)
    covered = (last_hot >= 0) & (group[safe] == group) & (key - key[safe] <= settings.window_days)
    starts_stretch = covered.copy()
    starts_stretch[1:] &= ~covered[:-1] | starts_group[1:]
    stretch = np.maximum(np.cumsum(starts_stretch) - 1, 0)
    bursting = np.bincount(stretch, weights=(starts_burst & covered).astype(np.float64)) > 0
    in_burst = covered & bursting[stretch]
    following = np.zeros(len(key), dtype=bool)
    following[:-1] = in_burst[:-1] & in_burst[1:] & ~starts_stretch[1:]
    origin = np.flatnonzero(following)
    left, right = owner[origin], owner[origin + 1]
    if progress is not None:
        progress("incidents", 3, 4)
    left, right = _unique_pairs(left, right)
    if progress is not None:
        progress("incidents", 4, 4)
    return left, right


def _tokens_of(
    corpus: Corpus, items: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The words of ``items``, each with the item it belongs to (``owner``, ``tokens``)."""
    lengths = corpus.starts[items + 1] - corpus.starts[items]
    positions = _gather_positions(corpus.starts, items, lengths)
    return np.repeat(items, lengths), corpus.tokens[positions]


def _gather_positions(
    starts: npt.NDArray[np.int64], items: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Token positions of ``items`` in order, without a Python loop."""
    total = int(lengths.sum())
    offsets = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    within = np.arange(total, dtype=np.int64) - np.repeat(offsets[:-1], lengths)
    return np.repeat(starts[items], lengths) + within


def _unique_pairs(
    left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each unordered pair once."""
    if len(left) == 0:
        return left, right
    base = np.int64(max(int(left.max()), int(right.max())) + 1)
    unique = sorted_unique(np.minimum(left, right) * base + np.maximum(left, right))
    return unique // base, unique % base


# Components and the public function -------------------------------------------------------


def _components(
    size: int, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    graph = coo_matrix(
        (np.ones(len(left), dtype=np.int8), (left, right)), shape=(size, size)
    ).tocsr()
    _, labels = connected_components(graph, directed=False)
    result: npt.NDArray[np.int64] = labels.astype(np.int64)
    return result


def _singletons_to_minus_one(labels: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Renumber components: clusters of two or more get 0, 1, ... by first member; others -1."""
    sizes = np.bincount(labels)
    big = sizes[labels] >= 2
    out = np.full(len(labels), -1, dtype=np.int64)
    if big.any():
        _, first_seen = np.unique(labels[big], return_index=True)
        order = np.argsort(first_seen)
        numbering = np.full(len(sizes), -1, dtype=np.int64)
        numbering[np.unique(labels[big])[order]] = np.arange(len(order))
        out[big] = numbering[labels[big]]
    return out


def cluster_arrays(
    texts: Sequence[str],
    members: Sequence[str],
    days: Sequence[int | None],
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.float64], Corpus]:
    """Cluster label per text (-1 when alone), whether its cluster is mainly near-duplicates,
    each text's similarity to its cluster's first member, and the corpus (for labels)."""
    settings = settings or Settings()
    size = len(texts)
    corpus = build_corpus(texts, progress)
    signatures = minhash(corpus, settings, progress)
    valid = np.diff(corpus.starts) > 0
    dup_left, dup_right, _ = duplicate_links(signatures, settings, valid, progress)
    duplicate_groups = _components(size, dup_left, dup_right)
    _, representatives = np.unique(duplicate_groups, return_index=True)
    member_codes: dict[str, int] = {}
    member_ids = np.array([member_codes.setdefault(m, len(member_codes)) for m in members])
    known = np.array([d is not None for d in days], dtype=bool)
    day_values = np.array([d if d is not None else 0 for d in days], dtype=np.int64)
    items = np.sort(representatives[known[representatives] & valid[representatives]])
    inc_left, inc_right = incident_links(
        corpus, items.astype(np.int64), member_ids, day_values, settings, progress
    )
    left = np.concatenate([dup_left, inc_left])
    right = np.concatenate([dup_right, inc_right])
    labels = _singletons_to_minus_one(_components(size, left, right))
    # A cluster is "duplicate" when most of its members sit in one near-duplicate group.
    clustered = np.flatnonzero(labels >= 0)
    duplicate_kind = np.zeros(int(labels.max()) + 1 if len(clustered) else 0, dtype=bool)
    similarity = np.zeros(size, dtype=np.float64)
    if len(clustered):
        cluster_sizes = np.bincount(labels[clustered])
        pair_key = labels[clustered] * np.int64(size + 1) + duplicate_groups[clustered]
        unique_pairs, pair_counts = np.unique(pair_key, return_counts=True)
        largest = np.zeros(len(cluster_sizes), dtype=np.int64)
        np.maximum.at(largest, unique_pairs // np.int64(size + 1), pair_counts)
        duplicate_kind = largest * 2 > cluster_sizes
        first = np.full(len(cluster_sizes), -1, dtype=np.int64)
        order = clustered[::-1]
        first[labels[order]] = order
        heads = first[labels[clustered]]
        similarity[clustered] = _estimated_jaccard(signatures, heads, clustered)
    return labels, duplicate_kind, similarity, corpus


LABEL_WORDS = 5
"""How many words name a cluster."""


def cluster_label(
    corpus: Corpus,
    members: npt.NDArray[np.int64],
    frequency: npt.NDArray[np.int64],
    words: Sequence[str],
) -> str:
    """The words most typical of a cluster: frequent among its members (in at least half of
    them) and rare outside it."""
    sample = members[:200]
    counts: dict[int, int] = {}
    for item in sample:
        for token in set(corpus.tokens[corpus.starts[item] : corpus.starts[item + 1]].tolist()):
            counts[token] = counts.get(token, 0) + 1
    scale = len(members) / len(sample)
    outside = max(corpus.size - len(members), 1)
    scored = []
    for token, count in counts.items():
        inside = count / len(sample)
        if inside < 0.5 or len(words[token]) < 2:
            continue
        elsewhere = max(float(frequency[token]) - count * scale, 0.0) / outside
        scored.append((elsewhere - inside, token))
    scored.sort()
    return " ".join(words[token] for _, token in scored[:LABEL_WORDS])


def cluster_grievances(
    items: Sequence[ClusterItem],
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
) -> Clustering:
    """Cluster ``items``: near-duplicate texts and same-incident complaints."""
    labels, duplicate_kind, similarity, corpus = cluster_arrays(
        [item.text for item in items],
        [item.member for item in items],
        [item.day for item in items],
        settings,
        progress,
    )
    clusters: list[ClusterInfo] = []
    if len(labels) and labels.max() >= 0:
        clustered = np.flatnonzero(labels >= 0)
        order = clustered[np.argsort(labels[clustered], kind="stable")]
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        frequency = np.bincount(
            sorted_unique(
                np.repeat(np.arange(corpus.size), np.diff(corpus.starts))
                * np.int64(len(corpus.vocabulary) + 1)
                + corpus.tokens
            )
            % np.int64(len(corpus.vocabulary) + 1),
            minlength=len(corpus.vocabulary) + 1,
        )
        words = [""] * len(corpus.vocabulary)
        for word, number in corpus.vocabulary.items():
            words[number] = word
        for index, group in enumerate(np.split(order, bounds)):
            clusters.append(
                ClusterInfo(
                    index=index,
                    kind="duplicate" if duplicate_kind[index] else "incident",
                    members=tuple(int(i) for i in group),
                    label=cluster_label(corpus, group, frequency, words),
                    similarity=tuple(round(float(similarity[i]), 3) for i in group),
                )
            )
    return Clustering(labels=[int(label) for label in labels], clusters=clusters)
