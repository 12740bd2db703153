"""Tags from a crosswalk (codes of one taxonomy pointing to another), phrase rules and label similarity.

Used for UHRI themes and affected persons (from the UPR Info issue probabilities) and for SDG
targets (from the themes). A label's score is the noisy-or of three or four pieces of evidence:

- the crosswalk: the score of a source label that points to it. When a source points to several
  labels ("Women's rights" → discrimination, violence, advancement, participation), the source's
  score goes in full to the label most similar to the text and decays for the others with their
  cosine gap to it (``Calibration.spread``): the source says which area, the label texts which
  labels of that area;
- phrase rules: the text names the label outright (a treaty, "child marriage", "legislation");
- the calibrated similarity of the text to the label's AR/FR/EN texts;
- optionally, the votes of the nearest labelled examples (:class:`nlp.tagging.example_votes.ExampleVotes`),
  times ``Calibration.example_weight``.

Each tag says which of them produced most of its score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nlp.tagging.example_votes import ExampleVotes, weighted_votes
from nlp.tagging.label_similarity import LANGUAGES, LabelSimilarity
from nlp.tagging.rules import PhraseRules
from nlp.tagging.tags import Tag


@dataclass(frozen=True, slots=True)
class Calibration:
    """How evidence becomes a score, and which scores become tags.

    ``low``/``high``: cosines mapped linearly to 0 and 1; ``crosswalk_weight`` and ``rule_weight``:
    the score a certain source label or a matched phrase gives; ``spread``: cosine gap over which a
    source's score decays between its labels (``0``: every label gets it in full);
    ``order_decay``: factor per position down a source's list of labels, when the crosswalk lists
    the most typical first (``1``: all alike); tags need ``min_score`` and at most ``max_tags`` are
    kept.
    """

    low: float = 0.25
    high: float = 0.55
    min_score: float = 0.5
    crosswalk_weight: float = 0.9
    max_tags: int = 4
    spread: float = 0.0
    rule_weight: float = 0.9
    order_decay: float = 1.0
    #: the score full agreement of the nearest labelled examples gives (0: examples not used)
    example_weight: float = 0.0

    def similarity_score(self, cosine: np.ndarray) -> np.ndarray:
        return np.clip((cosine - self.low) / (self.high - self.low), 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Combined scores and what produced them (each ``n × labels``)."""

    combined: np.ndarray
    crosswalk: np.ndarray
    #: the score each crosswalk link passes on (``n × links``), to name the source in reasons
    crosswalk_links: np.ndarray
    rules: np.ndarray
    rule_phrases: list[dict[int, str]]
    similarity: np.ndarray
    cosine: np.ndarray
    nearest_language: np.ndarray
    #: the labelled examples' votes times their weight (zero without examples), and each row's
    #: nearest examples with their cosines (``n × k``, for the reasons)
    examples: np.ndarray
    example_order: np.ndarray
    example_cosine: np.ndarray

    def without_rules(self) -> np.ndarray:
        """The score from the crosswalk, the similarity and the examples (the phrase rules left out)."""
        return 1.0 - (1.0 - self.crosswalk) * (1.0 - self.similarity) * (1.0 - self.examples)


