"""Tags from a crosswalk (codes of one taxonomy pointing to another) combined with label similarity.

Used for UHRI themes and affected persons (from the UPR Info issue probabilities) and for SDG
targets (from the themes). A label's score is the noisy-or of its crosswalk evidence and its
calibrated similarity to the recommendation; each tag says which of the two produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.tagging.label_similarity import LANGUAGES, LabelSimilarity
from nlp.tagging.tags import Tag, best_first


@dataclass(frozen=True, slots=True)
class Calibration:
    """Maps a cosine to [0, 1] linearly between ``low`` and ``high``; tags need ``min_score``."""

    low: float = 0.25
    high: float = 0.55
    min_score: float = 0.5
    crosswalk_weight: float = 0.9
    max_tags: int = 4

    def similarity_score(self, cosine: np.ndarray) -> np.ndarray:
        return np.clip((cosine - self.low) / (self.high - self.low), 0.0, 1.0)


class CrosswalkTagger:
    """Label tags from source-label scores passed through a crosswalk, and from label similarity.

    Args:
        labels: the target taxonomy's labels.
        crosswalk: for each source label (in order), the target codes it points to.
        source_names: display names of the source labels (for reasons).
        similarity: label-text similarity for the target taxonomy (``None``: crosswalk only).
    """

    def __init__(
        self,
        labels: Sequence,
        crosswalk: Sequence[Sequence[str]],
        source_names: Sequence[str],
        similarity: LabelSimilarity | None,
        calibration: Calibration = Calibration(),
    ) -> None:
        self.labels = list(labels)
        position = {label.code: i for i, label in enumerate(self.labels)}
        self.matrix_ = np.zeros((len(crosswalk), len(self.labels)), dtype=np.float32)
        for source, targets in enumerate(crosswalk):
            for code in targets:
                self.matrix_[source, position[code]] = 1.0
        self.source_names = list(source_names)
        self.similarity = similarity
        self.calibration = calibration

    def scores(self, source_scores: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        """Combined score of every label for every recommendation (``n × labels``)."""
        return self.evidence(source_scores, embeddings)[0]

    def evidence(self, source_scores: np.ndarray, embeddings: np.ndarray) -> tuple:
        """Combined scores and what produced them; pass it to :meth:`tags` to avoid computing it twice."""
        weighted = source_scores[:, :, None] * self.matrix_[None, :, :]  # n × sources × labels
        crosswalk_score = weighted.max(axis=1) * self.calibration.crosswalk_weight
        crosswalk_source = weighted.argmax(axis=1)
        if self.similarity is not None:
            cosine, nearest_language = self.similarity.scores(embeddings)
            similarity_score = self.calibration.similarity_score(cosine)
        else:
            cosine = nearest_language = similarity_score = np.zeros_like(crosswalk_score)
        combined = 1.0 - (1.0 - crosswalk_score) * (1.0 - similarity_score)
        return combined, crosswalk_score, crosswalk_source, similarity_score, cosine, nearest_language

    def tags(
        self, source_scores: np.ndarray, embeddings: np.ndarray, languages: Sequence[str], evidence: tuple | None = None
    ) -> list[list[Tag]]:
        """Tags per recommendation from its source-label scores and its embedding (``evidence``: as
        returned by :meth:`evidence`, when the caller has it already)."""
        evidence = evidence or self.evidence(source_scores, embeddings)
        combined, crosswalk_score, crosswalk_source, similarity_score, cosine, nearest_language = evidence
        out = []
        for row, language in enumerate(languages):
            chosen = []
            for j in np.flatnonzero(combined[row] >= self.calibration.min_score):
                label = self.labels[j]
                if crosswalk_score[row, j] >= similarity_score[row, j]:
                    source = self.source_names[crosswalk_source[row, j]]
                    reason = f"crosswalk: {source!r} ({source_scores[row, crosswalk_source[row, j]]:.2f})"
                else:
                    shown = LANGUAGES[int(nearest_language[row, j])]
                    reason = f"similar to the label text ({shown}, cosine {cosine[row, j]:.2f})"
                chosen.append(Tag(label.code, label.name(language), float(combined[row, j]), reason))
            out.append(best_first(chosen, self.calibration.max_tags))
        return out
