"""Labels from the nearest labelled examples: a recommendation takes the labels its closest
annotated neighbours share.

A label's vote is the similarity-weighted share of the ``k`` nearest examples that carry it (an
example at cosine ``low`` or below weighs nothing), scaled by how close the nearest example is
(0 at ``low``, full at ``high``): far neighbours say little even when they agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ExampleNeighbours:
    """The labelled examples' vectors and, for a batch of embeddings, their ``k`` nearest examples.

    The taggers of several taxonomies share one instance: the last batch's neighbours are kept, so
    a batch tagged for themes, persons and targets is compared with the examples once.
    """

    def __init__(
        self, vectors: np.ndarray, row_ids: Sequence[int], k: int = 10, low: float = 0.5, high: float = 0.8
    ) -> None:
        self.vectors_ = np.asarray(vectors, dtype=np.float32)
        self.row_ids = list(row_ids)
        self.k, self.low, self.high = k, low, high
        self.last_: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.vectors_)

    def nearest(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(order, cosine)``: the ``k`` nearest examples of each embedding, nearest first."""
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if self.last_ is not None and np.array_equal(self.last_[0], embeddings):
            return self.last_[1], self.last_[2]
        sims = embeddings @ self.vectors_.T
        k = min(self.k, sims.shape[1])
        order = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < sims.shape[1] else np.argsort(-sims, axis=1)
        near = np.take_along_axis(sims, order, axis=1)
        by_cosine = np.argsort(-near, axis=1)
        order, near = np.take_along_axis(order, by_cosine, axis=1), np.take_along_axis(near, by_cosine, axis=1)
        self.last_ = (embeddings.copy(), order, near)
        return order, near


class ExampleVotes:
    """Votes of labelled examples for the labels ``codes`` (one set of codes per example)."""

    def __init__(
        self, neighbours: ExampleNeighbours, example_labels: Sequence[Sequence[str]], codes: Sequence[str]
    ) -> None:
        self.neighbours = neighbours
        self.codes = list(codes)
        position = {code: j for j, code in enumerate(self.codes)}
        self.labels_ = np.zeros((len(example_labels), len(self.codes)), dtype=np.float32)
        for row, labels in enumerate(example_labels):
            for code in labels:
                if code in position:
                    self.labels_[row, position[code]] = 1.0

    def __len__(self) -> int:
        return len(self.neighbours)

    def scores(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(votes, order, cosine)``: the votes (``n × labels``), and each embedding's nearest
        examples with their cosines (``n × k``), for :meth:`reason`."""
        n = len(embeddings)
        if not len(self):
            empty = np.zeros((n, 0), dtype=np.float32)
            return np.zeros((n, len(self.codes)), dtype=np.float32), empty.astype(np.int64), empty
        order, near = self.neighbours.nearest(embeddings)
        low, high = self.neighbours.low, self.neighbours.high
        weights = np.clip(near - low, 0.0, None)
        share = np.einsum("nk,nkl->nl", weights, self.labels_[order]) / np.maximum(weights.sum(axis=1), 1e-6)[:, None]
        closeness = np.clip((near[:, 0] - low) / (high - low), 0.0, 1.0)
        return (share * closeness[:, None]).astype(np.float32), order, near

    def reason(self, order: np.ndarray, cosine: np.ndarray, label: int) -> str:
        """Why label ``label`` was voted for one embedding (``order``/``cosine``: its row of :meth:`scores`):
        the nearest example carrying it."""
        carrying = np.flatnonzero(self.labels_[order, label] > 0)
        if not len(carrying):
            return "like labelled examples"
        first = int(carrying[0])
        row_id = self.neighbours.row_ids[int(order[first])]
        return f"like labelled example UPR Info row {row_id} (cosine {float(cosine[first]):.2f})"


def weighted_votes(
    examples: ExampleVotes | None, embeddings: np.ndarray, weight: float, n_labels: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(votes × weight, order, cosine)`` as :meth:`ExampleVotes.scores` gives them, or zero votes
    (and no neighbours) when there are no examples or their weight is 0."""
    n = len(embeddings)
    if examples is None or not len(examples) or weight <= 0:
        empty = np.zeros((n, 0), dtype=np.float32)
        return np.zeros((n, n_labels), dtype=np.float32), empty.astype(np.int64), empty
    votes, order, cosine = examples.scores(embeddings)
    return votes * weight, order, cosine
