"""Duplicate clustering: one cluster per distinct commitment, across mechanisms and languages.

The clusterer works on embeddings already computed at import (never re-embeds):

1. texts identical after normalisation are collapsed first, so they always share a cluster;
2. a FAISS nearest-neighbour graph keeps the pairs whose similarity is at least ``threshold``: the
   cosine, less ``mismatch_penalty`` when the two texts' instrument signatures conflict
   (:func:`nlp.instruments.conflict`: CAT vs OP-CAT, abolition vs moratorium; a text that only
   names less of the same instrument does not conflict), plus ``cross_language_bonus`` across
   languages;
3. each connected component of that graph is split by agglomerative clustering, ``average``
   linkage by default: a cluster's members are on average at least ``threshold`` alike, so one
   paraphrase cannot chain two different commitments together the way plain connected components
   (``linkage="single"``) do. ``evaluation.dedup`` compares the linkages;
4. coordinator decisions are applied last: members that must stay together are joined, a member
   moved out of a cluster is kept apart from its former companions.

Example:
    >>> import numpy as np
    >>> vectors = np.array([[1, 0], [0.99, 0.14], [0, 1]], dtype="float32")
    >>> DuplicateClusterer(threshold=0.9).fit(vectors / np.linalg.norm(vectors, axis=1)[:, None]).labels_
    array([0, 0, 1])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import faiss
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from nlp.instruments import conflict

LINKAGES = ("average", "complete", "single")


class DuplicateClusterer:
    """Cluster L2-normalised embeddings into groups of duplicates (scikit-learn style).

    Args:
        threshold: cosine similarity at which two recommendations count as the same commitment.
        linkage: ``average`` (default), ``complete`` or ``single`` (connected components).
        n_neighbors: neighbours looked up per text when building the similarity graph.
        mismatch_penalty: subtracted from the similarity of two texts whose instrument signatures
            (:func:`nlp.instruments.signature`) conflict (:func:`nlp.instruments.conflict`; other
            signature values: differ), when signatures are given to :meth:`fit`.
        cross_language_bonus: added to the similarity of two texts in different languages, when
            languages are given to :meth:`fit`: a translation scores lower than a same-language
            paraphrase of the same commitment, and this evens the two out.
        max_component: largest group of connected texts clustered in one piece; larger ones are
            first split along their weakest links (bounded time and memory).
    """

    def __init__(
        self,
        threshold: float = 0.8,
        linkage: str = "average",
        n_neighbors: int = 50,
        mismatch_penalty: float = 0.0,
        cross_language_bonus: float = 0.0,
        max_component: int = 2000,
    ) -> None:
        self.threshold = threshold
        self.linkage = linkage
        self.n_neighbors = n_neighbors
        self.mismatch_penalty = mismatch_penalty
        self.cross_language_bonus = cross_language_bonus
        self.max_component = max_component

    def fit(
        self,
        embeddings: np.ndarray,
        keys: Sequence[str] | None = None,
        signatures: Sequence[frozenset[str]] | None = None,
        languages: Sequence[str] | None = None,
        must_link: Iterable[Sequence[int]] = (),
        cannot_link: Iterable[tuple[int, Sequence[int]]] = (),
    ) -> DuplicateClusterer:
        """Cluster ``embeddings`` (rows L2-normalised).

        Args:
            keys: matching keys (normalised texts); rows with equal keys always share a cluster.
            signatures: instrument signatures per row, for the mismatch penalty.
            languages: language per row, for the cross-language bonus.
            must_link: groups of row positions that must end in one cluster (confirmed or merged).
            cannot_link: ``(row, rows)`` pairs: ``row`` must not share a cluster with any of ``rows``.

        Sets ``labels_`` (cluster number per row, numbered by first appearance).
        """
        if self.linkage not in LINKAGES:
            raise ValueError(f"linkage must be one of {LINKAGES}, not {self.linkage!r}")
        embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
        n = len(embeddings)
        if n == 0:
            self.labels_ = np.zeros(0, dtype=np.int64)
            return self
        unique_of_row, unique_vectors = _collapse_identical(embeddings, keys)
        unique_signature, signature_values = _codes(
            unique_of_row, len(unique_vectors), signatures if self.mismatch_penalty else None
        )
        self._mismatch = _mismatch_matrix(signature_values)
        unique_language, _ = _codes(
            unique_of_row, len(unique_vectors), languages if self.cross_language_bonus else None
        )
        unique_labels = self._cluster_unique(unique_vectors, unique_signature, unique_language)
        labels = unique_labels[unique_of_row]
        labels = _apply_must_link(labels, must_link)
        labels = _apply_cannot_link(labels, cannot_link)
        self.labels_ = _renumber(labels)
        return self

    def _adjust(self, sims: np.ndarray, signature_a, signature_b, language_a, language_b) -> np.ndarray:
        """Similarity less the signature-mismatch penalty, plus the cross-language bonus."""
        return (
            sims
            - self.mismatch_penalty * self._mismatch[signature_a, signature_b]
            + self.cross_language_bonus * (language_a != language_b)
        )

    def _cluster_unique(self, vectors: np.ndarray, signature: np.ndarray, language: np.ndarray) -> np.ndarray:
        n = len(vectors)

        def adjust(sims, a, b):
            return self._adjust(sims, signature[a], signature[b], language[a], language[b])

        graph = _similarity_graph(vectors, self.threshold, min(self.n_neighbors, n), self.cross_language_bonus, adjust)
        if self.linkage == "single":
            return connected_components(graph, directed=False)[1].astype(np.int64)
        labels = np.empty(n, dtype=np.int64)
        next_label = 0
        for members in _bounded_components(graph, self.max_component):
            if len(members) == 1:
                labels[members] = next_label
                next_label += 1
                continue
            sims = self._adjust(
                vectors[members] @ vectors[members].T,
                signature[members][:, None],
                signature[members][None, :],
                language[members][:, None],
                language[members][None, :],
            )
            distances = np.clip(1.0 - sims[np.triu_indices(len(members), k=1)], 0.0, 2.0)
            tree = linkage(distances, method=self.linkage)
            local = fcluster(tree, t=1.0 - self.threshold, criterion="distance")
            labels[members] = local - 1 + next_label
            next_label += int(local.max())
        return labels


def _bounded_components(graph, max_size: int) -> list[np.ndarray]:
    """Connected components of ``graph``; one larger than ``max_size`` is split by dropping its
    weakest edges (raising the similarity bar step by step) until every piece fits.

    Linkage then runs on each piece with a dense matrix, so time and memory stay bounded however
    large a chain of loosely similar texts grows (a component of 40,000 texts would need 6 GB).
    """
    pieces: list[np.ndarray] = []
    pending = [(np.arange(graph.shape[0]), graph)]
    while pending:
        nodes, subgraph = pending.pop()
        count, component = connected_components(subgraph, directed=False)
        order = np.argsort(component, kind="stable")
        for members in np.split(order, np.flatnonzero(np.diff(component[order])) + 1):
            if len(members) <= max_size:
                pieces.append(nodes[members])
                continue
            inner = subgraph[members][:, members].tocoo()
            if inner.nnz == 0:
                pieces.extend(nodes[members][:, None])
                continue
            bar = np.quantile(inner.data, 0.25)  # drop the weakest quarter of the edges, then look again
            keep = inner.data > bar
            pruned = coo_matrix((inner.data[keep], (inner.row[keep], inner.col[keep])), shape=inner.shape).tocsr()
            pending.append((nodes[members], pruned))
    return pieces


def _collapse_identical(embeddings: np.ndarray, keys: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Map each row to one unique key; the unique vector is the normalised mean of its rows."""
    if keys is None:
        return np.arange(len(embeddings)), embeddings
    if len(keys) != len(embeddings):
        raise ValueError(f"{len(keys)} keys for {len(embeddings)} embeddings")
    position: dict[str, int] = {}
    unique_of_row = np.array([position.setdefault(key, len(position)) for key in keys], dtype=np.int64)
    sums = np.zeros((len(position), embeddings.shape[1]), dtype=np.float32)
    np.add.at(sums, unique_of_row, embeddings)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return unique_of_row, sums / norms


