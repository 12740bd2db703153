"""Similarity of recommendations to the multilingual texts of a taxonomy's labels (zero-shot tagging).

Each label is embedded in Arabic, French and English ("name: description"); a recommendation's
score for a label is its best cosine over the three, so a label without training data still gets
sensible tags in any language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.embedding import Embedder

LANGUAGES = ("ar", "fr", "en")


class LabelSimilarity:
    """Cosine similarity between embeddings and a taxonomy's label texts (computed once)."""

    def __init__(self, labels: Sequence, embedder: Embedder) -> None:
        self.labels = list(labels)
        texts = [label.text(language) for language in LANGUAGES for label in self.labels]
        vectors = embedder.embed(texts)
        self.vectors_ = vectors.reshape(len(LANGUAGES), len(self.labels), -1)

    def scores(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, language index)``: best cosine per label over the label's three languages."""
        n_languages, n_labels, dim = self.vectors_.shape
        flat = np.asarray(embeddings, dtype=np.float32) @ self.vectors_.reshape(-1, dim).T
        sims = flat.reshape(len(flat), n_languages, n_labels)
        best, language = sims[:, 0].copy(), np.zeros((len(flat), n_labels), dtype=np.int64)
        for k in range(1, n_languages):  # the first best, as argmax gives it, without its strided pass
            better = sims[:, k] > best
            np.copyto(best, sims[:, k], where=better)
            language[better] = k
        return best, language


class GroupSimilarity:
    """Best cosine of embeddings to any text of a group of labels (a goal: its own text, its targets' and
    its indicators'), and which label gave it: a nearest-label-text classifier over the groups.

    Args:
        labels: labels of every group (any order); their texts are embedded in AR/FR/EN.
        group_of: the group code of each label, in order.
        groups: the group codes, in output order.
    """

    def __init__(self, labels: Sequence, group_of: Sequence[str], groups: Sequence[str], embedder: Embedder) -> None:
        order = sorted(range(len(labels)), key=lambda i: list(groups).index(group_of[i]))
        self.labels = [labels[i] for i in order]
        members = [group_of[i] for i in order]
        missing = [g for g in groups if g not in members]
        if missing:
            raise ValueError(f"groups without labels: {missing}")
        self.groups = list(groups)
        self.starts_ = np.array([members.index(g) for g in self.groups])
        self.similarity = LabelSimilarity(self.labels, embedder)

    def scores(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, label index)``: per group, the best cosine over its labels, and that label's index."""
        cosine, _ = self.similarity.scores(embeddings)
        return first_max_by_group(cosine, self.starts_)


def first_max_by_group(values: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row and per group of consecutive columns (group ``g`` from column ``starts[g]`` to the next
    start; none empty): the group's largest value and the column where it first occurs, as ``argmax``
    over each group would give it, in one pass over all groups."""
    best = np.maximum.reduceat(values, starts, axis=1)
    sizes = np.diff(np.append(starts, values.shape[1]))
    reaching = values >= np.repeat(best, sizes, axis=1)
    positions = np.where(reaching, np.arange(values.shape[1]), values.shape[1])
    return best, np.minimum.reduceat(positions, starts, axis=1)
