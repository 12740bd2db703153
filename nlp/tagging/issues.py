"""UPR Info issues from the supervised head (see :mod:`nlp.tagging.supervised`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.tagging.supervised import MultiLabelHead
from nlp.tagging.tags import Tag, best_first


class UprIssueTagger:
    """Tags each embedding with the issues whose probability reaches the label's tuned threshold."""

    def __init__(self, head: MultiLabelHead, labels: list) -> None:
        self.head = head
        self.labels = labels

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        return self.head.predict_proba(embeddings)

    def tags(self, probabilities: np.ndarray, languages: Sequence[str]) -> list[list[Tag]]:
        """Tags per recommendation, label names in each recommendation's language."""
        thresholds = self.head.thresholds_
        rows, columns = np.nonzero(probabilities >= thresholds)
        starts = np.searchsorted(rows, np.arange(len(languages) + 1))
        out = []
        for row, language in enumerate(languages):
            chosen = []
            for j in columns[starts[row] : starts[row + 1]]:
                p, label = probabilities[row, j], self.labels[j]
                reason = f"issue classifier: probability {p:.2f} ≥ tuned threshold {thresholds[j]:.2f}"
                chosen.append(Tag(label.code, label.name(language), float(p), reason))
            out.append(best_first(chosen))
        return out
