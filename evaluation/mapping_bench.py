"""The rows of the ministry evaluation and the mappers fed with their annotations (``evaluation.ministries``).

A :class:`MappingBench` embeds and tags its rows once, as an import would, and builds mappers that
start from the example decisions and are given some rows' annotations as a coordinator's
corrections; it scores mappers on other rows, chooses the weights by the rules docs/ministries.md gives, and
prints learning curves.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from corpora.taxonomies import load_taxonomy
from evaluation.common import print_table
from nlp.decision_memory import DecisionMemory, LeadClassifier
from nlp.embedding_text import embed_texts
from nlp.language_alignment import LanguageAlignment
from nlp.lead_blend import BlendedLeadModel
from nlp.ministries import Assignment, MapperWeights, MinistryMapper, lead_indices, weighted_evidence
from nlp.supporting_model import SupportingModel
from training.ministry_lead import FOLDS, example_folds


def scores(assignments: Sequence[Assignment], items: Sequence[dict]) -> dict[str, float]:
    """Lead accuracy at 1 and 3 and supporting-body F1 of ``assignments`` against ``items``' annotations."""
    pairs = list(zip(assignments, items, strict=True))
    at1 = np.mean([a.lead.id == item["lead"] for a, item in pairs])
    at3 = np.mean([item["lead"] in [s.id for s in a.ranking[:3]] for a, item in pairs])
    f1 = supporting_f1([{s.id for s in a.supporting} for a, _ in pairs], [set(item["supporting"]) for _, item in pairs])
    return {"lead_accuracy@1": float(at1), "lead_accuracy@3": float(at3), "supporting_f1": f1}


def supporting_f1(predicted: Sequence[set[str]], gold: Sequence[set[str]]) -> float:
    """Micro-F1 of the supporting bodies ``predicted`` per row against ``gold``."""
    true_positive = sum(len(mine & theirs) for mine, theirs in zip(predicted, gold, strict=True))
    n_predicted, n_gold = sum(map(len, predicted)), sum(map(len, gold))
    precision = true_positive / n_predicted if n_predicted else 0.0
    recall = true_positive / n_gold if n_gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def hash_order(rows: np.ndarray, salt: str = "c") -> np.ndarray:
    """``rows`` in a fixed order that does not follow the file's."""
    return rows[np.argsort([hashlib.sha1(f"{salt}{i}".encode()).hexdigest() for i in rows])]


