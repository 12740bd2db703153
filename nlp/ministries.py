"""Who must act: the lead body and up to three supporting bodies for each recommendation.

The mapper combines four kinds of evidence about each body of a country's directory:

- rules: the body's UPR Info issues (the issue head's probabilities), UHRI themes and SDG targets
  (the tags' scores), and keywords in any language found in the text;
- its mandate: similarity of the recommendation to the mandate's AR/FR/EN texts;
- past decisions: the nearest recommendations a coordinator has already assigned (corrections and
  confirmed assignments weigh most: they are added at once and never overwritten).

Each proposed body comes with its score and the reason that drove it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.embedding import Embedder
from nlp.tagging.label_similarity import LabelSimilarity
from nlp.tagging.tags import Tag
from nlp.text import normalize_for_matching


@dataclass(frozen=True, slots=True)
class MapperWeights:
    rules: float = 1.0
    mandate: float = 1.0
    memory: float = 2.0
    #: a body is proposed as supporting when its score reaches this share of the lead's
    supporting_share: float = 0.6
    #: cosine below which a past decision tells nothing about a new recommendation
    memory_min_cosine: float = 0.55
    mandate_low: float = 0.15
    mandate_high: float = 0.45
    #: keyword evidence for a one-word phrase; longer phrases and further phrases add to it
    keyword_base: float = 1.0


@dataclass(frozen=True, slots=True)
class BodyScore:
    id: str
    score: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "score": round(self.score, 4), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Assignment:
    lead: BodyScore
    supporting: list[BodyScore] = field(default_factory=list)
    ranking: list[BodyScore] = field(default_factory=list)


class MinistryMapper:
    """Proposes lead and supporting bodies from a :class:`corpora.ministries.Directory`."""

    def __init__(
        self, directory, embedder: Embedder, issue_labels: Sequence[str], weights: MapperWeights = MapperWeights()
    ) -> None:
        self.directory = directory
        self.bodies = list(directory)
        self.weights = weights
        self.ids = [body.id for body in self.bodies]
        self.mandates_ = LabelSimilarity(self.bodies, embedder)
        issue_index = {label: i for i, label in enumerate(issue_labels)}
        self.issue_matrix_ = np.zeros((len(issue_labels), len(self.bodies)), dtype=np.float32)
        for b, body in enumerate(self.bodies):
            for issue in body.upr_issues:
                if issue in issue_index:
                    self.issue_matrix_[issue_index[issue], b] = 1.0
        self.keyword_patterns_ = [_keyword_pattern(body) for body in self.bodies]
        self.memory_vectors_ = np.zeros((0, self.mandates_.vectors_.shape[2]), dtype=np.float32)
        self.memory_votes_ = np.zeros((0, len(self.bodies)), dtype=np.float32)

    def remember(self, vectors: np.ndarray, leads: Sequence[str], supporting: Sequence[Sequence[str]]) -> None:
        """Add coordinator decisions (used at once for similar recommendations)."""
        position = {body_id: b for b, body_id in enumerate(self.ids)}
        votes = np.zeros((len(leads), len(self.bodies)), dtype=np.float32)
        for row, (lead, others) in enumerate(zip(leads, supporting, strict=True)):
            votes[row, position[lead]] = 1.0
            for other in others:
                votes[row, position[other]] = max(votes[row, position[other]], 0.5)
        self.memory_vectors_ = np.concatenate([self.memory_vectors_, np.asarray(vectors, dtype=np.float32)])
        self.memory_votes_ = np.concatenate([self.memory_votes_, votes])

    def assign(
        self,
        embeddings: np.ndarray,
        texts: Sequence[str],
        issue_probabilities: np.ndarray,
        tags: Sequence[dict[str, list[Tag]]],
    ) -> list[Assignment]:
        w = self.weights
        cosine, _ = self.mandates_.scores(embeddings)
        mandate = np.clip((cosine - w.mandate_low) / (w.mandate_high - w.mandate_low), 0.0, 1.0)
        issue_rule = (issue_probabilities[:, :, None] * self.issue_matrix_[None]).max(axis=1)
        memory, memory_reason = self._memory(embeddings)
        out = []
        for row, text in enumerate(texts):
            normalised = normalize_for_matching(text)
            scored = []
            for b, body in enumerate(self.bodies):
                rule, rule_reason = float(issue_rule[row, b]), "UPR Info issue rule"
                for kind, codes in (("themes", body.themes), ("sdg_targets", body.sdg_targets)):
                    for tag in tags[row].get(kind, []):
                        if tag.code in codes and tag.score > rule:
                            rule, rule_reason = tag.score, f"{kind[:-1].replace('_', ' ')} {tag.code} rule"
                keyword, phrase = _keyword_score(self.keyword_patterns_[b], normalised, w.keyword_base)
                if keyword > rule:
                    rule, rule_reason = keyword, f"keyword '{phrase}'"
                parts = {
                    rule_reason: w.rules * rule,
                    f"mandate (cosine {cosine[row, b]:.2f})": w.mandate * float(mandate[row, b]),
                    memory_reason[row][b]: w.memory * float(memory[row, b]),
                }
                total = sum(parts.values())
                scored.append(BodyScore(body.id, total / (w.rules + w.mandate + w.memory), max(parts, key=parts.get)))
            ranking = sorted(scored, key=lambda s: (-s.score, s.id))
            lead = ranking[0]
            supporting = [s for s in ranking[1:4] if s.score >= w.supporting_share * lead.score]
            out.append(Assignment(lead, supporting, ranking))
        return out

    def _memory(self, embeddings: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
        n, b = len(embeddings), len(self.bodies)
        if not len(self.memory_vectors_):
            return np.zeros((n, b), dtype=np.float32), [["no past decision"] * b for _ in range(n)]
        sims = embeddings @ self.memory_vectors_.T
        k = min(5, sims.shape[1])
        nearest = np.argsort(-sims, axis=1)[:, :k]
        scores = np.zeros((n, b), dtype=np.float32)
        reasons = []
        for row in range(n):
            weights = np.clip(sims[row, nearest[row]] - self.weights.memory_min_cosine, 0.0, None)
            if weights.sum() > 0:
                scores[row] = (weights[:, None] * self.memory_votes_[nearest[row]]).sum(0) / weights.sum()
                scores[row] *= min(1.0, float(sims[row, nearest[row][0]]) / 0.85)
            best = float(sims[row, nearest[row][0]])
            reasons.append([f"past decision on a similar recommendation (cosine {best:.2f})"] * b)
        return scores, reasons


def _keyword_score(pattern: re.Pattern[str] | None, text: str, base: float) -> tuple[float, str]:
    """Keyword evidence: a longer phrase says more than one word ('Family Code' over 'family'),
    and each further distinct phrase adds a little; 0 when nothing matches."""
    if pattern is None:
        return 0.0, ""
    hits = {match.group(0) for match in pattern.finditer(text)}
    if not hits:
        return 0.0, ""
    longest = max(hits, key=lambda phrase: (len(phrase.split()), len(phrase)))
    score = base + 0.3 * (len(longest.split()) - 1) + 0.15 * (len(hits) - 1)
    return min(1.0, score), longest


def _keyword_pattern(body) -> re.Pattern[str] | None:
    phrases = {normalize_for_matching(p) for words in body.keywords.values() for p in words if p.strip()}
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
