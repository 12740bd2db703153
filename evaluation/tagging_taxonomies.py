"""UHRI themes, affected persons and SDG goals/targets against the project's annotated set, and the SDG benchmark.

    python -m evaluation.tagging_taxonomies

- ``evaluation/data/tagging_dev_annotations.jsonl``: 320 real recommendations (UPR Info and OHCHR
  lists, no held-out state) annotated by the guideline in ``tagging_guideline.md``, 40 of them also
  in French and 40 in Arabic. Lines are split in halves by their English source row: the score
  cut-off and the number of tags kept per taxonomy are chosen on one half, reported on the other.
  Caveat: the annotator used the same themes-to-SDG crosswalk the tagger uses for most targets.
- ``sdg-benchmark/benchmark.csv`` (never tuned on): accuracy of the goal-level yes/no decision.
  The question is about one goal at a time, so the decision is "yes" when that goal's score
  reaches a cut-off, chosen on the tuning half of our annotated set as the one that maximises the
  micro-F1 of per-goal decisions (no limit on the number of goals). For comparison, the figure for
  "yes when the goal is among the text's SDG goal tags" (cut-off and tag limit of the goal tags)
  is printed too.

Phrase rules read the texts, so the texts go to the tagger with their embeddings, as at import.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
from dataclasses import replace

import numpy as np

from corpora.paths import SDG_BENCHMARK, data_file
from evaluation.common import EVAL_DATA, print_table, read_jsonl, write_results
from nlp.embedding import CachedEmbedder
from nlp.embedding_text import embed_texts
from nlp.tagging.tagger import TAG_FIELDS
from nlp.text import detect_language
from service.config import Settings
from service.factory import (
    GOALS_CALIBRATION,
    PERSONS_CALIBRATION,
    TARGETS_CALIBRATION,
    THEMES_CALIBRATION,
    build_embedder,
    build_tagger,
)

FIELDS = {
    "themes": "themes",
    "affected_persons": "affected_persons",
    "sdg_goals": "sdg_goals",
    "sdg_targets": "sdg_targets",
}
CUTOFFS = (0.5, 0.6, 0.7, 0.8, 0.9)
GOAL_DECISION_CUTOFFS = tuple(round(c, 2) for c in np.arange(0.30, 0.96, 0.05))
LIMITS = (1, 2, 3, 4)
EXAMPLE_WEIGHTS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0)


def micro_f1(gold: list[set[str]], predicted: list[set[str]]) -> tuple[float, float, float]:
    true_positive = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    n_predicted, n_gold = sum(map(len, predicted)), sum(map(len, gold))
    precision = true_positive / n_predicted if n_predicted else 0.0
    recall = true_positive / n_gold if n_gold else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def chosen(tags: list, cutoff: float, limit: int) -> set[str]:
    return {tag.code for tag in tags[:limit] if tag.score >= cutoff}


def tagger_with_example_weight(settings: Settings, embedder, weight: float, goals_weight: float | None = None):
    """The shipped tagger with the labelled examples' weight set for themes, persons and targets (and
    for goals when ``goals_weight`` is given; shipped: none)."""
    goals = GOALS_CALIBRATION if goals_weight is None else replace(GOALS_CALIBRATION, example_weight=goals_weight)
    return build_tagger(
        settings,
        embedder,
        *(
            replace(calibration, example_weight=weight)
            for calibration in (THEMES_CALIBRATION, PERSONS_CALIBRATION, TARGETS_CALIBRATION)
        ),
        goals,
    )


def best_choice(gold, tags, field: str, rows) -> tuple[float, float, int]:
    """``(tuning F1, cut-off, tag limit)``: the best cut-off and limit of ``field`` on ``rows``."""
    return max(
        (micro_f1([gold[i] for i in rows], [chosen(tags[i][field], c, k) for i in rows])[2], c, k)
        for c, k in itertools.product(CUTOFFS, LIMITS)
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--example-weight", type=float, default=None, help="weight of the labelled examples (default: chosen)"
    )
    parser.add_argument(
        "--goal-example-weight", type=float, default=None, help="let the examples vote for goals too, with this weight"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = CachedEmbedder(build_embedder(settings))
    items = read_jsonl(EVAL_DATA / "tagging_dev_annotations.jsonl")
    languages = [item["language"] for item in items]
    vectors = embed_texts(embedder, [item["text"] for item in items], [item["language"] for item in items])
    texts = [item["text"] for item in items]
    source = [item["id"].rsplit(":", 1)[0] if item["language"] != "en" else item["id"] for item in items]
    tune = np.array([hashlib.sha1(s.encode()).digest()[0] % 2 == 0 for s in source])
    tuning_rows = np.flatnonzero(tune)
    golds = {field: [set(map(str, item[key])) for item in items] for field, key in FIELDS.items()}
    weights = EXAMPLE_WEIGHTS if args.example_weight is None else (args.example_weight,)
    by_weight = []
    for weight in weights:  # one weight for all four taxonomies, by their mean F1 on the tuning half
        tags = tagger_with_example_weight(settings, embedder, weight, args.goal_example_weight).tag(
            vectors, languages, texts
        )
        mean = float(np.mean([best_choice(golds[f], tags, f, tuning_rows)[0] for f in FIELDS]))
        print(f"labelled examples' weight {weight}: mean tuning F1 {mean:.4f}")
        by_weight.append((mean, -weight, weight))
    example_weight = max(by_weight)[2]
    tagger = tagger_with_example_weight(settings, embedder, example_weight, args.goal_example_weight)
    tags = tagger.tag(vectors, languages, texts)

    results, rows = {}, []
    for field in FIELDS:
        gold = golds[field]
        _, cutoff, limit = best_choice(gold, tags, field, tuning_rows)
        per_language = {}
        for language in ("en", "fr", "ar", "all"):
            rows_here = [i for i in np.flatnonzero(~tune) if language in ("all", languages[i])]
            per_language[language] = micro_f1(
                [gold[i] for i in rows_here], [chosen(tags[i][field], cutoff, limit) for i in rows_here]
            )
        tuning = micro_f1(
            [gold[i] for i in np.flatnonzero(tune)],
            [chosen(tags[i][field], cutoff, limit) for i in np.flatnonzero(tune)],
        )
        results[field] = {
            "cutoff": cutoff,
            "max_tags": limit,
            "tuning_f1": tuning[2],
            **{
                f"test_{lang}_{m}": v
                for lang, s in per_language.items()
                for m, v in zip(("precision", "recall", "f1"), s, strict=True)
            },
        }
        rows.append(
            (
                field,
                cutoff,
                limit,
                tuning[2],
                *per_language["all"],
                per_language["en"][2],
                per_language["fr"][2],
                per_language["ar"][2],
            )
        )
    results["example_weight"] = example_weight
    print(
        f"{len(items)} annotated lines, {int(tune.sum())} tuning / {int((~tune).sum())} test; labelled examples' "
        f"weight {example_weight}"
    )
    print_table(
        (
            "taxonomy",
            "cut-off",
            "max tags",
            "tuning F1",
            "test P",
            "test R",
            "test micro-F1",
            "en F1",
            "fr F1",
            "ar F1",
        ),
        rows,
    )

    goal_cutoff, goal_limit = results["sdg_goals"]["cutoff"], results["sdg_goals"]["max_tags"]
    goal_codes = [goal.code for goal in tagger.goals]
    goal_scores = tagger.goal_scores(vectors, [item["text"] for item in items], languages)
    gold_goals = [set(map(str, item["sdg_goals"])) for item in items]

    def decided(rows, cutoff: float) -> list[set[str]]:
        return [{code for code, s in zip(goal_codes, goal_scores[i], strict=True) if s >= cutoff} for i in rows]

    decision_cutoff = max(
        GOAL_DECISION_CUTOFFS,
        key=lambda c: (micro_f1([gold_goals[i] for i in tuning_rows], decided(tuning_rows, c))[2], -c),
    )
    results["sdg_goal_decision_cutoff"] = decision_cutoff
    test_rows = np.flatnonzero(~tune)
    results["sdg_goal_decision_test_f1"] = micro_f1(
        [gold_goals[i] for i in test_rows], decided(test_rows, decision_cutoff)
    )[2]
    with data_file(settings.data_dir, SDG_BENCHMARK).open(encoding="utf-8", newline="") as handle:
        bench = list(csv.DictReader(handle))
    bench_languages = [detect_language(row["text"]) for row in bench]
    bench_texts = [row["text"] for row in bench]
    bench_vectors = embed_texts(embedder, bench_texts, bench_languages)
    bench_tags = tagger.tag(bench_vectors, bench_languages, bench_texts)
    bench_scores = tagger.goal_scores(bench_vectors, bench_texts, bench_languages)
    truth = np.array([row["label"] == "True" for row in bench])
    decisions = np.array(
        [bench_scores[i, goal_codes.index(row["sdg"])] >= decision_cutoff for i, row in enumerate(bench)]
    )
    among_tags = np.array(
        [
            row["sdg"] in chosen(t["sdg_goals"], goal_cutoff, goal_limit)
            for row, t in zip(bench, bench_tags, strict=True)
        ]
    )
    accuracy = float(np.mean(decisions == truth))
    results["sdg_benchmark_accuracy"] = accuracy
    results["sdg_benchmark_accuracy_among_tags"] = float(np.mean(among_tags == truth))
    results["sdg_benchmark_yes_rate"] = float(decisions.mean())
    print(
        f"SDG benchmark ({len(bench)} text/goal pairs, never tuned on): goal yes/no accuracy {accuracy:.4f} "
        f"(goal score >= {decision_cutoff:.2f}, the cut-off of per-goal decisions chosen on the tuning half; "
        f"'goal among the goal tags': {results['sdg_benchmark_accuracy_among_tags']:.4f})"
    )
    print(f"written {write_results('tagging_taxonomies', {**results, 'fields': list(TAG_FIELDS)})}")
    return results


if __name__ == "__main__":
    main()