class LeadProbabilitiesOnce:
    """A lead classifier whose probabilities for a batch of texts are computed once: the weights and memory
    settings compared do not change them, and each comparison maps the same batches again."""

    def __init__(self, model: BlendedLeadModel) -> None:
        self.model = model
        self.computed_: dict[tuple, np.ndarray] = {}

    def __getattr__(self, name: str):
        return getattr(self.model, name)

    def for_bodies(self, ids: Sequence[str], embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        key = (tuple(ids), tuple(texts), hashlib.sha1(np.ascontiguousarray(embeddings).tobytes()).hexdigest())
        if key not in self.computed_:
            self.computed_[key] = self.model.for_bodies(ids, embeddings, texts)
        return self.computed_[key].copy()


def learning_settings(weights: MapperWeights) -> tuple[float, ...]:
    """The settings that say how corrections count (the partners' weight aside)."""
    return (
        weights.memory,
        weights.memory_min_cosine,
        weights.memory_same_cosine,
        weights.classifier_correction_weight,
    )


class MappingBench:
    """``items`` (``{"text", "language", "lead", "supporting"}``) embedded and tagged once, and mappers
    over ``directory`` starting from ``example_memory``."""

    def __init__(
        self,
        directory,
        embedder,
        tagger,
        items: list[dict],
        example_memory: DecisionMemory,
        lead_model: BlendedLeadModel | None = None,
        alignment: LanguageAlignment | None = None,
        supporting_model: SupportingModel | None = None,
    ) -> None:
        self.directory, self.embedder, self.items, self.example_memory = directory, embedder, items, example_memory
        self.tagger, self.alignment, self.supporting_model = tagger, alignment, supporting_model
        self.lead_model = LeadProbabilitiesOnce(lead_model) if lead_model is not None else None
        self.languages = [item["language"] for item in items]
        self.texts = [item["text"] for item in items]
        self.vectors = embed_texts(embedder, self.texts, self.languages)
        self.probabilities = tagger.issues.probabilities(self.vectors, self.languages)
        # as at import: the phrase rules read the texts
        self.tags = tagger.tag(self.vectors, self.languages, self.texts, self.probabilities)
        self.issue_labels = [label.names["en"] for label in load_taxonomy("upr_issues")]
        #: the lead classifiers, fitted once per set of decisions: (correction weight, rows fed) -> classifier
        self.classifiers_: dict[tuple, LeadClassifier] = {}

    def mapper(self, weights: MapperWeights, fed: Sequence[int] = ()) -> MinistryMapper:
        """A mapper starting from the example decisions, given the annotations of the rows ``fed`` as a
        coordinator's corrections."""
        mapper = MinistryMapper(
            self.directory,
            self.embedder,
            self.issue_labels,
            weights,
            self.example_memory,
            self.lead_model,
            self.alignment,
            self.supporting_model,
        )
        in_classifier = weights.classifier_correction_weight if len(fed) else 0.0
        key = (in_classifier, tuple(fed)) if in_classifier else ()
        mapper.lead_classifier_ = self.classifiers_.setdefault(key, LeadClassifier(correction_weight=in_classifier))
        if len(fed):
            mapper.remember(
                self.vectors[fed],
                [self.items[i]["lead"] for i in fed],
                [self.items[i]["supporting"] for i in fed],
                [self.texts[i] for i in fed],
            )
        return mapper

    def run(self, mapper: MinistryMapper, rows: Sequence[int]) -> list[Assignment]:
        return mapper.assign(
            self.vectors[rows],
            [self.texts[i] for i in rows],
            self.probabilities[rows],
            [self.tags[i] for i in rows],
            [self.languages[i] for i in rows],
        )

    def scored(self, weights: MapperWeights, rows: Sequence[int], fed: Sequence[int] = ()) -> dict[str, float]:
        """Scores on ``rows`` of a mapper fed ``fed``."""
        return scores(self.run(self.mapper(weights, fed), rows), [self.items[i] for i in rows])

    def halves_fed(self, weights: MapperWeights, order: np.ndarray) -> dict[str, float]:
        """Mean scores of each half of ``order`` after the other half is fed as corrections."""
        halves = (order[::2], order[1::2])
        results = [self.scored(weights, scored, fed) for fed, scored in (halves, halves[::-1])]
        return {metric: float(np.mean([r[metric] for r in results])) for metric in results[0]}

    def memory_settings(
        self,
        evidence: MapperWeights,
        order: np.ndarray,
        anchors: np.ndarray,
        siblings: np.ndarray,
        in_classifier: Sequence[float] = (0.0, 1.0, 3.0),
    ) -> MapperWeights:
        """``evidence`` with the memory settings chosen by feeding corrections. First, corrections must not
        mislead on recommendations that do not recur: only the settings with the best lead accuracy when
        one half of ``order`` is fed and the other half scored are kept. Among them, those that take the
        decisions furthest to other wordings of the same recommendation: the best lead accuracy on the
        ``siblings`` once their ``anchors`` are fed; ties go to the settings closest to the shipped ones
        (most values in common), then to supporting F1 on the halves. The partners' weight and the
        supporting-body classifier's, which only move supporting bodies, are chosen last, by supporting F1
        on the halves (ties to the first of :data:`PARTNER_WEIGHTS` and :data:`SUPPORTING_MODEL_WEIGHTS`)."""
        grid, shipped = [], MapperWeights()
        for memory, min_cosine, same_cosine, weight in itertools.product(
            (0.5, 1.0, 2.0, 4.0, 8.0), (0.6, 0.7, 0.8), (0.9, 0.95), in_classifier
        ):
            candidate = replace(
                evidence,
                memory=memory,
                memory_min_cosine=min_cosine,
                memory_same_cosine=same_cosine,
                classifier_correction_weight=weight,
                partner_weight=shipped.partner_weight,
            )
            halves = self.halves_fed(candidate, order)
            in_common = sum(
                a == b for a, b in zip(learning_settings(candidate), learning_settings(shipped), strict=True)
            )
            grid.append(
                (
                    halves["lead_accuracy@1"],
                    self.scored(candidate, siblings, anchors)["lead_accuracy@1"],
                    in_common,
                    halves["supporting_f1"],
                    candidate,
                )
            )
        best = max(entry[0] for entry in grid)
        chosen = max((entry for entry in grid if entry[0] == best), key=lambda entry: entry[1:4])[4]
        supporting = [
            replace(chosen, partner_weight=partner, supporting_model=model)
            for partner in PARTNER_WEIGHTS
            for model in (SUPPORTING_MODEL_WEIGHTS if self.supporting_model is not None else (0.0,))
        ]
        f1 = {weights: self.halves_fed(weights, order)["supporting_f1"] for weights in supporting}
        print(
            "supporting F1 on the halves by the partners' and the supporting classifier's weights: "
            + ", ".join(f"{w.partner_weight:g}/{w.supporting_model:g}: {value:.4f}" for w, value in f1.items())
        )
        return max(supporting, key=f1.__getitem__)

    def learning_curve(
        self,
        weights: MapperWeights,
        order: np.ndarray,
        test_rows: np.ndarray,
        steps: Sequence[int],
        beside: np.ndarray | None = None,
    ) -> dict:
        """Print and return the scores on ``test_rows`` (and the lead accuracy on the rows ``beside``,
        when given) after feeding the first n of ``order`` for each n of ``steps``."""
        curve, table = {}, []
        present = [lang for lang in ("en", "fr", "ar") if any(self.languages[i] == lang for i in test_rows)]
        for n in steps:
            mapper = self.mapper(weights, order[:n])
            assignments = self.run(mapper, test_rows)
            curve[n] = {"all": scores(assignments, [self.items[i] for i in test_rows])}
            for language in present:
                keep = [k for k, i in enumerate(test_rows) if self.languages[i] == language]
                curve[n][language] = scores([assignments[k] for k in keep], [self.items[test_rows[k]] for k in keep])
            if beside is not None:
                curve[n]["beside"] = scores(self.run(mapper, beside), [self.items[i] for i in beside])
            table.append(
                (
                    n,
                    *(curve[n]["all"][metric] for metric in ("lead_accuracy@1", "lead_accuracy@3", "supporting_f1")),
                    *(curve[n][language]["lead_accuracy@1"] for language in present),
                    *((curve[n]["beside"]["lead_accuracy@1"],) if beside is not None else ()),
                )
            )
        headers = ("corrections fed", "lead acc@1", "lead acc@3", "supporting F1")
        headers += tuple(f"{language} acc@1" for language in present)
        print_table(headers + (("test part acc@1",) if beside is not None else ()), table)
        return curve


#: the keyword, rule and example (lead classifier) weights compared; keywords 4.0 and examples 6.0, 8.0 were
#: added when the choice sat at the largest of (1, 2, 3) and (1, 2, 4), keywords 5.0, 6.0 and rules 0.25 when
#: it sat at keywords 4.0 and rules 0.5, mandate 1.5 when it sat at mandate 1.0
KEYWORD_WEIGHTS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
RULE_WEIGHTS = (0.25, 0.5, 1.0)
#: 2.0 added when the choice sat at 1.5 (with lead classifier v3)
MANDATE_WEIGHTS = (0.5, 1.0, 1.5, 2.0)
EXAMPLE_WEIGHTS = (1.0, 2.0, 4.0, 6.0, 8.0)
#: how much the lead classifier adds to the alternatives for the lead (``MapperWeights.alternatives_weight``);
#: 8.0 added when the choice sat at 4.0, 16.0 when it sat at 8.0 (with lead classifier v3)
ALTERNATIVES_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
#: the weights of the lead's usual partners and of the supporting-body classifier compared for supporting bodies
PARTNER_WEIGHTS = (0.0, 0.5, 1.0)
SUPPORTING_MODEL_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)


