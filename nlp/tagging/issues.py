"""UPR Info issues from the supervised head (see :mod:`nlp.tagging.supervised`), trained on English
texts: French and Arabic vectors are turned towards English first when a language alignment is given
(:mod:`nlp.language_alignment`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.language_alignment import LanguageAlignment
from nlp.tagging.supervised import MultiLabelHead
from nlp.tagging.tags import Tag, best_first


class UprIssueTagger:
    """Tags each embedding with the issues whose probability reaches the label's tuned threshold."""

    def __init__(self, head: MultiLabelHead, labels: list, alignment: LanguageAlignment | None = None) -> None:
        self.head = head
        self.labels = labels
        self.alignment = alignment

    def probabilities(self, embeddings: np.ndarray, languages: Sequence[str | None] | None = None) -> np.ndarray:
        """Each label's probability per embedding; with the texts' ``languages``, French and Arabic ones
        are read through the alignment (without them, every vector is read as English)."""
        if self.alignment is not None:
            embeddings = self.alignment.to_english(embeddings, languages)
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
