"""Concurrent searches served together give the answers each would get alone."""

import threading
import time

from corpora.recommendation_files import read_recommendations
from nlp.batching import SearchBatcher
from tests.conftest import SAMPLES, write_csv


class SlowCountingEmbedder:
    """Wraps an embedder; each call is slow, so searches arriving meanwhile queue up."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.calls = inner, inner.name, inner.dim, 0

    def embed(self, texts):
        self.calls += 1
        time.sleep(0.05)
        return self.inner.embed(texts)


def test_concurrent_searches_are_batched_and_answer_as_alone(pipeline, tmp_path):
    path = write_csv(tmp_path / "recs.csv", SAMPLES)
    pipeline.import_rows(read_recommendations(path), str(path), "csv")
    queries = [s["text"] for s in SAMPLES] * 4
    alone = [[(h.record["id"], round(h.score, 5)) for h in pipeline.search(q, 3)] for q in queries]
    searcher = pipeline._searcher
    counting = SlowCountingEmbedder(searcher.embedder)
    searcher.embedder = counting
    batcher = SearchBatcher(searcher)
    results: dict[int, list] = {}

    def run(i):
        filters = {"mechanism": "UPR"} if i % 2 else {}
        hits = batcher.search(queries[i], 3, **filters)
        results[i] = [(h.record["id"], round(h.score, 5)) for h in hits], filters

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(queries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batcher.close()
    assert counting.calls < len(queries)  # several searches per encoder call
    for i, (hits, filters) in results.items():
        if filters:
            expected = [
                (h.record["id"], round(h.score, 5))
                for h in pipeline._searcher.search(queries[i], 3, **{"mechanism": "UPR"})
            ]
            assert hits == expected
        else:
            assert hits == alone[i]


def test_an_error_reaches_every_waiting_search_and_the_worker_survives(pipeline):
    class Failing:
        name, dim = "failing", 64

        def embed(self, texts):
            raise RuntimeError("encoder down")

    searcher = pipeline._searcher
    original = searcher.embedder
    searcher.embedder = Failing()
    batcher = SearchBatcher(searcher)
    try:
        batcher.search("anything")
    except RuntimeError as error:
        assert "encoder down" in str(error)
    else:
        raise AssertionError("the error was swallowed")
    searcher.embedder = original
    assert batcher.search("anything") == []  # empty store, worker still serving
    batcher.close()
