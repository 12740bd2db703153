"""UPR Info issues from the supervised heads (see :mod:`nlp.tagging.supervised`).

The main head learnt on English texts. French and Arabic vectors are turned towards English first
when a language alignment is given (:mod:`nlp.language_alignment`), and read by a head of their own
when one is given: the same head learnt with our French and Arabic translations of training rows,
read through that alignment (``models/upr-issues-fr-ar``). Texts in the other languages, and all
texts when no languages are given, are read by the main head.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.language_alignment import LanguageAlignment
from nlp.tagging.supervised import MultiLabelHead
from nlp.tagging.tags import Tag, best_first


class UprIssueTagger:
    """Tags each embedding with the issues whose probability reaches the label's tuned threshold
    (the thresholds of the head that read it)."""

    def __init__(
        self,
        head: MultiLabelHead,
        labels: list,
        alignment: LanguageAlignment | None = None,
        translated_head: MultiLabelHead | None = None,
    ) -> None:
        if translated_head is not None and alignment is None:
            raise ValueError("a head for the aligned languages needs the language alignment it learnt through")
        self.head = head
        self.labels = labels
        self.alignment = alignment
        self.translated_head = translated_head

    def _translated(self, languages: Sequence[str | None] | None) -> np.ndarray | None:
        """Which rows the head of the aligned languages reads (None: none)."""
        if self.translated_head is None or languages is None:
            return None
        rows = np.isin(np.asarray(languages, dtype=object), list(self.alignment.maps))
        return rows if rows.any() else None

    def probabilities(self, embeddings: np.ndarray, languages: Sequence[str | None] | None = None) -> np.ndarray:
        """Each label's probability per embedding; with the texts' ``languages``, French and Arabic ones
        are read through the alignment and their own head (without them, every vector is read as English)."""
        if self.alignment is not None:
            embeddings = self.alignment.to_english(embeddings, languages)
        translated = self._translated(languages)
        if translated is None:
            return self.head.predict_proba(embeddings)
        out = np.empty((len(embeddings), len(self.labels)), dtype=np.float32)
        out[translated] = self.translated_head.predict_proba(embeddings[translated])
        if not translated.all():
            out[~translated] = self.head.predict_proba(embeddings[~translated])
        return out

    def thresholds(self, languages: Sequence[str | None] | None) -> np.ndarray:
        """Per row and label, the tuned threshold of the head that reads the row (``n × labels``, or one
        row for all when a single head reads them)."""
        translated = self._translated(languages)
        if translated is None:
            return self.head.thresholds_[None, :]
        return np.where(translated[:, None], self.translated_head.thresholds_, self.head.thresholds_)

    def tags(self, probabilities: np.ndarray, languages: Sequence[str]) -> list[list[Tag]]:
        """Tags per recommendation, label names in each recommendation's language."""
        thresholds = np.broadcast_to(self.thresholds(languages), probabilities.shape)
        rows, columns = np.nonzero(probabilities >= thresholds)
        starts = np.searchsorted(rows, np.arange(len(languages) + 1))
        out = []
        for row, language in enumerate(languages):
            chosen = []
            for j in columns[starts[row] : starts[row + 1]]:
                p, label, threshold = probabilities[row, j], self.labels[j], thresholds[row, j]
                reason = f"issue classifier: probability {p:.2f} ≥ tuned threshold {threshold:.2f}"
                chosen.append(Tag(label.code, label.name(language), float(p), reason))
            out.append(best_first(chosen))
        return out
