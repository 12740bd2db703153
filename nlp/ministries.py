"""Who must act: the lead body and up to three supporting bodies for each recommendation.

The mapper adds up five kinds of evidence about each body of a country's directory:

- keywords: the body's specific phrases (any language) found in the text; a longer phrase says more
  than one word, and a phrase in the operative opening ("Ratify…", "Amend the Penal Code…") says
  more than one further on, since the lead is the body that carries out the main action;
- rules: the body's UPR Info issues (the issue head's probabilities), UHRI themes and SDG targets
  (the tags' scores);
- its mandate: similarity of the recommendation to the mandate's AR/FR/EN texts;
- past decisions (:class:`nlp.decision_memory.DecisionMemory`): the recommendations a coordinator has already assigned;
  a decision on a near-identical text (cosine >= ``memory_same_cosine``) weighs as much as all the
  rest together, and one on a text of the same wording decides the lead and supporting bodies;
- example decisions shipped with the directory (``corpora.ministry_examples``): each body's probability
  of leading, from the country's lead classifier learnt on them and further decisions
  (:class:`nlp.lead_blend.BlendedLeadModel`: a kernel classifier on the embedding and a lexical one on
  the words, shipped under ``models/``), or without one from a logistic
  regression on their embeddings (and on the coordinators' decisions, when
  ``classifier_correction_weight`` is above 0; :class:`nlp.decision_memory.LeadClassifier`).

A body's involvement is that weighted sum. Its lead score is its involvement times the directory's
``lead_prior`` (below 1 for a body that seldom leads, such as Parliament beyond its own role); the body with the
best lead score leads. The other bodies follow as alternatives for the lead, ordered by their lead
score plus the lead classifier's probability (times the prior and ``alternatives_weight``): the
classifier alone ranks the runners-up better than the sum of evidence does. Supporting bodies are
the most involved other bodies, helped by the partners past decisions gave the lead and, when the
country has one, by the supporting-body classifier (:mod:`nlp.supporting_model`): how likely each body
is to support this lead on this text.

Each proposed body comes with its score and the reason that drove it, quoting the decision behind it
where one does (the nearest example decision the lead classifier's body led, the nearest coordinator's
decision that named it); a supporting body proposed more for the lead's past partners or for the
supporting-body classifier than for its own evidence says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.decision_memory import DecisionMemory, LeadClassifier
from nlp.embedding import Embedder
from nlp.language_alignment import LanguageAlignment
from nlp.lead_blend import BlendedLeadModel
from nlp.ministry_keywords import KeywordMatcher, best_match, outside_longer
from nlp.ministry_reasons import EXAMPLE_QUOTE_MIN_COSINE, Precedents, classifier_reason, supporting_reason
from nlp.supporting_model import SupportingModel
from nlp.tagging.label_similarity import LabelSimilarity
from nlp.tagging.tags import Tag
from nlp.text import normalize_for_matching

SAME_WORDING = "coordinator's decision on the same wording"
#: alternatives for the lead proposed with it: with the lead, the three bodies lead accuracy@3 counts
ALTERNATIVES = 2


@dataclass(frozen=True, slots=True)
class MapperWeights:
    # the defaults are the weights python -m evaluation.ministries chooses (see docs/ministries.md): the evidence
    # weights on the example decisions, the memory settings by feeding corrections
    keywords: float = 2.0
    rules: float = 1.0
    mandate: float = 1.5
    memory: float = 4.0
    #: weight of the example decisions shipped with the directory (a classifier's lead probability)
    examples: float = 4.0
    #: how much a coordinator's correction counts in the logistic regression on the example decisions (used
    #: when the country has no lead classifier), an example decision counting 1 (0: through the memory alone)
    classifier_correction_weight: float = 0.0
    #: a body is proposed as supporting when its involvement reaches this share of the lead's
    supporting_share: float = 0.5
    #: cosine below which a past decision tells nothing about a new recommendation
    memory_min_cosine: float = 0.8
    #: cosine from which a past decision is on a near-identical text: its votes then weigh as much as
    #: all other evidence together (a text of the same wording takes the decision outright)
    memory_same_cosine: float = 0.9
    mandate_low: float = 0.15
    mandate_high: float = 0.45
    #: keyword evidence for a phrase of one content word (4 letters or more); each further content
    #: word adds ``(1 - base) / 2``, up to 1
    keyword_base: float = 0.6
    #: share of keyword evidence lost by a phrase that starts ``keyword_reach`` words or later
    keyword_distance: float = 0.75
    keyword_reach: int = 20
    #: weight of "the lead's usual partners in past decisions" in the supporting score
    partner_weight: float = 0.5
    #: weight of the supporting-body classifier's probability (times the lead's involvement) in the supporting
    #: score, when the country has one
    supporting_model: float = 1.0
    #: how much the lead classifier's probability (times the body's ``lead_prior``) adds to the lead
    #: score of the alternatives for the lead (the ranking after the lead, which it leaves in place)
    alternatives_weight: float = 8.0


@dataclass(frozen=True, slots=True)
class BodyScore:
    id: str
    score: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "score": round(self.score, 4), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Assignment:
    """The lead, the supporting bodies and ``ranking``: the lead first, then every other body as an
    alternative for the lead, best first. Every score is on the lead score's scale: a supporting body's is
    the weighted mean of what proposed it, an alternative's that of what orders it (see
    :attr:`MapperWeights.alternatives_weight`)."""

    lead: BodyScore
    supporting: list[BodyScore] = field(default_factory=list)
    ranking: list[BodyScore] = field(default_factory=list)

    @property
    def alternatives(self) -> list[BodyScore]:
        """The next :data:`ALTERNATIVES` bodies of the ranking after the lead, those not proposed as
        supporting: a coordinator sees the ranking's first three as lead, supporting or alternative."""
        supporting = {s.id for s in self.supporting}
        return [s for s in self.ranking[1 : 1 + ALTERNATIVES] if s.id not in supporting]