def evidence_weights(
    bench: MappingBench,
    examples,
    example_vectors: np.ndarray,
    tagger,
    pool_rows: np.ndarray,
    fold_models: Sequence[tuple[np.ndarray, BlendedLeadModel]] | None = None,
):
    """``(lead accuracy@1, weights, nested lead accuracy@1)``: the evidence weights that score best on the
    example decisions, each fifth scored by a mapper knowing the other four fifths (so that the pool is first
    seen when it is fed as corrections); without examples, on the pool with nothing fed. With ``fold_models``
    (each fold's rows and the lead classifier learnt without them), the mappers use those classifiers. The
    weight of the classifier in the alternatives for the lead is chosen last, the same way, at rank 3. The
    nested figure (:func:`nested_lead_hits`; None without examples) scores each fold with the weights the other
    folds choose, where lead accuracy@1 is that of the weights chosen on all of them."""
    if examples:
        texts = [example.text for example in examples]
        probabilities = tagger.issues.probabilities(example_vectors, ["en"] * len(examples))
        tags = tagger.tag(example_vectors, ["en"] * len(examples), texts, probabilities)
        fold = example_folds(examples)
        models = dict(enumerate(LeadProbabilitiesOnce(model) for _, model in fold_models or []))
        folds = []
        for k in range(FOLDS):
            known = np.flatnonzero(fold != k)
            memory = MinistryMapper.example_memory(
                bench.directory,
                example_vectors[known],
                [examples[i].lead for i in known],
                [list(examples[i].supporting) for i in known],
            )
            folds.append((np.flatnonzero(fold == k), memory, LeadClassifier(), models.get(k)))

    def tuning_scores(weights):
        if not examples:
            return bench.scored(weights, pool_rows)
        assignments, scored = [], []
        for rows, memory, classifier, lead_model in folds:
            mapper = MinistryMapper(bench.directory, bench.embedder, bench.issue_labels, weights, memory, lead_model)
            mapper.lead_classifier_ = classifier
            assignments += mapper.assign(
                example_vectors[rows], [texts[i] for i in rows], probabilities[rows], [tags[i] for i in rows]
            )
            scored += [{"lead": examples[i].lead, "supporting": examples[i].supporting} for i in rows]
        return scores(assignments, scored)

    candidates = [
        MapperWeights(
            keywords=keywords,
            rules=rules,
            mandate=mandate,
            keyword_distance=distance,
            supporting_share=share,
            examples=example_weight,
        )
        for keywords, rules, mandate, distance, share, example_weight in itertools.product(
            KEYWORD_WEIGHTS,
            RULE_WEIGHTS,
            MANDATE_WEIGHTS,
            (0.25, 0.5, 0.75),
            (0.5, 0.6, 0.7),
            EXAMPLE_WEIGHTS if examples else (0.0,),
        )
    ]
    if examples:
        # the leads of every candidate from the evidence read once per fold and keyword distance; only the
        # candidates with the most leads right are mapped whole, for their supporting bodies
        per_fold = lead_hits_by_weights(bench, folds, candidates, example_vectors, texts, probabilities, tags, examples)
        hits, nested = per_fold.sum(axis=1).tolist(), nested_lead_hits(per_fold)
        most = max(hits)
        print(
            f"each fold of the example decisions scored with the weights the other folds choose: {nested} leads of "
            f"{len(examples)} ({nested / len(examples):.3f}; with the weights all folds choose: {most})"
        )
        tied = [weights for weights, n in zip(candidates, hits, strict=True) if n == most]
    else:
        tied, nested = candidates, None
    grid = []
    for weights in tied:
        result = tuning_scores(weights)
        if examples and round(result["lead_accuracy@1"] * len(examples)) != most:
            raise RuntimeError(f"the leads read from the evidence differ from the mapper's for {weights}")
        grid.append((result["lead_accuracy@1"], result["supporting_f1"], weights))
    at1, _, weights = max(grid, key=lambda entry: entry[:2])
    # the alternatives after the lead move neither the lead nor the supporting bodies: their weight is
    # chosen last, by lead accuracy at rank 3 (ties to the smaller weight)
    at3 = {a: tuning_scores(replace(weights, alternatives_weight=a))["lead_accuracy@3"] for a in ALTERNATIVES_WEIGHTS}
    chosen = max(ALTERNATIVES_WEIGHTS, key=lambda a: (at3[a], -a))
    print(
        "lead acc@3 by the weight of the lead classifier in the alternatives for the lead: "
        + ", ".join(f"{a:g}: {value:.4f}" for a, value in at3.items())
        + f"; chosen {chosen:g}"
    )
    return at1, replace(weights, alternatives_weight=chosen), None if nested is None else nested / len(examples)