def _codes(unique_of_row: np.ndarray, n_unique: int, values: Sequence | None) -> tuple[np.ndarray, list]:
    """An integer code per unique text for a per-row attribute (all zeros when not given), and the
    distinct values in code order."""
    codes = np.zeros(n_unique, dtype=np.int64)
    seen: dict = {}
    if values is not None:
        for row, unique in enumerate(unique_of_row):
            codes[unique] = seen.setdefault(values[row], len(seen))
    return codes, list(seen) or [None]


def _mismatch_matrix(values: list) -> np.ndarray:
    """1.0 where two signatures name different commitments (:func:`nlp.instruments.conflict` for
    sets of codes, inequality for anything else), else 0.0; indexed by signature code."""
    matrix = np.zeros((len(values), len(values)), dtype=np.float32)
    for i, a in enumerate(values):
        for j in range(i + 1, len(values)):
            b = values[j]
            differ = conflict(a, b) if isinstance(a, frozenset) and isinstance(b, frozenset) else a != b
            matrix[i, j] = matrix[j, i] = float(differ)
    return matrix


def _similarity_graph(vectors: np.ndarray, threshold: float, k: int, max_bonus: float, adjust):
    """Sparse graph of the nearest-neighbour pairs whose adjusted similarity reaches ``threshold``."""
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    scores, neighbours = index.search(vectors, k)
    rows = np.repeat(np.arange(len(vectors)), k)
    columns = np.maximum(neighbours.ravel(), 0)
    candidate = (scores.ravel() >= threshold - max_bonus) & (neighbours.ravel() >= 0)
    adjusted = adjust(scores.ravel(), rows, columns)
    keep = candidate & (adjusted >= threshold)
    n = len(vectors)
    # self-pairs carry no information; the data is the adjusted similarity (used to split big components)
    keep &= rows != columns
    return coo_matrix((adjusted[keep], (rows[keep], columns[keep])), shape=(n, n)).tocsr()


