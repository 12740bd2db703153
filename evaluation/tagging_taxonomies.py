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
  is printed too, and every goal decision figure also without the SDG goal head. The benchmark's
  texts are report paragraphs, not recommendations, so a second decision is chosen on our own
  excerpt-style paragraphs (:mod:`evaluation.paragraph_decisions`: how a paragraph is scored and the
  cut-off) and read on the benchmark too.
- ``evaluation/data/sdg_goal_pairs.jsonl``: our own 408 "is this paragraph about goal G?" pairs
  (paragraphs in the style of development reports, written for the project by other writers than
  the goal head's training paragraphs), at the same cut-off.

Phrase rules read the texts, so the texts go to the tagger with their embeddings, as at import.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import itertools
from dataclasses import replace

import numpy as np

from corpora.paths import SDG_BENCHMARK, data_file
from evaluation.common import EVAL_DATA, print_table, read_jsonl, write_results
from evaluation.paragraph_decisions import (
    SCORINGS,
    balanced_accuracy,
    choose_paragraph_decision,
    decisions_at,
    paragraph_goal_scores,
    read_excerpt_pairs,
)
from nlp.embedding import CachedEmbedder
from nlp.embedding_text import embed_texts
from nlp.tagging.paragraphs import PARAGRAPH_GOAL_CUTOFF
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
from training.sdg_goals import EXCERPT_PARAGRAPHS

FIELDS = {
    "themes": "themes",
    "affected_persons": "affected_persons",
    "sdg_goals": "sdg_goals",
    "sdg_targets": "sdg_targets",
}
CUTOFFS = (0.5, 0.6, 0.7, 0.8, 0.9)
GOAL_DECISION_CUTOFFS = (*(round(c, 2) for c in np.arange(0.30, 0.96, 0.05)), 0.97, 0.99)
#: our own "is this text about goal G?" pairs (see read_goal_pairs)
GOAL_PAIRS = "sdg_goal_pairs.jsonl"
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


def read_goal_pairs(path) -> list[dict]:
    """``{"text", "sdg", "answer"}`` per line of ``path`` (``asked_goal`` read as ``sdg``); a line that
    breaks the format raises ``ValueError`` naming it and its field."""
    pairs = []
    for number, item in enumerate(read_jsonl(path), start=1):
        where = f"{path.name}, line {number}"
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            raise ValueError(f"{where}: `text` must be a non-empty string")
        if item.get("asked_goal") not in range(1, 18) or isinstance(item.get("asked_goal"), bool):
            raise ValueError(f"{where}: `asked_goal` must be a goal number 1-17, not {item.get('asked_goal')!r}")
        if not isinstance(item.get("answer"), bool):
            raise ValueError(f"{where}: `answer` must be true or false, not {item.get('answer')!r}")
        pairs.append({"text": item["text"], "sdg": item["asked_goal"], "answer": item["answer"]})
    return pairs


def replace_goal_head(tagger, head):
    """A shallow copy of ``tagger`` with another goal head (or none)."""
    other = copy.copy(tagger)
    other.goal_head = head
    return other


def goal_decisions_on(tagger, vectors, texts, languages, pairs, cutoff: float) -> np.ndarray:
    """Yes/no per ``{"sdg": goal}`` pair: the goal's score for the pair's text reaches ``cutoff``."""
    return decisions_at(tagger, tagger.goal_scores(vectors, texts, languages), pairs, cutoff)


def goal_decisions(tagger, annotated, tune, gold_goals, pairs, pair_vectors) -> dict:
    """The goal-score cut-off of per-goal decisions chosen on the tuning half of the annotated set, its
    micro-F1 there and on the test half, and the accuracy of our goal pairs at that cut-off."""
    vectors, texts, languages = annotated
    codes = [goal.code for goal in tagger.goals]
    scores = tagger.goal_scores(vectors, texts, languages)

    def f1(rows, cutoff: float) -> float:
        decided = [{code for code, s in zip(codes, scores[i], strict=True) if s >= cutoff} for i in rows]
        return micro_f1([gold_goals[i] for i in rows], decided)[2]

    tuning_rows, test_rows = np.flatnonzero(tune), np.flatnonzero(~tune)
    cutoff = max(GOAL_DECISION_CUTOFFS, key=lambda c: (f1(tuning_rows, c), -c))
    answers = np.array([pair["answer"] for pair in pairs])
    decided = goal_decisions_on(tagger, pair_vectors, [p["text"] for p in pairs], ["en"] * len(pairs), pairs, cutoff)
    return {
        "cutoff": cutoff,
        "tuning_f1": f1(tuning_rows, cutoff),
        "test_f1": f1(test_rows, cutoff),
        "pairs_accuracy": float(np.mean(decided == answers)),
    }


def read_benchmark(settings: Settings, embedder) -> tuple[list[dict], np.ndarray, list[str], list[str]]:
    """The SDG benchmark's rows, with their texts' vectors, texts and detected languages."""
    with data_file(settings.data_dir, SDG_BENCHMARK).open(encoding="utf-8", newline="") as handle:
        bench = list(csv.DictReader(handle))
    languages = [detect_language(row["text"]) for row in bench]
    texts = [row["text"] for row in bench]
    return bench, embed_texts(embedder, texts, languages), texts, languages


def print_goal_decisions(tagger, embedder, annotated, tune, gold_goals, benchmark) -> dict:
    """Goal decisions of the shipped tagger and of the same without its goal head: cut-off chosen on the
    tuning half, our goal pairs and the SDG benchmark (:func:`read_benchmark`) at that cut-off (printed;
    returned by reading)."""
    bench, bench_vectors, bench_texts, bench_languages = benchmark
    pairs = read_goal_pairs(EVAL_DATA / GOAL_PAIRS)
    pair_vectors = embed_texts(embedder, [pair["text"] for pair in pairs], "en")
    truth = np.array([row["label"] == "True" for row in bench])
    readings = {"shipped": tagger}
    if tagger.goal_head is not None:  # the same tagger without the goal head, for comparison
        readings["without the goal head"] = replace_goal_head(tagger, None)
    results = {}
    for name, reading in readings.items():
        figures = goal_decisions(reading, annotated, tune, gold_goals, pairs, pair_vectors)
        cutoff = figures["cutoff"]
        decisions = goal_decisions_on(reading, bench_vectors, bench_texts, bench_languages, bench, cutoff)
        figures["benchmark_accuracy"] = float(np.mean(decisions == truth))
        figures["benchmark_yes_rate"] = float(decisions.mean())
        print(
            f"SDG goal decisions, {name}: goal score >= {cutoff:.2f} (chosen on the tuning half: micro-F1 of "
            f"per-goal decisions {figures['tuning_f1']:.4f}; test half {figures['test_f1']:.4f}); "
            f"our goal pairs ({len(pairs)}): accuracy {figures['pairs_accuracy']:.4f}; SDG benchmark ({len(bench)} "
            f"text/goal pairs, never tuned on): accuracy {figures['benchmark_accuracy']:.4f} "
            f"(says yes on {figures['benchmark_yes_rate']:.0%})"
        )
        results["goal_decisions" if name == "shipped" else "goal_decisions_without_head"] = figures
    return results


def print_paragraph_decision(tagger, embedder, bench: list[dict]) -> dict:
    """The goal decision chosen on our excerpt paragraphs (:mod:`evaluation.paragraph_decisions`), on
    our goal pairs and the SDG benchmark (printed; returned by reading)."""
    excerpts = read_excerpt_pairs(EXCERPT_PARAGRAPHS)
    decision = choose_paragraph_decision(tagger, embedder, excerpts, GOAL_DECISION_CUTOFFS)
    figures = {"scoring": decision.scoring, "cutoff": decision.cutoff, "excerpts_balanced": decision.balanced_accuracy}
    goal_pairs = read_goal_pairs(EVAL_DATA / GOAL_PAIRS)
    for name, pairs, answers in (
        ("pairs", goal_pairs, np.array([pair["answer"] for pair in goal_pairs])),
        ("benchmark", bench, np.array([row["label"] == "True" for row in bench])),
    ):
        scores = paragraph_goal_scores(tagger, embedder, [pair["text"] for pair in pairs], decision.scoring)
        decided = decisions_at(tagger, scores, pairs, decision.cutoff)
        figures[f"{name}_accuracy"] = float(np.mean(decided == answers))
        figures[f"{name}_balanced"] = balanced_accuracy(decided, answers)
        figures[f"{name}_yes_rate"] = float(decided.mean())
    shipped = (decision.scoring, decision.cutoff) == (SCORINGS[1], PARAGRAPH_GOAL_CUTOFF)
    figures["shipped_decision_chosen"] = shipped
    print(
        f"SDG goal decisions chosen on our {len(excerpts)} excerpt paragraphs (balanced accuracy "
        f"{decision.balanced_accuracy:.4f}): {decision.scoring}, goal score >= {decision.cutoff:.2f}; our goal "
        f"pairs: accuracy {figures['pairs_accuracy']:.4f}; SDG benchmark (never tuned on): accuracy "
        f"{figures['benchmark_accuracy']:.4f}, balanced {figures['benchmark_balanced']:.4f} "
        f"(says yes on {figures['benchmark_yes_rate']:.0%}); "
        + ("the decision nlp.tagging.paragraphs ships" if shipped else "NOT the decision nlp.tagging.paragraphs ships")
    )
    return figures


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
    benchmark = read_benchmark(settings, embedder)
    bench, bench_vectors, bench_texts, bench_languages = benchmark
    truth = np.array([row["label"] == "True" for row in bench])
    annotated = (vectors, texts, languages)
    results.update(print_goal_decisions(tagger, embedder, annotated, tune, golds["sdg_goals"], benchmark))
    results["sdg_benchmark_accuracy"] = results["goal_decisions"]["benchmark_accuracy"]
    results["paragraph_decision"] = print_paragraph_decision(tagger, embedder, bench)
    bench_tags = tagger.tag(bench_vectors, bench_languages, bench_texts)
    among_tags = np.array(
        [
            row["sdg"] in chosen(t["sdg_goals"], goal_cutoff, goal_limit)
            for row, t in zip(bench, bench_tags, strict=True)
        ]
    )
    results["sdg_benchmark_accuracy_among_tags"] = float(np.mean(among_tags == truth))
    print(f"SDG benchmark, 'goal among the goal tags': {results['sdg_benchmark_accuracy_among_tags']:.4f}")
    print(f"written {write_results('tagging_taxonomies', {**results, 'fields': list(TAG_FIELDS)})}")
    return results


if __name__ == "__main__":
    main()
