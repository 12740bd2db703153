"""Concurrent searches served together: one encoder call and one index call for many queries.

A service answering many users at once spends most of a search's time in per-call overheads: the
encoder and the exact index scan cost far less per query in a batch of twenty than one by one. The
:class:`SearchBatcher` queues the searches of all request threads; one worker takes every search
waiting (after an optional short wait for more), embeds their queries in one call, and looks them
up with one index call per distinct set of filters. Under no load a search waits for nothing.

The encoder and the index scan release the interpreter lock, so with ``workers=2`` a second worker
serves the searches that arrive while the first is busy, on the other core.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nlp.embedding_text import embed_texts
from nlp.records import SearchHit
from nlp.search import QueryCues, Searcher
from nlp.text import detect_language


@dataclass
class _Search:
    query: str
    k: int
    filters: dict[str, Any]
    future: Future = field(default_factory=Future)

    def group(self) -> tuple:
        """Searches with equal groups share one index call (an ``allowed_ids`` array is its own group)."""
        return tuple(
            (name, id(value) if isinstance(value, np.ndarray) else value)
            for name, value in sorted(self.filters.items())
        )


class SearchBatcher:
    def __init__(self, searcher: Searcher, window_s: float = 0.0, max_batch: int = 64, workers: int = 1) -> None:
        self.searcher = searcher
        self.window_s = window_s
        self.max_batch = max_batch
        self._queue: queue.Queue[_Search | None] = queue.Queue()
        self._workers = [
            threading.Thread(target=self._run, name=f"search-batcher-{n}", daemon=True) for n in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    def search(self, query: str, k: int = 10, **filters: Any) -> list[SearchHit]:
        request = _Search(query, k, filters)
        self._queue.put(request)
        return request.future.result()

    def close(self) -> None:
        self._queue.put(None)  # each worker that meets it passes it on and stops
        for worker in self._workers:
            worker.join(timeout=10)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                self._queue.put(None)
                return
            batch = [first]
            deadline = time.monotonic() + self.window_s
            while len(batch) < self.max_batch:
                try:
                    timeout = deadline - time.monotonic()
                    item = self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after serving this batch
                    break
                batch.append(item)
            self._serve(batch)

    def _serve(self, batch: list[_Search]) -> None:
        try:
            languages = [detect_language(s.query) for s in batch]
            queries = [s.query for s in batch]
            cues = [QueryCues.of(query, lang) for query, lang in zip(queries, languages, strict=True)]
            vectors = embed_texts(self.searcher.embedder, queries, languages)
        except Exception as error:  # every waiting search gets the error, the worker lives on
            for request in batch:
                request.future.set_exception(error)
            return
        groups: dict[tuple, list[int]] = {}
        for position, request in enumerate(batch):
            groups.setdefault(request.group(), []).append(position)
        for positions in groups.values():
            requests = [batch[p] for p in positions]
            try:
                k = max(r.k for r in requests)
                results = self.searcher.search_vectors(
                    vectors[positions], k, cues=[cues[p] for p in positions], **requests[0].filters
                )
            except Exception as error:
                for request in requests:
                    request.future.set_exception(error)
                continue
            for request, hits in zip(requests, results, strict=True):
                request.future.set_result(hits[: request.k])