def lead_hits_by_weights(bench, folds, candidates, example_vectors, texts, probabilities, tags, examples) -> np.ndarray:
    """``candidates x folds``: for each of the ``candidates`` (weights differing only in the evidence weights, the
    keyword distance and the supporting share), how many example decisions of each fold a mapper with those
    weights gives their annotated lead, the fold scored by a mapper knowing the other folds: the leads
    :meth:`MinistryMapper.assign` would propose, from :meth:`MinistryMapper.lead_evidence` read once per fold
    and keyword distance."""
    hits = np.zeros((len(candidates), len(folds)), dtype=int)
    for k, (rows, memory, classifier, lead_model) in enumerate(folds):
        gold = [examples[i].lead for i in rows]
        undecided = np.zeros((len(rows), len(bench.directory.ids())), dtype=bool)  # no coordinator's decision
        evidence = {}
        for c, weights in enumerate(candidates):
            if weights.keyword_distance not in evidence:
                mapper = MinistryMapper(
                    bench.directory, bench.embedder, bench.issue_labels, weights, memory, lead_model
                )
                mapper.lead_classifier_ = classifier
                evidence[weights.keyword_distance] = (
                    mapper.lead_evidence(
                        example_vectors[rows], [texts[i] for i in rows], probabilities[rows], [tags[i] for i in rows]
                    ),
                    np.array([mapper.ids.index(lead) for lead in gold]),
                    mapper,
                )
            read, annotated, mapper = evidence[weights.keyword_distance]
            _, involvement = weighted_evidence(weights, read)
            leads = lead_indices(involvement * mapper.lead_priors_, undecided, mapper.ids)
            hits[c, k] = int((leads == annotated).sum())
    return hits


def nested_lead_hits(hits: np.ndarray) -> int:
    """The leads found when each fold is scored with the candidate that found the most on the other folds (the
    first candidate on ties), from :func:`lead_hits_by_weights`' ``candidates x folds``: what weights chosen on
    the decisions do on decisions they were not chosen on."""
    others = hits.sum(axis=1, keepdims=True) - hits
    return int(hits[others.argmax(axis=0), np.arange(hits.shape[1])].sum())
