"""Ministry mapping against the annotated Moroccan set, and its learning curve from corrections.

    python -m evaluation.ministries [--without-examples | --without-near-examples]

``evaluation/data/ministries_eval.jsonl``: 220 real recommendations (160 English, 30 French, 30
Arabic) with the lead and supporting bodies of ``corpora/ministries/ma.yaml`` a Moroccan coordinator
would choose (guideline in ``ministries_guideline.md``). Rows are split by a hash of their row id:
100 form the corrections pool, 120 the test part. The evidence weights are chosen on the shipped
example decisions (each fifth scored by a mapper that knows the other four fifths), so the pool is
first seen when it is fed as corrections (with ``--without-examples``, on the pool with nothing
fed); the memory settings by feeding one half of the pool and scoring the other. The test part is
never used to choose anything. The learning curve feeds 0, 20, 50 and 100 corrections from the pool
and scores the test part. A second curve follows a coordinator's own use: the decisions on Morocco's
earlier reviews (sessions 1 and 13, oldest first) are fed, Morocco's latest review (session 27) is
scored, with memory settings chosen by feeding one half of the earlier reviews and scoring the other.
Every mapper starts from the example decisions shipped in ``corpora/ministries/ma_examples.jsonl`` (no
row or wording of this set among them).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
from dataclasses import asdict, replace

import numpy as np

from corpora.ministries import load_directory
from corpora.ministry_examples import load_example_decisions
from corpora.paths import UPR_INFO_DEV, data_file
from corpora.taxonomies import load_taxonomy
from evaluation.common import EVAL_DATA, print_table, read_jsonl, write_results
from nlp.embedding import CachedEmbedder
from nlp.embedding_text import embed_texts
from nlp.ministries import LeadClassifier, MapperWeights, MinistryMapper
from service.config import Settings
from service.factory import build_embedder, build_tagger

#: the UPR sessions of Morocco's reviews in the set: decisions on the earlier ones are fed, the latest scored
EARLIER_REVIEWS, LATEST_REVIEW = (1, 13), 27


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


def scores(assignments, items) -> dict[str, float]:
    at1 = np.mean([a.lead.id == item["lead"] for a, item in zip(assignments, items, strict=True)])
    at3 = np.mean([item["lead"] in [s.id for s in a.ranking[:3]] for a, item in zip(assignments, items, strict=True)])
    true_positive = predicted = gold = 0
    for a, item in zip(assignments, items, strict=True):
        mine, theirs = {s.id for s in a.supporting}, set(item["supporting"])
        true_positive += len(mine & theirs)
        predicted += len(mine)
        gold += len(theirs)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"lead_accuracy@1": float(at1), "lead_accuracy@3": float(at3), "supporting_f1": f1}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--without-examples", action="store_true", help="leave out the shipped example decisions")
    parser.add_argument(
        "--without-near-examples",
        action="store_true",
        help="leave out the example decisions at cosine >= 0.9 of an evaluation row (another wording of it)",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = CachedEmbedder(build_embedder(settings))  # the mandates are embedded once, not per mapper
    tagger = build_tagger(settings, embedder)
    directory = load_directory("ma")
    items = read_jsonl(EVAL_DATA / "ministries_eval.jsonl")
    languages = [item["language"] for item in items]
    vectors = embed_texts(embedder, [item["text"] for item in items], languages)
    probabilities = tagger.issues.probabilities(vectors, languages)
    texts = [item["text"] for item in items]
    tags = tagger.tag(vectors, languages, texts, probabilities)  # as at import: the phrase rules read the texts
    issue_labels = [label.names["en"] for label in load_taxonomy("upr_issues")]
    examples = load_example_decisions(directory, settings.data_dir)
    example_vectors = embed_texts(embedder, [example.text for example in examples], "en")
    if args.without_near_examples:  # robustness: no example that is another wording of a test row
        near = (example_vectors @ vectors.T).max(axis=1) >= 0.9
        examples = [example for example, is_near in zip(examples, near, strict=True) if not is_near]
        example_vectors = example_vectors[~near]
        print(f"left out {int(near.sum())} example decisions at cosine >= 0.9 of an evaluation row")
    if args.without_examples:
        examples, example_vectors = [], example_vectors[:0]

    example_memory = MinistryMapper.example_memory(
        directory, example_vectors, [e.lead for e in examples], [list(e.supporting) for e in examples]
    )
    shared_classifier = LeadClassifier()  # fitted once on all the examples, for every mapper with nothing fed

    def new_mapper(weights, fed=0):
        mapper = MinistryMapper(directory, embedder, issue_labels, weights, example_memory)
        if not fed:
            mapper.lead_classifier_ = shared_classifier
        return mapper

    pool = np.array([hashlib.sha1(str(item["row_id"]).encode()).digest()[0] % 11 < 5 for item in items])
    pool_rows, test_rows = np.flatnonzero(pool), np.flatnonzero(~pool)
    print(
        "test rows with a pool row at cosine >= 0.6 / 0.7 / 0.8 (what corrections by similarity can reach): "
        f"{near_counts(vectors[test_rows], vectors[pool_rows])} of {len(test_rows)}"
    )

    pool_items = [items[i] for i in pool_rows]

    def run(mapper, rows):
        return mapper.assign(vectors[rows], [texts[i] for i in rows], probabilities[rows], [tags[i] for i in rows])

    def feed(mapper, rows):
        """Feed the annotations of ``rows`` as a coordinator's corrections."""
        mapper.remember(
            vectors[rows],
            [items[i]["lead"] for i in rows],
            [items[i]["supporting"] for i in rows],
            [texts[i] for i in rows],
        )

    def pool_halves_fed(weights, order):
        """Mean scores of each half of the pool after the other half is fed as corrections."""
        halves, results = (order[::2], order[1::2]), []
        for fed, scored in (halves, halves[::-1]):
            mapper = new_mapper(weights, len(fed))
            feed(mapper, fed)
            results.append(scores(run(mapper, scored), [items[i] for i in scored]))
        return {metric: float(np.mean([r[metric] for r in results])) for metric in results[0]}

    # the evidence weights: chosen on the example decisions (each fifth scored by a mapper knowing the
    # other four fifths), so that the pool is first seen when it is fed as corrections; without
    # examples, on the pool with nothing fed
    if examples:
        example_texts = [example.text for example in examples]
        example_languages = ["en"] * len(examples)
        example_probabilities = tagger.issues.probabilities(example_vectors, example_languages)
        example_tags = tagger.tag(example_vectors, example_languages, example_texts, example_probabilities)
        fold = np.array([hashlib.sha1(f"f{e.row_id}".encode()).digest()[0] % 5 for e in examples])
        folds = []
        for k in range(5):
            known = np.flatnonzero(fold != k)
            memory = MinistryMapper.example_memory(
                directory,
                example_vectors[known],
                [examples[i].lead for i in known],
                [list(examples[i].supporting) for i in known],
            )
            folds.append((np.flatnonzero(fold == k), memory, LeadClassifier()))

    def tuning_scores(weights):
        if not examples:
            return scores(run(new_mapper(weights), pool_rows), pool_items)
        assignments, scored = [], []
        for rows, memory, classifier in folds:
            mapper = MinistryMapper(directory, embedder, issue_labels, weights, memory)
            mapper.lead_classifier_ = classifier
            assignments += mapper.assign(
                example_vectors[rows],
                [example_texts[i] for i in rows],
                example_probabilities[rows],
                [example_tags[i] for i in rows],
            )
            scored += [{"lead": examples[i].lead, "supporting": examples[i].supporting} for i in rows]
        return scores(assignments, scored)

    grid = []
    example_weights = (1.0, 2.0, 4.0) if examples else (0.0,)
    for keywords, rules, mandate, distance, share, example_weight in itertools.product(
        (1.0, 2.0, 3.0), (0.5, 1.0), (0.5, 1.0), (0.25, 0.5, 0.75), (0.5, 0.6, 0.7), example_weights
    ):
        weights = MapperWeights(
            keywords=keywords,
            rules=rules,
            mandate=mandate,
            keyword_distance=distance,
            supporting_share=share,
            examples=example_weight,
        )
        result = tuning_scores(weights)
        grid.append((result["lead_accuracy@1"], result["supporting_f1"], weights))
    tuning_at1, _, evidence = max(grid, key=lambda entry: entry[:2])
    order = pool_rows[np.argsort([hashlib.sha1(f"c{i}".encode()).hexdigest() for i in pool_rows])]

    def with_memory_settings(order):
        """The evidence weights with the memory settings that score best when one half of ``order`` is
        fed as corrections and the other half scored."""
        memory_grid = []
        for memory, min_cosine, partner, in_classifier in itertools.product(
            (0.5, 1.0, 2.0), (0.5, 0.6, 0.7, 0.8), (0.0, 0.5, 1.0), (0.0, 1.0, 3.0) if examples else (1.0,)
        ):
            candidate = replace(
                evidence,
                memory=memory,
                memory_min_cosine=min_cosine,
                partner_weight=partner,
                classifier_correction_weight=in_classifier,
            )
            fed = pool_halves_fed(candidate, order)
            memory_grid.append((fed["lead_accuracy@1"], fed["supporting_f1"], candidate))
        # the shipped memory settings stand unless another scores a better lead accuracy: where the fed
        # half holds no near recommendation of the scored one, every setting ties on it, and supporting
        # F1 alone would pick one on a body or two
        best = max(entry[0] for entry in memory_grid)
        shipped = MapperWeights()

        def learning(weights):
            return weights.memory, weights.memory_min_cosine, weights.classifier_correction_weight

        tied = [entry for entry in memory_grid if entry[0] == best]
        as_shipped = [entry for entry in tied if learning(entry[2]) == learning(shipped)]
        return max(as_shipped or tied, key=lambda entry: entry[1])[2]

    def learning_curve(weights, order, test_rows, steps):
        """Scores on ``test_rows`` after feeding the first n of ``order`` for each n of ``steps``."""
        curve, rows_out = {}, []
        for n in steps:
            mapper = new_mapper(weights, n)
            if n:
                feed(mapper, order[:n])
            assignments = run(mapper, test_rows)
            overall = scores(assignments, [items[i] for i in test_rows])
            by_language = {}
            for language in ("en", "fr", "ar"):
                keep = [k for k, i in enumerate(test_rows) if languages[i] == language]
                by_language[language] = scores([assignments[k] for k in keep], [items[test_rows[k]] for k in keep])
            curve[n] = {"all": overall, **by_language}
            rows_out.append(
                (
                    n,
                    overall["lead_accuracy@1"],
                    overall["lead_accuracy@3"],
                    overall["supporting_f1"],
                    *(by_language[language]["lead_accuracy@1"] for language in ("en", "fr", "ar")),
                )
            )
        print_table(
            ("corrections fed", "lead acc@1", "lead acc@3", "supporting F1", "en acc@1", "fr acc@1", "ar acc@1"),
            rows_out,
        )
        return curve

    weights = with_memory_settings(order)
    tuned_on = "the example decisions, out of fold" if examples else f"the pool ({len(pool_rows)} rows)"
    print(
        f"{len(examples)} example decisions; weights chosen on {tuned_on} (lead acc@1 "
        f"{tuning_at1:.3f}): keywords={weights.keywords} rules={weights.rules} mandate={weights.mandate} "
        f"keyword_distance={weights.keyword_distance} supporting_share={weights.supporting_share} "
        f"examples={weights.examples}; memory chosen by feeding one half of the pool and scoring the other: "
        f"memory={weights.memory} memory_min_cosine={weights.memory_min_cosine} "
        f"partner_weight={weights.partner_weight} classifier_correction_weight={weights.classifier_correction_weight}; "
        f"test part: {len(test_rows)} rows"
    )
    curve = learning_curve(weights, order, test_rows, (0, 20, 50, 100))

    # the coordinator's own use: decisions on Morocco's earlier reviews fed, its latest review scored
    sessions = moroccan_review_sessions(settings, items)
    earlier = [i for i in range(len(items)) if sessions[i] in EARLIER_REVIEWS]
    earlier_order = np.array(sorted(earlier, key=lambda i: (sessions[i], hashlib.sha1(f"c{i}".encode()).hexdigest())))
    latest = np.array([i for i in range(len(items)) if sessions[i] == LATEST_REVIEW])
    cycle_weights = with_memory_settings(earlier_order)
    print(
        f"\nMorocco's earlier reviews (sessions {', '.join(map(str, EARLIER_REVIEWS))}, {len(earlier_order)} rows, "
        f"oldest first) fed, its latest review (session {LATEST_REVIEW}, {len(latest)} rows) scored; memory chosen "
        f"by feeding one half of the earlier reviews and scoring the other: memory={cycle_weights.memory} "
        f"memory_min_cosine={cycle_weights.memory_min_cosine} partner_weight={cycle_weights.partner_weight} "
        f"classifier_correction_weight={cycle_weights.classifier_correction_weight}; latest-review rows with an "
        f"earlier-review row at cosine >= 0.6 / 0.7 / 0.8: {near_counts(vectors[latest], vectors[earlier_order])}"
    )
    cycle_curve = learning_curve(cycle_weights, earlier_order, latest, (0, 20, 50, len(earlier_order)))
    results = {
        "example_decisions": len(examples),
        "weights": asdict(weights),
        "weights_chosen_on": tuned_on,
        "tuning_lead_accuracy@1": tuning_at1,
        "curve": curve,
        "by_review": {"weights": asdict(cycle_weights), "curve": cycle_curve},
    }
    # the variants keep their own file, so the main figures are never overwritten by them
    variant = (
        "_without_examples" if args.without_examples else "_without_near_examples" if args.without_near_examples else ""
    )
    print(f"written {write_results('ministries' + variant, results)}")
    return results


if __name__ == "__main__":
    main()
