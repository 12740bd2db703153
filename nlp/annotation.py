"""Tags and responsible bodies of embedded recommendations, in one step (at import, or for free text).

Either part is optional: without a tagger no tags are produced (and the ministry mapper works from
keywords, mandates and past decisions alone); without a mapper no bodies are proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.tagging.tags import Tag


@dataclass(frozen=True, slots=True)
class Annotation:
    tags: dict[str, list[Tag]] = field(default_factory=dict)
    #: a :class:`nlp.ministries.Assignment`, or None without a mapper
    assignment: object | None = None

    def bodies(self) -> list[tuple[str, str, float, str]]:
        """The proposed bodies as ``(body_id, role, score, reason)`` rows, lead first, then the supporting
        bodies, then the alternatives for the lead (:attr:`nlp.ministries.Assignment.alternatives`)."""
        if self.assignment is None:
            return []
        lead = self.assignment.lead
        rows = [(lead.id, "lead", lead.score, lead.reason)]
        rows += [(s.id, "supporting", s.score, s.reason) for s in self.assignment.supporting]
        return rows + [(s.id, "alternative", s.score, s.reason) for s in self.assignment.alternatives]


def annotate(
    vectors: np.ndarray, texts: Sequence[str], languages: Sequence[str], tagger=None, mapper=None
) -> list[Annotation]:
    """Tags (with a :class:`RecommendationTagger`) and bodies (with a :class:`MinistryMapper`) of each text."""
    n = len(texts)
    if n == 0:
        return []
    tags: list[dict[str, list[Tag]]] = [{} for _ in texts]
    probabilities = None
    if tagger is not None:  # the issue probabilities feed both the tags and the mapper's rules: computed once
        probabilities = tagger.issues.probabilities(vectors, languages)
        tags = tagger.tag(vectors, languages, texts, probabilities)
    if mapper is None:
        return [Annotation(t) for t in tags]
    if probabilities is None:
        probabilities = np.zeros((n, mapper.issue_matrix_.shape[0]), dtype=np.float32)
    assignments = mapper.assign(vectors, list(texts), probabilities, tags, languages)
    return [Annotation(t, a) for t, a in zip(tags, assignments, strict=True)]