@dataclass(frozen=True)
class LeadEvidence:
    """Per text (rows) and body (columns), the five kinds of evidence before weighting, as
    :meth:`MinistryMapper.lead_evidence` reads them."""

    keyword: np.ndarray
    rule: np.ndarray
    mandate: np.ndarray
    #: the coordinators' decisions' votes, and per text the cosine of the nearest of them
    memory: np.ndarray
    nearest: np.ndarray
    #: each body's probability of leading, from the lead classifier (or the example decisions' regression)
    examples: np.ndarray
    #: whether there are example decisions or a lead classifier (else their weight is left out of the total)
    has_examples: bool
    memory_cosines: np.ndarray
    #: the vectors the lead classifier read (French and Arabic turned towards English)
    read: np.ndarray
    #: what the reasons quote: the mandates' cosines, each body's likeliest UPR Info issue, the keyword phrase
    #: found per text and body, and per text the rule that gave each body its rule evidence
    mandate_cosine: np.ndarray
    issue_of: np.ndarray
    phrases: list[list[str]]
    rule_reasons: list[dict[int, str]]


def weighted_evidence(weights: MapperWeights, evidence: LeadEvidence) -> tuple[np.ndarray, np.ndarray]:
    """``(parts, involvement)``: the five kinds of evidence weighted (``kinds x texts x bodies``, in the order a
    tie between them gives the reason) and their sum over the total weight, each body's involvement."""
    w = weights
    total_weight = w.keywords + w.rules + w.mandate + w.memory + (w.examples if evidence.has_examples else 0.0)
    memory_weights = np.where(evidence.nearest >= w.memory_same_cosine, total_weight, w.memory)
    parts = np.stack(
        [
            w.keywords * evidence.keyword,
            w.rules * evidence.rule,
            w.mandate * evidence.mandate.astype(np.float64),
            memory_weights[:, None] * evidence.memory.astype(np.float64),
            w.examples * evidence.examples.astype(np.float64),
        ]
    )
    return parts, ((((parts[0] + parts[1]) + parts[2]) + parts[3]) + parts[4]) / total_weight


