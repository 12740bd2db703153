"""Ministry mapping against the annotated Moroccan set, and its learning curve from corrections.

    python -m evaluation.ministries [--without-lead-model | --without-examples | --without-near-examples |
                                     --with-further-decisions] [--jobs 2]

``evaluation/data/ministries_eval.jsonl``: 220 real recommendations (160 English, 30 French, 30
Arabic) with the lead and supporting bodies of ``corpora/ministries/ma.yaml`` a Moroccan coordinator
would choose (guideline in ``ministries_guideline.md``). Rows are split by a hash of their row id:
100 form the corrections pool, 120 the test part. The evidence weights are chosen on the shipped
example decisions (each fifth scored by a mapper that knows the other four fifths), so the pool is
first seen when it is fed as corrections (with ``--without-examples``, on the pool with nothing
fed); the memory settings by feeding corrections (see :meth:`MappingBench.memory_settings`: one half
of the pool fed and the other scored, then the recurring pairs below). The test part is never used
to choose anything. The learning curve feeds 0, 20, 50 and 100 corrections from the pool
and scores the test part. A second curve follows a coordinator's own use: the decisions on Morocco's
earlier reviews (sessions 1 and 13, oldest first) are fed, Morocco's latest review (session 27) is
scored, with memory settings chosen the same way on the earlier reviews' halves.
Every mapper starts from the example decisions shipped in ``corpora/ministries/ma_examples.jsonl`` (no
row or wording of this set among them) and the lead classifier shipped in ``models/ministry-lead-ma/``
(learnt on them and on the further decisions of ``training/data/ministry_decisions/``, none within
cosine 0.8 of a row of this set or of its recurring pairs); when the evidence weights are chosen, each
fifth of the example decisions is scored with a classifier learnt again without it.
``--without-lead-model`` puts the logistic regression on the example decisions in its place.
The lead classifier alone is also scored on 9,600 decisions annotated like the further ones and never
learnt from (``ministry_decisions_heldout/``).

The 220 rows hold no recommendation that recurs in other words, which real reviews do (many states
make the same recommendation). ``evaluation/data/ministries_recurring.jsonl`` holds 150 pairs of
dev-set recommendations made to other states: an anchor and its sibling (another state, another
wording, cosine 0.80-0.97), the two annotated by different annotators, neither seeing the other.
A third of the pairs (by a hash of the pair) joins the choice of the memory settings (anchors fed,
siblings scored); the third curve feeds 0, 20, 50 and 100 anchors of the other pairs and scores
their siblings, and the test part beside them; then the same with the anchors fed in our French and
Arabic translations (a correction made on a French or Arabic text, an English sibling scored).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from dataclasses import asdict, replace

import numpy as np

from corpora.ministries import load_directory
from corpora.ministry_examples import checked_bodies, load_example_decisions
from corpora.paths import UPR_INFO_DEV, data_file
from evaluation.common import EVAL_DATA, read_jsonl, write_results
from evaluation.mapping_bench import MappingBench, evidence_weights, hash_order
from evaluation.ministry_agreement import print_agreement, read_agreement
from evaluation.ministry_targets import against_targets, curve_rises, describe
from nlp.embedding import CachedEmbedder
from nlp.embedding_text import embed_texts
from nlp.lead_blend import BlendedLeadModel
from nlp.ministries import MapperWeights, MinistryMapper
from service.config import Settings
from service.factory import (
    build_embedder,
    build_language_alignment,
    build_lead_model,
    build_supporting_model,
    build_tagger,
)
from training.ministry_lead import (
    FURTHER_DECISIONS,
    DecisionTranslations,
    accuracies,
    blended,
    fold_models,
    further_decisions,
    lead_hits,
    with_translations,
)

#: the UPR sessions of Morocco's reviews in the set: decisions on the earlier ones are fed, the latest scored
EARLIER_REVIEWS, LATEST_REVIEW = (1, 13), 27
RECURRING = "ministries_recurring.jsonl"
#: decisions annotated like the further decisions but never learnt from: the lead classifier alone is scored on them
HELD_OUT_DECISIONS = EVAL_DATA / "ministry_decisions_heldout"


def read_recurring_pairs(ids) -> list[tuple[dict, dict]]:
    """``(anchor, sibling)`` of each pair of :data:`RECURRING`, checked against the body ``ids``."""
    known, pairs = set(ids), {}
    for number, row in enumerate(read_jsonl(EVAL_DATA / RECURRING), start=1):
        checked_bodies(row, f"{RECURRING} line {number}", known)
        if row["role"] == "anchor" and not all(isinstance(row.get(lang), str) and row[lang] for lang in ("fr", "ar")):
            raise ValueError(f"{RECURRING} line {number}: an anchor needs its French and Arabic translations")
        pairs.setdefault(row["pair"], {})[row["role"]] = row
    broken = [pair for pair, roles in pairs.items() if set(roles) != {"anchor", "sibling"}]
    if broken:
        raise ValueError(f"{RECURRING}: pairs {broken} lack an anchor or a sibling")
    return [(roles["anchor"], roles["sibling"]) for _, roles in sorted(pairs.items())]


def moroccan_review_sessions(settings: Settings, items) -> list[int | None]:
    """Per row, the UPR session of the dev-set row when Morocco is the state under review, else ``None``."""
    with data_file(settings.data_dir, UPR_INFO_DEV).open(encoding="utf-8", newline="") as handle:
        reviews = {
            row["row_id"]: int(row["session"])
            for row in csv.DictReader(handle)
            if row["state_under_review"] == "Morocco"
        }
    return [reviews.get(str(item["row_id"])) for item in items]


def near_counts(scored: np.ndarray, fed: np.ndarray, cosines=(0.6, 0.7, 0.8)) -> str:
    """How many ``scored`` vectors have a ``fed`` one at each cosine, as "a / b / c"."""
    nearest = (scored @ fed.T).max(axis=1)
    return " / ".join(str(int((nearest >= c).sum())) for c in cosines)


def held_out_scores(lead_model: BlendedLeadModel, decisions, directory, embedder) -> dict[str, float]:
    """The lead classifier alone on the ``decisions`` of :data:`HELD_OUT_DECISIONS` (none of them learnt):
    accuracy at ranks 1 and 3."""
    lead_model.check_bodies(directory.ids())
    vectors = embed_texts(embedder, [d.text for d in decisions], "en")
    at1, at3 = lead_hits(lead_model, vectors, [d.text for d in decisions], np.array([d.lead for d in decisions]))
    scores = {"decisions": len(decisions), **accuracies(at1, at3)}
    print(
        f"the lead classifier alone on {len(decisions)} held-out decisions ({HELD_OUT_DECISIONS.name}, never learnt "
        f"from): lead acc@1 {scores['lead_accuracy@1']:.3f}, acc@3 {scores['lead_accuracy@3']:.3f}"
    )
    return scores


def held_out_mapper(bench: MappingBench, weights: MapperWeights, decisions, directory) -> dict:
    """The mapper (nothing fed) on the ``decisions`` of :data:`HELD_OUT_DECISIONS`, with the ``weights``
    chosen and with no classifier in the alternatives for the lead."""
    items = [{"text": d.text, "language": "en", "lead": d.lead, "supporting": list(d.supporting)} for d in decisions]
    held = MappingBench(
        directory,
        bench.embedder,
        bench.tagger,
        items,
        bench.example_memory,
        bench.lead_model.model,
        bench.alignment,
        bench.supporting_model,
    )
    rows = np.arange(len(items))
    results = {
        "chosen": held.scored(weights, rows),
        "alternatives_weight_0": held.scored(replace(weights, alternatives_weight=0.0), rows),
    }
    chosen, before = results["chosen"], results["alternatives_weight_0"]
    print(
        f"the mapper (nothing fed) on the {len(items)} held-out decisions: lead acc@1 {chosen['lead_accuracy@1']:.3f}, "
        f"acc@3 {chosen['lead_accuracy@3']:.3f} ({before['lead_accuracy@3']:.3f} without the classifier in the "
        f"alternatives for the lead), supporting F1 {chosen['supporting_f1']:.3f}"
    )
    return results


def verdict(curve: dict, n_test: int, held_out_mapped: dict | None, n_held: int) -> dict:
    """The targets against the test part with nothing fed (and the mapper on the held-out decisions), and
    whether the learning curve rises; printed."""
    nothing_fed = curve[min(curve, key=int)]  # steps are numbers here, strings once read back from JSON
    out = {"test_part": against_targets(nothing_fed["all"], n_test), "curve_rises": curve_rises(curve)}
    print(f"\ntargets\n{describe('the test part, nothing fed', out['test_part'])}")
    print(f"the learning curve on the test part {'rises' if out['curve_rises'] else 'does not rise'}")
    if held_out_mapped is not None:
        out["held_out_mapper"] = against_targets(held_out_mapped["chosen"], n_held)
        print(describe(f"the mapper on the {n_held} held-out decisions", out["held_out_mapper"]))
    return out


def lead_models(directory, embedder, settings, examples, example_vectors, refit: bool, alignment, jobs: int = 1):
    """``(lead classifier, fold classifiers)``: the one shipped for the directory (learnt again on these
    ``examples`` and the further decisions when ``refit``) and, for each fold of the examples, one learnt
    without it (:func:`training.ministry_lead.fold_models`); each learns the translated decisions (through the
    ``alignment``) when the shipped one did; ``jobs`` fold classifiers learn at once, each in its own process
    (those in the cache are read, not learnt)."""
    shipped = build_lead_model(directory, embedder)
    if shipped is None:
        raise SystemExit(f"no lead classifier for {directory.country}: run python -m training.ministry_lead")
    further, further_vectors = further_decisions(directory, settings, embedder)
    translations = None
    if shipped.config.get("translations") and alignment is not None:
        translations = DecisionTranslations.read([*examples, *further], settings, embedder, alignment)
    c, weight = float(shipped.config.get("c", 4.0)), shipped.lexical_weight
    if refit:
        vectors, decisions = with_translations(
            np.vstack([example_vectors, further_vectors]), [*examples, *further], translations
        )
        shipped = blended((vectors, decisions, embedder.name, c), weight)
    print(
        f"lead classifier: {len(shipped.kernel.support_vectors)} support vectors, lexical weight {weight:g}, learnt on "
        f"{shipped.config.get('decisions')} decisions ({len(further)} further"
        f"{f', {len(translations.texts)} of all in French and Arabic too' if translations else ''}); "
        "learning one per fold of the examples"
    )
    return shipped, fold_models(
        examples, example_vectors, further, further_vectors, embedder.name, c, translations, weight, jobs
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--without-lead-model",
        action="store_true",
        help="a logistic regression on the example decisions in place of the shipped lead classifier",
    )
    parser.add_argument("--without-examples", action="store_true", help="leave out the shipped example decisions")
    parser.add_argument(
        "--without-near-examples",
        action="store_true",
        help="leave out the example decisions at cosine >= 0.9 of an evaluation row (another wording of it)",
    )
    parser.add_argument(
        "--with-further-decisions",
        action="store_true",
        help="the further decisions of training/data/ministry_decisions/ added to the example decisions of a "
        "logistic regression (no lead classifier)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="fold classifiers learnt at once when they are not in .cache/, each in its own process (a core each)",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = CachedEmbedder(build_embedder(settings))  # the mandates are embedded once, not per mapper
    tagger = build_tagger(settings, embedder)
    directory = load_directory("ma")
    items = read_jsonl(EVAL_DATA / "ministries_eval.jsonl")
    # the recurring pairs follow the 220 rows, anchor then sibling: rows n_main + 2k and n_main + 2k + 1
    n_main, recurring = len(items), read_recurring_pairs(directory.ids())
    items += [row for pair in recurring for row in pair]
    # then the anchors' French and Arabic translations: rows n_translated + 2k (French) and + 2k + 1 (Arabic)
    n_translated = len(items)
    items += [{**anchor, "language": lang, "text": anchor[lang]} for anchor, _ in recurring for lang in ("fr", "ar")]
    examples = load_example_decisions(directory, settings.data_dir)
    if args.with_further_decisions:
        examples += load_example_decisions(directory, settings.data_dir, folder=FURTHER_DECISIONS)
    example_vectors = embed_texts(embedder, [example.text for example in examples], "en")
    if args.without_near_examples:  # robustness: no example that is another wording of a test row
        evaluated = items[:n_main]
        texts, languages = [item["text"] for item in evaluated], [item["language"] for item in evaluated]
        near = (example_vectors @ embed_texts(embedder, texts, languages).T).max(axis=1) >= 0.9
        examples = [example for example, is_near in zip(examples, near, strict=True) if not is_near]
        example_vectors = example_vectors[~near]
        print(f"left out {int(near.sum())} example decisions at cosine >= 0.9 of an evaluation row")
    if args.without_examples:
        examples, example_vectors = [], example_vectors[:0]
    example_memory = MinistryMapper.example_memory(
        directory, example_vectors, [e.lead for e in examples], [list(e.supporting) for e in examples]
    )
    lead_model, fold_models, alignment = None, None, None
    if examples and not (args.without_lead_model or args.with_further_decisions):
        # French and Arabic texts reach the lead classifier through the language alignment, which also turns
        # the translated decisions it learns
        alignment = build_language_alignment(settings, embedder)
        lead_model, fold_models = lead_models(
            directory, embedder, settings, examples, example_vectors, args.without_near_examples, alignment, args.jobs
        )
    # read once (texts from the dev set): the classifier alone is scored on them now, the mapper later
    held_decisions = (
        load_example_decisions(directory, settings.data_dir, folder=HELD_OUT_DECISIONS)
        if lead_model is not None
        else []
    )
    held_out = held_out_scores(lead_model, held_decisions, directory, embedder) if lead_model is not None else None
    # the supporting-body classifier learnt the example decisions: it only enters when the pool chooses its weight
    supporting_model = build_supporting_model(directory, embedder) if lead_model is not None else None
    bench = MappingBench(directory, embedder, tagger, items, example_memory, lead_model, alignment, supporting_model)
    vectors = bench.vectors

    pool = np.array([hashlib.sha1(str(item["row_id"]).encode()).digest()[0] % 11 < 5 for item in items[:n_main]])
    pool_rows, test_rows = np.flatnonzero(pool), np.flatnonzero(~pool)
    print(
        "test rows with a pool row at cosine >= 0.6 / 0.7 / 0.8 (what corrections by similarity can reach): "
        f"{near_counts(vectors[test_rows], vectors[pool_rows])} of {len(test_rows)}"
    )
    tuning_at1, evidence, nested_at1 = evidence_weights(
        bench, examples, example_vectors, tagger, pool_rows, fold_models
    )
    order = hash_order(pool_rows)

    # the recurring pairs: a third (by a hash of the pair) joins the choice of the memory settings, the
    # others make the third learning curve
    pair_numbers = np.arange(len(recurring))
    tuning_pair = np.array([hashlib.sha1(f"r{a['pair']}".encode()).digest()[0] % 3 == 0 for a, _ in recurring])
    tuning_anchors, tuning_siblings = n_main + 2 * pair_numbers[tuning_pair], n_main + 2 * pair_numbers[tuning_pair] + 1
    curve_pairs = hash_order(pair_numbers[~tuning_pair])
    curve_anchors, curve_siblings = n_main + 2 * curve_pairs, n_main + 2 * curve_pairs + 1
    # corrections count in the logistic regression by these weights; the shipped lead classifier never refits
    in_classifier = (0.0,) if lead_model is not None else (0.0, 1.0, 3.0) if examples else (1.0,)

    weights = bench.memory_settings(evidence, order, tuning_anchors, tuning_siblings, in_classifier)
    tuned_on = "the example decisions, out of fold" if examples else f"the pool ({len(pool_rows)} rows)"
    print(
        f"{len(examples)} example decisions; weights chosen on {tuned_on} (lead acc@1 {tuning_at1:.3f}"
        f"{'' if nested_at1 is None else f'; {nested_at1:.3f} with each fold scored by the weights the others choose'}"
        f"): keywords={weights.keywords} rules={weights.rules} mandate={weights.mandate} "
        f"keyword_distance={weights.keyword_distance} supporting_share={weights.supporting_share} "
        f"examples={weights.examples}; memory chosen by feeding one half of the pool and scoring the other, and "
        f"by feeding the anchors of {len(tuning_anchors)} recurring pairs and scoring their siblings: "
        f"memory={weights.memory} memory_min_cosine={weights.memory_min_cosine} "
        f"memory_same_cosine={weights.memory_same_cosine} "
        f"partner_weight={weights.partner_weight} supporting_model={weights.supporting_model} "
        f"classifier_correction_weight={weights.classifier_correction_weight}; "
        f"test part: {len(test_rows)} rows"
    )
    curve = bench.learning_curve(weights, order, test_rows, (0, 20, 50, 100))
    held_out_mapped = held_out_mapper(bench, weights, held_decisions, directory) if lead_model is not None else None

    # how far careful annotators agree: what a mapper can be expected to match
    further = read_agreement(items[:n_main], directory.ids())
    annotators = {
        "test_part": print_agreement(bench, weights, test_rows, further, "the test part"),
        "all": print_agreement(bench, weights, np.arange(n_main), further, f"all {n_main} rows"),
    }

    # the coordinator's own use: decisions on Morocco's earlier reviews fed, its latest review scored
    sessions = moroccan_review_sessions(settings, items[:n_main])
    earlier = [i for i in range(n_main) if sessions[i] in EARLIER_REVIEWS]
    earlier_order = np.array(sorted(earlier, key=lambda i: (sessions[i], hashlib.sha1(f"c{i}".encode()).hexdigest())))
    latest = np.array([i for i in range(n_main) if sessions[i] == LATEST_REVIEW])
    cycle_weights = bench.memory_settings(evidence, earlier_order, tuning_anchors, tuning_siblings, in_classifier)
    print(
        f"\nMorocco's earlier reviews (sessions {', '.join(map(str, EARLIER_REVIEWS))}, {len(earlier_order)} rows, "
        f"oldest first) fed, its latest review (session {LATEST_REVIEW}, {len(latest)} rows) scored; memory chosen "
        f"by feeding one half of the earlier reviews and scoring the other (and on the recurring pairs): "
        f"memory={cycle_weights.memory} memory_min_cosine={cycle_weights.memory_min_cosine} "
        f"memory_same_cosine={cycle_weights.memory_same_cosine} partner_weight={cycle_weights.partner_weight} "
        f"supporting_model={cycle_weights.supporting_model} "
        f"classifier_correction_weight={cycle_weights.classifier_correction_weight}; latest-review rows with an "
        f"earlier-review row at cosine >= 0.6 / 0.7 / 0.8: {near_counts(vectors[latest], vectors[earlier_order])}"
    )
    cycle_curve = bench.learning_curve(cycle_weights, earlier_order, latest, (0, 20, 50, len(earlier_order)))

    # recurring recommendations: anchors fed as corrections, their siblings (other states' wordings) scored
    pair_cosines = np.sum(vectors[curve_anchors] * vectors[curve_siblings], axis=1)
    agreement = np.mean([items[a]["lead"] == items[a + 1]["lead"] for a in curve_anchors])
    print(
        f"\nrecurring recommendations: {len(curve_pairs)} pairs (anchor and sibling of other states, cosine "
        f"{pair_cosines.min():.2f}-{pair_cosines.max():.2f}); the anchors fed, the siblings scored, with the "
        f"memory settings above ({len(tuning_anchors)} other pairs took part in their choice); anchor and sibling "
        f"annotated with the same lead in {agreement:.3f} of the pairs; the test part scored beside them"
    )
    steps = (0, 20, 50, len(curve_pairs))
    recurring_curve = bench.learning_curve(weights, curve_anchors, curve_siblings, steps, test_rows)
    translated_curves = {}
    for offset, (language, name) in enumerate((("fr", "French"), ("ar", "Arabic"))):
        anchors = n_translated + 2 * curve_pairs + offset
        cosines = np.sum(vectors[anchors] * vectors[curve_siblings], axis=1)
        print(
            f"\nthe same anchors fed in {name} (our translations; cosine to their English sibling "
            f"{cosines.min():.2f}-{cosines.max():.2f}, median {np.median(cosines):.2f}), the siblings scored"
        )
        translated_curves[language] = bench.learning_curve(weights, anchors, curve_siblings, steps)
    targets = verdict(curve, len(test_rows), held_out_mapped, len(held_decisions))
    results = {
        "targets": targets,
        "example_decisions": len(examples),
        "lead_model": lead_model.config if lead_model is not None else None,
        "lead_model_held_out": held_out,
        "mapper_held_out": held_out_mapped,
        "weights": asdict(weights),
        "weights_chosen_on": tuned_on,
        "tuning_lead_accuracy@1": tuning_at1,
        # each fold of the example decisions scored with the weights the other four choose
        "tuning_nested_lead_accuracy@1": nested_at1,
        "curve": curve,
        "annotators": annotators,
        "by_review": {"weights": asdict(cycle_weights), "curve": cycle_curve},
        "recurring": {
            "pairs": len(curve_pairs),
            "tuning_pairs": len(tuning_anchors),
            "curve": recurring_curve,
            "anchors_translated": translated_curves,
        },
    }
    # the variants keep their own file, so the main figures are never overwritten by them
    variant = next(
        (
            f"_{flag}"
            for flag in ("without_lead_model", "without_examples", "without_near_examples", "with_further_decisions")
            if vars(args)[flag]
        ),
        "",
    )
    print(f"written {write_results('ministries' + variant, results)}")
    return results


if __name__ == "__main__":
    main()
