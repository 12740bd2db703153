"""Labels from the nearest labelled examples: a recommendation takes the labels its closest
annotated neighbours share.

A label's vote is the similarity-weighted share of the ``k`` nearest examples that carry it (an
example at cosine ``low`` or below weighs nothing), scaled by how close the nearest example is
(0 at ``low``, full at ``high``): far neighbours say little even when they agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ExampleVotes:
    """Votes of labelled examples for the labels ``codes`` (one set of codes per example)."""

    def __init__(
        self,
        vectors: np.ndarray,
        example_labels: Sequence[Sequence[str]],
        codes: Sequence[str],
        row_ids: Sequence[int],
        k: int = 10,
        low: float = 0.5,
        high: float = 0.8,
    ) -> None:
        self.vectors_ = np.asarray(vectors, dtype=np.float32)
        self.codes = list(codes)
        position = {code: j for j, code in enumerate(self.codes)}
        self.labels_ = np.zeros((len(example_labels), len(self.codes)), dtype=np.float32)
        for row, labels in enumerate(example_labels):
            for code in labels:
                if code in position:
                    self.labels_[row, position[code]] = 1.0
        self.row_ids = list(row_ids)
        self.k, self.low, self.high = k, low, high

    def __len__(self) -> int:
        return len(self.vectors_)

    def scores(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(votes, nearest example per label, its cosine)``, each ``n × labels``; the nearest
        example is the closest one carrying the label (its row id names it in a reason)."""
        n = len(embeddings)
        votes = np.zeros((n, len(self.codes)), dtype=np.float32)
        nearest = np.zeros((n, len(self.codes)), dtype=np.int64)
        nearest_cosine = np.zeros((n, len(self.codes)), dtype=np.float32)
        if not len(self):
            return votes, nearest, nearest_cosine
        sims = np.asarray(embeddings, dtype=np.float32) @ self.vectors_.T
        k = min(self.k, sims.shape[1])
        order = np.argsort(-sims, axis=1)[:, :k]
        near = np.take_along_axis(sims, order, axis=1)
        weights = np.clip(near - self.low, 0.0, None)
        carried = self.labels_[order]  # n × k × labels
        total = weights.sum(axis=1)
        share = (weights[:, :, None] * carried).sum(axis=1) / np.maximum(total, 1e-6)[:, None]
        closeness = np.clip((near[:, 0] - self.low) / (self.high - self.low), 0.0, 1.0)
        votes = (share * closeness[:, None]).astype(np.float32)
        first = np.where(carried > 0, np.arange(k)[None, :, None], k).min(axis=1)  # n × labels
        has = first < k
        first = np.minimum(first, k - 1)
        nearest = np.where(has, np.take_along_axis(order, first, axis=1), 0)
        nearest_cosine = np.where(has, np.take_along_axis(near, first, axis=1), 0.0).astype(np.float32)
        return votes, nearest, nearest_cosine

    def reason(self, nearest: int, cosine: float) -> str:
        return f"like labelled example UPR Info row {self.row_ids[nearest]} (cosine {cosine:.2f})"
