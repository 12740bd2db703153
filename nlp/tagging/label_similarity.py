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
        return sims.max(axis=1), sims.argmax(axis=1)
