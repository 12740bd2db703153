"""Fixtures shared by the search-ranking tests."""

import numpy as np
import pytest

from nlp.pipeline import Pipeline
from nlp.records import Recommendation, SourceRow
from nlp.search import Searcher


class _NearEqualEmbedder:
    """The first stored text embeds a hair nearer the query vector ``[1, 0]`` than every other text."""

    name, dim = "fixed-2", 2

    def __init__(self, nearer: str) -> None:
        self.nearer = nearer

    def embed(self, texts):
        return np.array([[1.0, 0.0] if t == self.nearer else [0.999, 0.0447] for t in texts], dtype=np.float32)


@pytest.fixture
def near_equal_search(tmp_path):
    """``open(texts)`` -> ``(searcher, query vector)`` over ``texts`` stored as ids ``r0, r1, ...``, the
    first of them a hair nearer the query; the store is closed after the test."""
    opened = []

    def open_search(texts: list[str]) -> tuple[Searcher, np.ndarray]:
        pipeline = Pipeline.open(tmp_path, _NearEqualEmbedder(texts[0]))
        opened.append(pipeline)
        rows = [SourceRow(i + 1, Recommendation(text=t, id=f"r{i}", language="en")) for i, t in enumerate(texts)]
        pipeline.import_rows(rows, "test", "jsonl")
        return Searcher(pipeline.store, pipeline.index, pipeline.embedder), np.array([[1.0, 0.0]], dtype=np.float32)

    yield open_search
    for pipeline in opened:
        pipeline.close()
