"""UPR Info issues from the supervised head (see :mod:`nlp.tagging.supervised`)."""

from __future__ import annotations

import numpy as np

from nlp.tagging.supervised import MultiLabelHead
from nlp.tagging.tags import Tag, best_first


class UprIssueTagger:
    """Tags each embedding with the issues whose probability reaches the label's tuned threshold."""

    def __init__(self, head: MultiLabelHead, labels: list, language: str = "en") -> None:
        self.head = head
        self.labels = labels
        self.language = language

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        return self.head.predict_proba(embeddings)

    def tags(self, probabilities: np.ndarray, language: str = "en") -> list[list[Tag]]:
        out = []
        for row in probabilities:
            chosen = [
                Tag(
                    label.code,
                    label.name(language),
                    float(p),
                    f"issue classifier: probability {p:.2f} ≥ tuned threshold {t:.2f}",
                )
                for label, p, t in zip(self.labels, row, self.head.thresholds_, strict=True)
                if p >= t
            ]
            out.append(best_first(chosen))
        return out