def _apply_must_link(labels: np.ndarray, groups: Iterable[Sequence[int]]) -> np.ndarray:
    labels = labels.copy()
    for group in groups:
        group = [row for row in group if 0 <= row < len(labels)]
        if len(group) < 2:
            continue
        target = labels[group[0]]
        for other in {int(labels[row]) for row in group[1:]} - {int(target)}:
            labels[labels == other] = target
    return labels


def _apply_cannot_link(labels: np.ndarray, pairs: Iterable[tuple[int, Sequence[int]]]) -> np.ndarray:
    labels = labels.copy()
    next_label = int(labels.max()) + 1 if len(labels) else 0
    for row, others in pairs:
        if any(labels[row] == labels[other] for other in others if other != row):
            labels[row] = next_label
            next_label += 1
    return labels


def _renumber(labels: np.ndarray) -> np.ndarray:
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse]


def cohesion(vectors: np.ndarray) -> float:
    """Mean pairwise cosine of a cluster's (unit) vectors; 1.0 for a single member."""
    n = len(vectors)
    if n < 2:
        return 1.0
    total = vectors.sum(axis=0)
    return float((total @ total - n) / (n * (n - 1)))


def representative(vectors: np.ndarray, languages: Sequence[str] | None = None, prefer: str | None = None) -> int:
    """Position of the member closest to the centroid, among members in ``prefer`` when any."""
    candidates = np.arange(len(vectors))
    if prefer and languages is not None:
        in_language = np.array([lang == prefer for lang in languages])
        if in_language.any():
            candidates = candidates[in_language]
    centroid = vectors.mean(axis=0)
    return int(candidates[np.argmax(vectors[candidates] @ centroid)])
