"""The pipeline: composes the parts handed to it (store, index, embedder) and implements nothing itself."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nlp.embedding import CachedEmbedder, Embedder
from nlp.importer import Importer, ProgressCallback
from nlp.index import VectorIndex
from nlp.index_sync import open_index, rebuild_index
from nlp.records import ImportSummary, RowError, SearchHit, SourceRow
from nlp.search import Searcher
from nlp.store import Store


class Pipeline:
    """Import and search over one store.

    Example:
        >>> from nlp.embedding import HashingEmbedder
        >>> pipeline = Pipeline.open("/tmp/tawsiya-doc", HashingEmbedder())  # doctest: +SKIP
        >>> pipeline.search("ratify the convention against torture")  # doctest: +SKIP
    """

    def __init__(
        self, store: Store, index: VectorIndex, embedder: Embedder, index_path: Path | None = None, tagger=None
    ) -> None:
        self.store = store
        self.index = index
        self.embedder = embedder
        self.index_path = index_path
        #: tags every imported recommendation when set (a RecommendationTagger)
        self.tagger = tagger
        # queries repeat (a coordinator refines filters): keep their vectors in memory
        self._searcher = Searcher(store, index, CachedEmbedder(embedder))

    @classmethod
    def open(cls, folder: str | Path, embedder: Embedder) -> Pipeline:
        """Open (or create) the store in ``folder`` and its index, rebuilding the index if needed."""
        folder = Path(folder).expanduser()
        store = Store.open(folder)
        index_path = folder / "index" / f"{embedder.name}.faiss"
        index = open_index(store, index_path, embedder.name, embedder.dim)
        return cls(store, index, embedder, index_path)

    def import_rows(
        self,
        rows: Iterable[SourceRow | RowError],
        source: str,
        fmt: str,
        on_progress: ProgressCallback | None = None,
        batch_size: int = 512,
    ) -> ImportSummary:
        importer = Importer(self.store, self.index, self.embedder, batch_size=batch_size, tagger=self.tagger)
        try:
            return importer.run(rows, source, fmt, on_progress)
        finally:
            self.save_index()

    def record_failed_import(self, source: str, fmt: str, error: str) -> ImportSummary:
        """Keep a trace of an import whose file could not be read at all."""
        return Importer(self.store, self.index, self.embedder).run([], source, fmt, file_error=error)

    def search(self, query: str, k: int = 10, **filters: object) -> list[SearchHit]:
        return self._searcher.search(query, k, **filters)

    def search_many(self, queries: list[str], k: int = 10, **filters: object) -> list[list[SearchHit]]:
        return self._searcher.search_many(queries, k, **filters)

    def rebuild_index(self) -> int:
        """Rebuild the index from the store's vectors; return how many it holds."""
        rebuild_index(self.store, self.index)
        self.save_index()
        return len(self.index)

    def save_index(self) -> None:
        if self.index_path is not None:
            self.index.save(self.index_path)

    def close(self) -> None:
        self.store.close()