def lead_indices(lead_scores: np.ndarray, decided: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """Per text, the column of its lead: among the bodies a coordinator's decision on the same wording made
    lead (``decided``) when there is one, the best lead score; ties go to the first body id in sorted order."""
    order = np.argsort(np.asarray(ids))
    scores, chosen = lead_scores[:, order], decided[:, order]
    scores = np.where(chosen.any(axis=1, keepdims=True) & ~chosen, -np.inf, scores)
    return order[np.argmax(scores, axis=1)]


class MinistryMapper:
    """Proposes lead and supporting bodies from a :class:`corpora.ministries.Directory`."""

    def __init__(
        self,
        directory,
        embedder: Embedder,
        issue_labels: Sequence[str],
        weights: MapperWeights = MapperWeights(),
        examples: DecisionMemory | None = None,
        lead_model: BlendedLeadModel | None = None,
        alignment: LanguageAlignment | None = None,
        supporting_model: SupportingModel | None = None,
    ) -> None:
        """``examples``: the example decisions shipped with the directory (see :meth:`example_memory`);
        ``lead_model``: the country's lead classifier, which then gives the example decisions' evidence
        in place of the logistic regression (coordinators' corrections act through the memory alone);
        ``alignment``: French and Arabic vectors are turned towards English before that classifier, which
        learnt English texts and, turned so, our translations of some (see :mod:`nlp.language_alignment`)."""
        self.directory = directory
        self.bodies = list(directory)
        self.weights = weights
        self.ids = [body.id for body in self.bodies]
        self.mandates_ = LabelSimilarity(self.bodies, embedder)
        self.issue_labels_ = list(issue_labels)
        issue_index = {label: i for i, label in enumerate(issue_labels)}
        self.issue_matrix_ = np.zeros((len(issue_labels), len(self.bodies)), dtype=np.float32)
        for b, body in enumerate(self.bodies):
            for issue in body.upr_issues:
                if issue in issue_index:
                    self.issue_matrix_[issue_index[issue], b] = 1.0
        self.keywords_ = [
            KeywordMatcher(
                [p for words in body.keywords.values() for p in words],
                weights.keyword_base,
                weights.keyword_distance,
                weights.keyword_reach,
            )
            for body in self.bodies
        ]
        self.lead_priors_ = np.array([body.lead_prior for body in self.bodies], dtype=np.float32)
        #: per kind of tag, the bodies whose rules list each code
        self.rule_bodies_: dict[str, dict[str, list[int]]] = {"themes": {}, "sdg_targets": {}}
        for b, body in enumerate(self.bodies):
            for kind, codes in (("themes", body.themes), ("sdg_targets", body.sdg_targets)):
                for code in dict.fromkeys(codes):
                    self.rule_bodies_[kind].setdefault(code, []).append(b)
        self.memory_ = DecisionMemory(self.ids, self.mandates_.vectors_.shape[2])
        self.examples_ = (
            examples if examples is not None else DecisionMemory(self.ids, self.mandates_.vectors_.shape[2])
        )
        self.lead_classifier_ = LeadClassifier(correction_weight=weights.classifier_correction_weight)
        self.lead_model, self.alignment, self.supporting_model = lead_model, alignment, supporting_model
        if lead_model is not None:
            lead_model.check_bodies(self.ids)
        if supporting_model is not None:
            unknown = sorted(set(supporting_model.body_ids) - set(self.ids))
            if unknown:
                raise ValueError(f"the supporting model has bodies not in the directory: {unknown}")

    def remember(
        self,
        vectors: np.ndarray,
        leads: Sequence[str],
        supporting: Sequence[Sequence[str]],
        texts: Sequence[str] | None = None,
        replace: bool = False,
    ) -> None:
        """Add coordinator decisions (used at once for the next recommendations; with their ``texts``,
        a recommendation of the same wording takes the decided lead whatever the other evidence). With
        ``replace`` they take the place of all those remembered before (the example decisions stay), as
        after a coordinator withdrew one: the new memory replaces the old in one assignment, so a text
        mapped meanwhile sees the old decisions or the new ones, never none."""
        if not replace:
            self.memory_.add(vectors, leads, supporting, texts)
            return
        memory = DecisionMemory(self.ids, self.mandates_.vectors_.shape[2])
        memory.add(vectors, leads, supporting, texts)
        self.memory_ = memory
        self.lead_classifier_.fitted_for_ = None  # fitted on the old decisions: refitted at the next use

    @staticmethod
    def example_memory(
        directory,
        vectors: np.ndarray,
        leads: Sequence[str],
        supporting: Sequence[Sequence[str]],
        texts: Sequence[str] | None = None,
    ) -> DecisionMemory:
        """The example decisions of ``directory`` as a memory several mappers can share; with their
        ``texts``, the nearest one a body led is quoted when the lead classifier drives its proposal."""
        memory = DecisionMemory(directory.ids(), np.asarray(vectors).shape[1])
        memory.add(vectors, leads, supporting, texts, same_wording=False)
        return memory

    def assign(
        self,
        embeddings: np.ndarray,
        texts: Sequence[str],
        issue_probabilities: np.ndarray,
        tags: Sequence[dict[str, list[Tag]]],
        languages: Sequence[str | None] | None = None,
    ) -> list[Assignment]:
        """The bodies of each text; with the texts' ``languages``, the lead classifier reads French and Arabic
        through the alignment."""
        w = self.weights
        evidence = self.lead_evidence(embeddings, texts, issue_probabilities, tags, languages)
        examples, phrases, rule_reasons = evidence.examples, evidence.phrases, evidence.rule_reasons
        past = Precedents(self.memory_, evidence.memory_cosines)
        led_examples = Precedents(
            self.examples_, self.examples_.cosines(evidence.read), led_only=True, min_cosine=EXAMPLE_QUOTE_MIN_COSINE
        )
        partners = self.memory_.partner_shares(self.examples_)
        parts, all_involvement = weighted_evidence(w, evidence)
        strongest = parts.argmax(axis=0)
        # a text of the same wording (another state, another cycle) takes the coordinator's decision on it
        decisions = [self.memory_.decided(text) for text in texts]
        decided = np.array(
            [d >= 1.0 if d is not None else np.zeros(len(self.bodies), dtype=bool) for d in decisions], dtype=bool
        ).reshape(len(texts), len(self.bodies))
        all_lead_scores = all_involvement * self.lead_priors_
        leads = lead_indices(all_lead_scores, decided, self.ids)
        proposals = []
        for row in range(len(texts)):
            reasons = [
                self._reason(
                    kind,
                    phrases[row][b],
                    rule_reasons[row].get(b),
                    evidence.issue_of[row, b],
                    evidence.mandate_cosine[row, b],
                )
                or (past.reason(row, b) if kind == 3 else classifier_reason(examples[row, b], led_examples, row, b))
                for b, kind in enumerate(strongest[row])
            ]
            lead_scores = all_lead_scores[row]
            decision = decisions[row]
            if decision is not None:
                reasons = [SAME_WORDING if decision[b] > 0 else reason for b, reason in enumerate(reasons)]
            lead_b = int(leads[row])
            added = w.alternatives_weight * self.lead_priors_ * examples[row]
            others = sorted(
                set(range(len(self.bodies))) - {lead_b}, key=lambda b: (-lead_scores[b] - added[b], self.ids[b])
            )
            ranking = [BodyScore(self.ids[lead_b], float(lead_scores[lead_b]), reasons[lead_b])]
            ranking += [
                alternative(
                    self.ids[b],
                    lead_scores[b],
                    added[b],
                    w.alternatives_weight,
                    reasons[b],
                    examples[row, b],
                    led_examples,
                    row,
                )
                for b in others
            ]
            proposals.append((ranking, reasons, decision, decided[row]))
        supports = self._supporting_probabilities(evidence.read, [ranking[0].id for ranking, *_ in proposals])
        out = []
        for row, (ranking, reasons, decision, made_lead) in enumerate(proposals):
            involvement = all_involvement[row]
            if decision is not None:
                supporting = [
                    BodyScore(self.ids[b], float(involvement[b]), SAME_WORDING)
                    for b in np.flatnonzero((decision > 0) & ~made_lead)
                ]
            else:
                supporting = self._supporting(ranking[0].id, involvement, partners, supports[row], reasons)
            out.append(Assignment(ranking[0], supporting, ranking))
        return out

    def lead_evidence(
        self,
        embeddings: np.ndarray,
        texts: Sequence[str],
        issue_probabilities: np.ndarray,
        tags: Sequence[dict[str, list[Tag]]],
        languages: Sequence[str | None] | None = None,
    ) -> LeadEvidence:
        """The five kinds of evidence about each body, before weighting, and what their reasons quote: what
        :meth:`assign` adds up with :func:`weighted_evidence`. They depend on the weights' keyword and memory
        settings, not on the weights of the five kinds, so a comparison of those weights reads them once."""
        w = self.weights
        cosine, _ = self.mandates_.scores(embeddings)
        mandate = np.clip((cosine - w.mandate_low) / (w.mandate_high - w.mandate_low), 0.0, 1.0)
        by_issue = issue_probabilities[:, :, None] * self.issue_matrix_[None]
        issue_rule, issue_of = by_issue.max(axis=1), by_issue.argmax(axis=1)
        memory_cosines = self.memory_.cosines(embeddings)
        memory, nearest = self.memory_.votes(memory_cosines, w.memory_min_cosine)
        read = self.alignment.to_english(embeddings, languages) if self.alignment is not None else embeddings
        if self.lead_model is not None:
            examples = self.lead_model.for_bodies(self.ids, read, texts)
        else:
            examples = self.lead_classifier_.probabilities(embeddings, self.examples_, self.memory_)
        keyword, phrases = self._keyword_evidence(texts)
        rule, rule_reasons = self._rule_evidence(issue_rule, tags)
        return LeadEvidence(
            keyword,
            rule,
            mandate,
            memory,
            nearest,
            examples,
            bool(self.lead_model is not None or len(self.examples_)),
            memory_cosines,
            read,
            cosine,
            issue_of,
            phrases,
            rule_reasons,
        )

    def _supporting_probabilities(self, read: np.ndarray, leads: Sequence[str]) -> np.ndarray:
        """``texts x bodies``: the supporting-body classifier's probability that each body supports the text's
        lead (0 without a classifier or at weight 0)."""
        if self.supporting_model is None or not self.weights.supporting_model:
            return np.zeros((len(leads), len(self.bodies)))
        return self.supporting_model.for_bodies(self.ids, read, leads)

    def _keyword_evidence(self, texts: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
        """``texts x bodies``: the value of each body's best phrase found in the text (0 for none), and the phrases."""
        values, phrases = np.zeros((len(texts), len(self.bodies))), []
        for row, text in enumerate(texts):
            normalised = normalize_for_matching(text)
            matches = outside_longer([matcher.matches(normalised) for matcher in self.keywords_])
            best = [best_match(found) for found in matches]
            values[row] = [value for value, _ in best]
            phrases.append([phrase for _, phrase in best])
        return values, phrases

    def _rule_evidence(
        self, issue_rule: np.ndarray, tags: Sequence[dict[str, list[Tag]]]
    ) -> tuple[np.ndarray, list[dict[int, str]]]:
        """``texts x bodies``: each body's strongest rule (its UPR Info issues' probability, or the score of a
        theme or SDG target tag it lists), and per text the reasons of the bodies a tag gave it."""
        rule, reasons = issue_rule.astype(np.float64), []
        for row, text_tags in enumerate(tags):
            mine = {}
            for kind, by_code in self.rule_bodies_.items():
                for tag in text_tags.get(kind, []):
                    for b in by_code.get(tag.code, ()):
                        if tag.score > rule[row, b]:
                            rule[row, b], mine[b] = tag.score, f"{kind[:-1].replace('_', ' ')} {tag.code} rule"
            reasons.append(mine)
        return rule, reasons

    def _reason(self, kind: int, phrase: str, rule_reason: str | None, issue: int, cosine: float) -> str | None:
        """The reason of the ``kind`` of evidence (the order of ``parts`` in :meth:`assign`) that weighed most
        (a rule: the tag's, else the UPR Info ``issue`` that gave it); None for past decisions (3) and the lead
        classifier (4), whose reasons quote a decision."""
        if kind == 0:
            return f"keyword '{phrase}'"
        if kind == 1:
            return rule_reason or f"UPR Info issue '{self.issue_labels_[issue]}' rule"
        if kind == 2:
            return f"mandate (cosine {cosine:.2f})"
        return None

    def _supporting(
        self, lead: str, involvement: np.ndarray, partners: np.ndarray, supports: np.ndarray, reasons: list[str]
    ) -> list[BodyScore]:
        lead_b = self.ids.index(lead)
        from_partners = self.weights.partner_weight * partners[lead_b] * involvement[lead_b]
        from_classifier = self.weights.supporting_model * supports * involvement[lead_b]
        support = involvement + from_partners + from_classifier
        # reported as the weighted mean of its three terms, on the scale of the lead's score
        model_weight = self.weights.supporting_model if self.supporting_model is not None else 0.0
        mean_of = 1.0 + self.weights.partner_weight + model_weight
        candidates = []
        for b in np.argsort(-support, kind="stable"):
            if b == lead_b or support[b] < self.weights.supporting_share * involvement[lead_b]:
                continue
            phrases = [
                (from_partners[b], f"supporting in {partners[lead_b, b]:.0%} of past decisions led by {lead}"),
                (from_classifier[b], f"example decisions (probability {supports[b]:.2f} of supporting {lead})"),
            ]
            candidates.append(
                BodyScore(
                    self.ids[b], float(support[b] / mean_of), supporting_reason(involvement[b], reasons[b], phrases)
                )
            )
        return candidates[:3]


def alternative(
    body_id: str,
    lead_score: float,
    added: float,
    weight: float,
    reason: str,
    probability: float,
    led: Precedents,
    row: int,
) -> BodyScore:
    """An alternative for the lead, scored by what orders it: its lead score plus what the lead classifier
    ``added`` (``weight`` times the probability and the prior), reported as their weighted mean, on the scale
    of the lead's score; the reason is the classifier's when it added more than the lead score."""
    if added > lead_score:
        reason = classifier_reason(probability, led, row, led.position[body_id])
    return BodyScore(body_id, float((lead_score + added) / (1.0 + weight)), reason)