class CrosswalkTagger:
    """Label tags from source-label scores passed through a crosswalk, phrase rules and label similarity.

    Args:
        labels: the target taxonomy's labels.
        crosswalk: for each source label (in order), the target codes it points to.
        source_names: display names of the source labels (for reasons).
        similarity: label-text similarity for the target taxonomy (``None``: no similarity evidence).
        rules: phrase rules whose codes are label codes, or keys of ``rule_targets``.
        rule_targets: rule code → the label codes it gives (default: the label of the same code).
        examples: labelled examples voting for the labels (used when ``calibration.example_weight`` > 0).
    """

    def __init__(
        self,
        labels: Sequence,
        crosswalk: Sequence[Sequence[str]],
        source_names: Sequence[str],
        similarity: LabelSimilarity | None,
        calibration: Calibration = Calibration(),
        rules: PhraseRules | None = None,
        rule_targets: Mapping[str, Sequence[str]] | None = None,
        examples: ExampleVotes | None = None,
    ) -> None:
        self.labels = list(labels)
        self.examples = examples
        self.position_ = {label.code: i for i, label in enumerate(self.labels)}
        #: each label's place in the order of codes (the last tie-break between tags)
        self.code_rank_ = np.argsort(np.argsort([label.code for label in self.labels], kind="stable"))
        self.matrix_ = np.zeros((len(crosswalk), len(self.labels)), dtype=np.float32)
        for source, targets in enumerate(crosswalk):
            for rank, code in enumerate(targets):
                self.matrix_[source, self.position_[code]] = max(
                    self.matrix_[source, self.position_[code]], calibration.order_decay**rank
                )
        # the crosswalk as links (source, label, weight), sorted by source, and where each label's links are
        self.link_source_, self.link_label_ = np.nonzero(self.matrix_)
        self.link_weight_ = self.matrix_[self.link_source_, self.link_label_]
        sources, self.source_start_ = np.unique(self.link_source_, return_index=True)
        self.link_group_ = np.searchsorted(sources, self.link_source_)
        self.by_label_order_ = np.argsort(self.link_label_, kind="stable")
        self.linked_labels_, self.label_start_ = np.unique(self.link_label_[self.by_label_order_], return_index=True)
        # each label's links, padded with -1 (labels × most links of a label), to name a tag's source
        links_of = [np.flatnonzero(self.link_label_ == j) for j in range(len(self.labels))]
        self.label_links_ = np.full((len(self.labels), max(map(len, links_of), default=0)), -1, dtype=np.int64)
        for j, links in enumerate(links_of):
            self.label_links_[j, : len(links)] = links
        self.source_names = list(source_names)
        self.similarity = similarity
        self.calibration = calibration
        self.rules = rules
        self.rule_targets = {code: list(targets) for code, targets in (rule_targets or {}).items()}
        for code, targets in self.rule_targets.items():
            unknown = [t for t in targets if t not in self.position_]
            if unknown:
                raise ValueError(f"rule {code!r} gives unknown labels {unknown}")

    def scores(
        self, source_scores: np.ndarray, embeddings: np.ndarray, texts: Sequence[str] | None = None
    ) -> np.ndarray:
        """Combined score of every label for every recommendation (``n × labels``)."""
        return self.evidence(source_scores, embeddings, texts).combined

    def _rule_hits(self, texts: Sequence[str] | None, n: int) -> tuple[np.ndarray, list[dict[int, str]]]:
        hits = np.zeros((n, len(self.labels)), dtype=np.float32)
        phrases: list[dict[int, str]] = [{} for _ in range(n)]
        if self.rules is None or texts is None:
            return hits, phrases
        for row, text in enumerate(texts):
            for code, phrase in self.rules.find(text):
                for target in self.rule_targets.get(code, [code] if code in self.position_ else []):
                    j = self.position_[target]
                    hits[row, j] = 1.0
                    phrases[row].setdefault(j, phrase)
        return hits, phrases

    def evidence(
        self, source_scores: np.ndarray, embeddings: np.ndarray, texts: Sequence[str] | None = None
    ) -> Evidence:
        """All evidence per label; pass it to :meth:`tags` to avoid computing it twice.

        ``texts`` (optional) are what the phrase rules read; without them only the crosswalk and
        the similarity count.
        """
        n = len(source_scores)
        if self.similarity is not None:
            cosine, nearest_language = self.similarity.scores(embeddings)
            similarity_score = self.calibration.similarity_score(cosine)
        else:
            cosine = nearest_language = similarity_score = np.zeros((n, len(self.labels)), dtype=np.float32)
        weighted = np.zeros((n, len(self.link_label_)), dtype=np.float32)  # what each link passes on
        crosswalk_score = np.zeros((n, len(self.labels)), dtype=np.float32)
        if len(self.link_label_):
            share = np.broadcast_to(self.link_weight_, weighted.shape)
            if self.calibration.spread > 0 and self.similarity is not None:
                linked_cosine = cosine[:, self.link_label_]
                closest = np.maximum.reduceat(linked_cosine, self.source_start_, axis=1)[:, self.link_group_]
                share = self.link_weight_ * np.exp((linked_cosine - closest) / self.calibration.spread)
            weighted = source_scores[:, self.link_source_] * share
            best = np.maximum.reduceat(weighted[:, self.by_label_order_], self.label_start_, axis=1)
            crosswalk_score[:, self.linked_labels_] = best * self.calibration.crosswalk_weight
        hits, phrases = self._rule_hits(texts, n)
        rule_score = hits * self.calibration.rule_weight
        votes, example_order, example_cosine = weighted_votes(
            self.examples, embeddings, self.calibration.example_weight, len(self.labels)
        )
        combined = 1.0 - (1.0 - crosswalk_score) * (1.0 - similarity_score) * (1.0 - rule_score) * (1.0 - votes)
        return Evidence(
            combined,
            crosswalk_score,
            weighted,
            rule_score,
            phrases,
            similarity_score,
            cosine,
            nearest_language,
            votes,
            example_order,
            example_cosine,
        )

    def tags(
        self,
        source_scores: np.ndarray,
        embeddings: np.ndarray,
        languages: Sequence[str],
        evidence: Evidence | None = None,
        texts: Sequence[str] | None = None,
    ) -> list[list[Tag]]:
        """Tags per recommendation (``evidence``: as returned by :meth:`evidence`, when the caller has it)."""
        e = evidence or self.evidence(source_scores, embeddings, texts)
        rows, columns = self._kept(e)
        sources = self._strongest_sources(e.crosswalk_links, rows, columns)
        pairs = (rows, columns)
        evidence_of_pairs = zip(
            rows.tolist(),
            columns.tolist(),
            sources.tolist(),
            e.combined[pairs].tolist(),
            e.crosswalk[pairs].tolist(),
            e.rules[pairs].tolist(),
            e.similarity[pairs].tolist(),
            e.examples[pairs].tolist(),
            strict=True,
        )
        out: list[list[Tag]] = [[] for _ in languages]
        for row, j, source, combined, crosswalk, rules, similarity, examples in evidence_of_pairs:
            label = self.labels[j]
            strongest = max(crosswalk, rules, similarity, examples)
            if examples > 0 and examples == strongest:
                reason = self.examples.reason(e.example_order[row], e.example_cosine[row], j)
            elif rules > 0 and rules == strongest:
                reason = f"names {e.rule_phrases[row][j]!r}"
            elif crosswalk > 0 and crosswalk == strongest:
                reason = f"crosswalk: {self.source_names[source]!r} ({source_scores[row, source]:.2f})"
            else:
                shown = LANGUAGES[int(e.nearest_language[row, j])]
                reason = f"similar to the label text ({shown}, cosine {e.cosine[row, j]:.2f})"
            out[row].append(Tag(label.code, label.name(languages[row]), combined, reason))
        return out

    def _kept(self, e: Evidence) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, labels)`` of the tags kept, row by row, best first: scores from ``min_score``, at
        most ``max_tags`` per row; equal scores (saturated evidence) ordered by closeness to the label
        text, then by code. Only the tags kept get a reason."""
        rows, columns = np.nonzero(e.combined >= self.calibration.min_score)
        order = np.lexsort((self.code_rank_[columns], -e.cosine[rows, columns], -e.combined[rows, columns], rows))
        rows, columns = rows[order], columns[order]
        first_of_row = np.searchsorted(rows, rows)  # rows are sorted: where each row's tags start
        keep = np.arange(len(rows)) - first_of_row < self.calibration.max_tags
        return rows[keep], columns[keep]

    def _strongest_sources(self, link_scores: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """For each ``(row, label)`` pair, the source label whose link passed on the most (0 without links)."""
        if not self.label_links_.shape[1]:
            return np.zeros(len(rows), dtype=np.int64)
        links = self.label_links_[columns]  # pairs × most links of a label
        passed = np.where(links >= 0, link_scores[rows[:, None], np.maximum(links, 0)], -np.inf)
        best = links[np.arange(len(rows)), passed.argmax(axis=1)]
        return self.link_source_[np.maximum(best, 0)]
