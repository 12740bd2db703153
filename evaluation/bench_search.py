"""Single-query search latency on the full dev index, in-process.

    python -m evaluation.bench_search [--store DIR] [--k K]

Each query is embedded, searched in FAISS and its hits read from SQLite, one query at a time, as a
user's search would be. Queries are the French, Arabic and English texts of the search evaluation
set, searched without the pipeline's query cache, so every query is embedded. The index holds the
dev set alone (a store of its own, ``evaluation/results/store-dev``, imported once): in the store of
``evaluation.search`` the French and Arabic queries would find their own stored copies and skip the
cross-lingual ranking. The English queries are dev-set texts, as a search for a known recommendation is.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from evaluation.common import EVAL_DATA, RESULTS, open_dev_pipeline, print_table, read_jsonl, write_results
from nlp.search import Searcher

DEV_ONLY_STORE = RESULTS / "store-dev"


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=DEV_ONLY_STORE, help="a store of the dev set alone")
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args(argv)
    pipeline = open_dev_pipeline(args.store)
    languages = {language: len(pipeline.store.filter_pks(language=language)) for language in ("en", "fr", "ar")}
    items = read_jsonl(EVAL_DATA / "search_translations.jsonl")
    queries = [item[lang] for item in items for lang in ("fr", "ar", "en")]
    # no query cache
    searcher = Searcher(pipeline.store, pipeline.index, pipeline.embedder, word_translation=pipeline.word_translation)
    searcher.search("warm-up query", args.k)
    rows, results = [], {"indexed": len(pipeline.index), "languages": languages, "queries": len(queries)}
    for label, filters in (
        ("no filter", {}),
        ("lang=en", {"language": "en"}),
        ("state=Morocco", {"state_under_review": "Morocco"}),
    ):
        latencies = []
        for query in queries:
            start = time.perf_counter()
            searcher.search(query, args.k, **filters)
            latencies.append((time.perf_counter() - start) * 1000)
        p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
        rows.append((label, len(latencies), p50, p95, p99))
        results[label] = {"p50_ms": p50, "p95_ms": p95, "p99_ms": p99}
    print(f"index: {len(pipeline.index)} vectors ({languages}) in {args.store}; k={args.k}")
    print_table(("filter", "queries", "p50 ms", "p95 ms", "p99 ms"), rows)
    print(f"written {write_results('bench_search', results)}")
    pipeline.close()
    return results


if __name__ == "__main__":
    main()
