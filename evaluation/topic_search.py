"""Search by topic: a coordinator types a topic, not a recommendation ("statelessness", "apatridie").

    python -m evaluation.topic_search [--store PATH]

The queries are the names of UPR Info's issues in English, French and Arabic (``corpora/taxonomies``;
"Other" and "General" left out): 54 topics, 162 queries. A hit is relevant when UPR Info labelled the
recommendation with that issue, so precision@10 (the share of the first ten hits so labelled, copies
of one wording counted once) needs no annotation of ours. Recommendations carry several issues and
UPR Info labels none of them exhaustively, so the figure is a floor for every ranking alike.

The topics are split in two by a hash of their code: ``choice`` topics choose the weight of the
words shared with a short query (:attr:`nlp.search.Searcher.topic_word_weight`), ``report`` topics are
scored with it. The candidates are the English recommendations of the UPR Info dev set (the same
evaluation store as ``evaluation.search``).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from corpora.taxonomies import load_taxonomy
from evaluation.common import open_dev_pipeline, print_table, write_results
from nlp.pipeline import Pipeline
from nlp.search import QueryCues, Searcher, topic_words
from nlp.text import detect_language

LANGUAGES = ("en", "fr", "ar")
#: too wide to be a topic
LEFT_OUT = ("other", "general")
#: the weights compared on the ``choice`` topics
WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
K = 10


def topics() -> list[tuple[str, dict[str, str], str]]:
    """``(code, names by language, part)`` of each UPR Info issue used as a topic."""
    out = []
    for label in load_taxonomy("upr_issues"):
        if label.code in LEFT_OUT:
            continue
        part = "choice" if hashlib.sha1(label.code.encode()).digest()[0] % 2 == 0 else "report"
        out.append((label.code, {language: label.names[language] for language in LANGUAGES}, part))
    return out


def precision(pipeline: Pipeline, names: Sequence[str], issue: Sequence[str]) -> np.ndarray:
    """Per query (the ``names``), the share of its first :data:`K` English hits labelled with its ``issue``."""
    results = pipeline.search_many(list(names), K, language="en")
    return np.array(
        [
            np.mean([wanted in (hit.record.get("extra") or {}).get("upr_issues", []) for hit in hits]) if hits else 0.0
            for hits, wanted in zip(results, issue, strict=True)
        ]
    )


def scored(pipeline: Pipeline, chosen: list, weight: float) -> dict[str, dict[str, float]]:
    """Mean precision@10 by language, over all the ``chosen`` topics and over those whose name in that language
    the search reads as a topic (:func:`nlp.search.topic_words`: what the weight applies to)."""
    Searcher.topic_word_weight = weight
    out = {}
    for language in LANGUAGES:
        names = [names_of[language] for _, names_of, _ in chosen]
        values = precision(pipeline, names, [names_of["en"] for _, names_of, _ in chosen])
        short = np.array(
            [bool(topic_words(QueryCues.of(name, detect_language(name)), Searcher.topic_max_words)) for name in names]
        )
        out[language] = {
            "precision@10": float(values.mean()),
            "short_queries": int(short.sum()),
            "precision@10_short": float(values[short].mean()) if short.any() else float("nan"),
        }
    return out


def latencies(pipeline: Pipeline, names: Sequence[str], weight: float, repeat: int = 3) -> dict[str, float]:
    """p50 and p95 in ms of one search at a time (English hits) for each of the ``names``, ``repeat`` times."""
    Searcher.topic_word_weight = weight
    times = []
    for _ in range(repeat):
        for name in names:
            start = time.perf_counter()
            pipeline.search(name, K, language="en")
            times.append(1000 * (time.perf_counter() - start))
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95))}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="evaluation store (default evaluation/results/store)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    pipeline = open_dev_pipeline(args.store)
    shipped = Searcher.topic_word_weight
    parts = {part: [t for t in topics() if t[2] == part] for part in ("choice", "report")}
    choice = {weight: scored(pipeline, parts["choice"], weight) for weight in WEIGHTS}

    def mean_short(result):
        return float(np.mean([result[language]["precision@10_short"] for language in LANGUAGES]))

    # the smallest weight with the best mean precision of the short queries over the three languages
    best = max(WEIGHTS, key=lambda weight: (round(mean_short(choice[weight]), 4), -weight))
    print(f"choice topics ({len(parts['choice'])}): precision@10 of the short queries by weight, en / fr / ar")
    print_table(
        ("weight", *LANGUAGES, "mean"),
        [
            (weight, *(f"{result[lang]['precision@10_short']:.3f}" for lang in LANGUAGES), f"{mean_short(result):.3f}")
            for weight, result in choice.items()
        ],
    )
    print(f"chosen {best:g} (shipped {shipped:g})")
    report = {weight: scored(pipeline, parts["report"], weight) for weight in sorted({0.0, shipped})}
    print(f"\nreport topics ({len(parts['report'])}): precision@10, all queries / short queries (how many)")
    print_table(
        ("weight", *LANGUAGES),
        [
            (
                weight,
                *(
                    f"{result[lang]['precision@10']:.3f} / {result[lang]['precision@10_short']:.3f} "
                    f"({result[lang]['short_queries']})"
                    for lang in LANGUAGES
                ),
            )
            for weight, result in report.items()
        ],
    )
    names = [names_of[language] for _, names_of, _ in topics() for language in LANGUAGES]
    timing = {weight: latencies(pipeline, names, weight) for weight in sorted({0.0, shipped})}
    print(
        f"\none search at a time, the {len(names)} topic names (three runs): "
        + "; ".join(f"weight {w:g}: p50 {t['p50_ms']:.1f} ms, p95 {t['p95_ms']:.1f} ms" for w, t in timing.items())
    )
    Searcher.topic_word_weight = shipped
    results = {
        "chosen_weight": best,
        "shipped_weight": shipped,
        "choice": choice,
        "report": report,
        "latency": {str(weight): value for weight, value in timing.items()},
    }
    print(f"written {write_results('topic_search', results)}")
    return results


if __name__ == "__main__":
    main()
