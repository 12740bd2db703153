"""Semantic search over stored recommendations, across languages, with metadata filters."""

from __future__ import annotations

from collections.abc import Sequence

from nlp.acronyms import expand_acronyms
from nlp.embedding import Embedder
from nlp.index import VectorIndex
from nlp.records import SearchHit
from nlp.store import Store
from nlp.text import detect_language


class Searcher:
    """Embeds queries and looks them up in the index; filters are resolved by the store."""

    def __init__(self, store: Store, index: VectorIndex, embedder: Embedder) -> None:
        self.store = store
        self.index = index
        self.embedder = embedder

    def search(
        self,
        query: str,
        k: int = 10,
        language: str | None = None,
        state_under_review: str | None = None,
        mechanism: str | None = None,
        min_score: float | None = None,
    ) -> list[SearchHit]:
        """The ``k`` stored recommendations most similar to ``query``, best first."""
        return self.search_many([query], k, language, state_under_review, mechanism, min_score)[0]

    def search_many(
        self,
        queries: Sequence[str],
        k: int = 10,
        language: str | None = None,
        state_under_review: str | None = None,
        mechanism: str | None = None,
        min_score: float | None = None,
    ) -> list[list[SearchHit]]:
        """:meth:`search` for several queries, embedded in one batch."""
        if not queries:
            return []
        allowed = self.store.filter_pks(language, state_under_review, mechanism)
        vectors = self.embedder.embed([expand_acronyms(q, detect_language(q)) for q in queries])
        results = self.index.search_many(vectors, k=k, min_score=min_score, allowed_ids=allowed)
        records = self.store.get_records(sorted({pk for hits in results for pk, _ in hits}))
        return [[SearchHit(score=score, record=records[pk]) for pk, score in hits if pk in records] for hits in results]
