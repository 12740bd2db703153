"""Time and peak memory of duplicate clustering on 1k, 10k and the full dev set (embeddings precomputed).

    python -m evaluation.bench_dedup [--store DIR] [--sizes 1000 10000 0]

Each size runs in a fresh process on the first N dev-set recommendations, clustered as ONE scope
(the global mode, the hardest case: every text may pair with every other); the full set is also
clustered state by state (the default scope). Memory is the peak of what clustering allocates
through Python and NumPy (tracemalloc), beyond the inputs already loaded; FAISS's own buffers for
the neighbour search (50 neighbours per text) are not traced.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from evaluation.common import open_dev_pipeline, print_table, write_results
from nlp.instruments import signature
from nlp.store.cluster_repository import GLOBAL_SCOPE, ClusterRepository
from service.config import Settings
from service.factory import build_clusterer


def _run(folder: str, size: int, per_state: bool, queue) -> None:
    data = np.load(Path(folder) / "data.npz", allow_pickle=False)
    vectors, keys, states, signatures = (
        data["vectors"][:size],
        data["keys"][:size].tolist(),
        data["states"][:size],
        [frozenset(codes.split()) for codes in data["signatures"][:size].tolist()],
    )
    languages = ["en"] * len(keys)
    tracemalloc.start()
    clusterer = build_clusterer(Settings())
    start = time.perf_counter()
    if per_state:
        clusters = 0
        for state in np.unique(states):
            rows = np.flatnonzero(states == state)
            labels = clusterer.fit(
                vectors[rows],
                keys=[keys[i] for i in rows],
                signatures=[signatures[i] for i in rows],
                languages=[languages[i] for i in rows],
            ).labels_
            clusters += int(labels.max()) + 1
    else:
        clusters = int(clusterer.fit(vectors, keys=keys, signatures=signatures, languages=languages).labels_.max()) + 1
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queue.put({"seconds": seconds, "peak_mb": peak / 2**20, "clusters": clusters})


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 0], help="0: the whole dev set")
    args = parser.parse_args(argv)
    pipeline = open_dev_pipeline(args.store)
    rows = ClusterRepository(pipeline.store).scope_rows(GLOBAL_SCOPE, pipeline.embedder.name)
    dev = [i for i, rec_id in enumerate(rows.ids) if rec_id.startswith("upr-info:")]
    records = pipeline.store.get_records(rows.pks[dev].tolist())
    states = np.array([records[pk]["state_under_review"] or "" for pk in rows.pks[dev].tolist()])
    start = time.perf_counter()
    signatures = [" ".join(sorted(signature(rows.texts[i], "en"))) for i in dev]
    signature_seconds = time.perf_counter() - start
    pipeline.close()
    results, table = {"signatures_s": signature_seconds}, []
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        np.savez(
            Path(folder) / "data.npz",
            vectors=rows.vectors[dev],
            keys=np.array([rows.norms[i] for i in dev]),
            states=states,
            signatures=np.array(signatures),
        )
        runs = [(size or len(dev), False) for size in args.sizes] + [(len(dev), True)]
        for size, per_state in runs:
            queue = context.Queue()
            process = context.Process(target=_run, args=(folder, size, per_state, queue))
            process.start()
            outcome = queue.get()
            process.join()
            label = f"{size} {'per state' if per_state else 'one scope'}"
            results[label] = outcome
            table.append((label, outcome["seconds"], outcome["peak_mb"], outcome["clusters"]))
    print_table(("recommendations", "seconds", "peak MB", "clusters"), table)
    print(f"instrument signatures of {len(dev)} texts: {signature_seconds:.1f} s (computed once, cached by text)")
    print(f"written {write_results('bench_dedup', results)}")
    return results


if __name__ == "__main__":
    main()
