"""The pipeline: composes the parts handed to it (store, index, embedder) and implements nothing itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from nlp.annotation import Annotation, annotate
from nlp.batching import SearchBatcher
from nlp.embedding import CachedEmbedder, Embedder
from nlp.embedding_text import embed_texts
from nlp.importer import Importer, ProgressCallback
from nlp.index import VectorIndex
from nlp.index_sync import add_stored_after, open_index, rebuild_index
from nlp.locks import StoreLock
from nlp.records import DecisionSummary, ImportSummary, MinistryDecision, RowError, SearchHit, SourceRow
from nlp.search import Searcher
from nlp.store import Store
from nlp.store.annotation_repository import MANUAL, Annotations
from nlp.tagging.tags import Tag
from nlp.text import detect_language
from nlp.word_translation import WordTranslation


class Pipeline:
    """Import, annotate, cluster and search over one store.

    Example:
        >>> from nlp.embedding import HashingEmbedder
        >>> pipeline = Pipeline.open("/tmp/tawsiya-doc", HashingEmbedder())  # doctest: +SKIP
        >>> pipeline.search("ratify the convention against torture")  # doctest: +SKIP
    """

    def __init__(
        self,
        store: Store,
        index: VectorIndex,
        embedder: Embedder,
        index_path: Path | None = None,
        tagger=None,
        mapper=None,
        clusters=None,
        cluster_lock: StoreLock | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self.embedder = embedder
        self.index_path = index_path
        #: tags every imported recommendation when set (a RecommendationTagger)
        self.tagger = tagger
        #: proposes responsible bodies for every imported recommendation when set (a MinistryMapper)
        self.mapper = mapper
        #: re-clusters the states an import touched when set (a ClusterManager)
        self.clusters = clusters
        self.annotations = Annotations(store)
        #: serialises re-clustering and coordinators' cluster decisions (across processes when on file)
        self.cluster_lock = cluster_lock or StoreLock()
        # queries repeat (a coordinator refines filters): keep their vectors in memory
        self._searcher = Searcher(store, index, CachedEmbedder(embedder))
        self._batcher: SearchBatcher | None = None

    @classmethod
    def open(cls, folder: str | Path, embedder: Embedder, with_index: bool = True) -> Pipeline:
        """Open (or create) the store in ``folder`` and its index, rebuilding the index if needed.

        ``with_index=False`` (a worker that only imports, beside a process that serves the index):
        an empty in-memory index that is never saved; the store still gets every vector."""
        folder = Path(folder).expanduser()
        store = Store.open(folder)
        lock = StoreLock(folder / "clusters.lock")
        if not with_index:
            return cls(store, VectorIndex(embedder.dim, embedder.name), embedder, cluster_lock=lock)
        index_path = folder / "index" / f"{embedder.name}.faiss"
        index = open_index(store, index_path, embedder.name, embedder.dim)
        return cls(store, index, embedder, index_path, cluster_lock=lock)

    def import_rows(
        self,
        rows: Iterable[SourceRow | RowError],
        source: str,
        fmt: str,
        on_progress: ProgressCallback | None = None,
        batch_size: int = 512,
        import_id: int | None = None,
    ) -> ImportSummary:
        """Import rows (tagged and mapped when a tagger and mapper are set), then re-cluster the states
        they belong to. ``import_id`` runs an already recorded import (queued or to resume)."""
        states: set[str] = set()
        importer = Importer(
            self.store, self.index, self.embedder, batch_size=batch_size, tagger=self.tagger, mapper=self.mapper
        )
        try:
            summary = importer.run(_noting_states(rows, states), source, fmt, on_progress, import_id=import_id)
        finally:
            self.save_index()
        if self.clusters is not None and summary.inserted:
            with self.cluster_lock:
                self.clusters.recluster_states(states)
        return summary

    def annotate_texts(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[Annotation]:
        """Tags and proposed bodies of free texts (nothing is stored)."""
        languages = [
            lang or detect_language(text) for text, lang in zip(texts, languages or [None] * len(texts), strict=True)
        ]
        vectors = embed_texts(self.embedder, texts, languages)
        return annotate(vectors, texts, languages, self.tagger, self.mapper)

    def correct_ministries(
        self, rec_id: str, lead: str, supporting: Sequence[str], decided_by: str | None = None
    ) -> None:
        """Store a coordinator's bodies for ``rec_id`` (and who set them); the mapper learns from them at once."""
        pk = self.store.pk_of(rec_id)
        if pk is None:
            raise KeyError(rec_id)
        self._correct_ministries(pk, rec_id, lead, supporting, decided_by)

    def _correct_ministries(
        self, pk: int, rec_id: str, lead: str, supporting: Sequence[str], decided_by: str | None
    ) -> None:
        self.annotations.correct_ministries(pk, lead, supporting, decided_by)
        if self.mapper is not None:
            vector = self._stored_vector(rec_id)
            if vector is not None:
                text = self.store.get_records([pk])[pk]["text"]
                self.mapper.remember(vector[None, :], [lead], [list(supporting)], [text])
                self._map(self._proposals_reached(pk, vector))

    def withdraw_ministry_decisions(self, rec_ids: Sequence[str]) -> list[str]:
        """Withdraw coordinators' bodies for ``rec_ids``: the mapper forgets those decisions (the others are fed
        again, once) and proposes anew the bodies of these recommendations and of those the decisions had
        reached. Return the ids that had a decision to withdraw; an unknown id raises ``KeyError``."""
        pks = []
        for rec_id in rec_ids:
            pk = self.store.pk_of(rec_id)
            if pk is None:
                raise KeyError(rec_id)
            pks.append(pk)
        withdrawn = [
            (rec_id, pk) for rec_id, pk in zip(rec_ids, pks, strict=True) if self.annotations.withdraw_ministries(pk)
        ]
        if withdrawn and self.mapper is not None:
            self.learn_from_corrections(replace=True)
            reached = [pk for _, pk in withdrawn]
            for rec_id, pk in withdrawn:
                vector = self._stored_vector(rec_id)
                reached += self._proposals_reached(pk, vector) if vector is not None else []
            self._map(list(dict.fromkeys(reached)))
        return [rec_id for rec_id, _ in withdrawn]

    def apply_ministry_decisions(
        self,
        decisions: Iterable[MinistryDecision | RowError],
        confirm_proposals: bool = False,
        decided_by: str | None = None,
    ) -> DecisionSummary:
        """Store coordinators' decisions (read from a file by :mod:`corpora.decision_files`), in order: a
        later decision on a recommendation replaces an earlier one. A decision that repeats the bodies
        already stored (supporting bodies in any order) is left as it is, so an automatic proposal read back
        unchanged from an export stays a proposal; with ``confirm_proposals`` it becomes a coordinator's
        decision."""
        summary = DecisionSummary()
        for decision in decisions:
            if isinstance(decision, RowError):
                summary.rejected.append(decision)
                continue
            pk = self.store.pk_of(decision.rec_id)
            if pk is None:
                summary.rejected.append(RowError(decision.line, f"no stored recommendation {decision.rec_id!r}", "id"))
                continue
            stored = self.annotations.ministries([pk]).get(pk) or {}
            lead = (stored.get("lead") or {}).get("id")
            same = (lead, {body["id"] for body in stored.get("supporting", [])}) == (
                decision.lead,
                set(decision.supporting),
            )
            if same and (stored["source"] == MANUAL or not confirm_proposals):
                summary.unchanged += 1
                continue
            self._correct_ministries(pk, decision.rec_id, decision.lead, decision.supporting, decided_by)
            summary.applied.append(decision.rec_id)
        return summary

    def _proposals_reached(self, pk: int, vector: np.ndarray, k: int = 200) -> list[int]:
        """Stored recommendations a correction of ``pk`` speaks for, whose bodies are the mapper's
        proposals, not a coordinator's: among its ``k`` nearest, those at a cosine its vote reaches
        (the mapper's ``memory_min_cosine``, at most 0.8: the texts of the same wording, which take the
        correction outright, are all above 0.82 in 400 dev-set pairs)."""
        if self.index is None:
            return []
        reach = min(0.8, self.mapper.weights.memory_min_cosine)
        near = [hit for hit, _ in self.index.search(vector, k=k, min_score=reach) if hit != pk]
        present = self.annotations.ministries(near)
        return [p for p in near if present.get(p, {}).get("source") != MANUAL]

    def map_missing(self, pks: Sequence[int], batch_size: int = 512) -> int:
        """Propose bodies for stored recommendations that have none yet (stored before mapping was
        on, or under another directory); return how many were mapped."""
        if self.mapper is None:
            return 0
        present = self.annotations.ministries(pks)
        return self.map_again([pk for pk in pks if pk not in present], batch_size)

    def map_again(self, pks: Sequence[int], batch_size: int = 512) -> int:
        """Propose bodies for stored recommendations ``pks`` again, replacing the mapper's earlier proposals (after
        a new directory, classifier or mapper); coordinators' decisions stay. Return how many were mapped."""
        if self.mapper is None:
            return 0
        for start in range(0, len(pks), batch_size):
            self._map(pks[start : start + batch_size])
        return len(pks)

    def _map(self, chunk: Sequence[int]) -> None:
        """Propose the bodies of stored recommendations ``chunk`` (replacing earlier proposals)."""
        records = self.store.get_records(chunk)
        vectors = self.store.vectors_of([records[pk]["id"] for pk in chunk if pk in records], self.embedder.name)
        chunk = [pk for pk in chunk if pk in records and records[pk]["id"] in vectors]
        if not chunk:
            return
        stored_tags = self.store.get_tags(chunk)
        tags = [
            {
                field: [Tag(t["code"], "", t["score"], t["reason"]) for t in found]
                for field, found in stored_tags.get(pk, {}).items()
            }
            for pk in chunk
        ]
        matrix = np.stack([vectors[records[pk]["id"]] for pk in chunk])
        languages = [records[pk]["language"] for pk in chunk]
        probabilities = (
            self.tagger.issues.probabilities(matrix, languages)
            if self.tagger is not None
            else np.zeros((len(chunk), self.mapper.issue_matrix_.shape[0]), dtype=np.float32)
        )
        assignments = self.mapper.assign(matrix, [records[pk]["text"] for pk in chunk], probabilities, tags, languages)
        self.annotations.add_automatic_ministries(
            {pk: Annotation(tags[i], assignments[i]).bodies() for i, pk in enumerate(chunk)}
        )

    def learn_from_corrections(self, replace: bool = False) -> int:
        """Feed every stored ministry correction to the mapper (at start), or with ``replace`` put them in
        place of those it remembers (after one was withdrawn); return how many."""
        if self.mapper is None:
            return 0
        vectors, leads, supporting, texts = self.annotations.ministry_corrections(self.embedder.name)
        known = set(self.mapper.ids)
        keep = [i for i, lead in enumerate(leads) if lead in known]
        if keep or replace:
            self.mapper.remember(
                vectors[keep],
                [leads[i] for i in keep],
                [[b for b in supporting[i] if b in known] for i in keep],
                [texts[i] for i in keep],
                replace=replace,
            )
        return len(keep)

    def _stored_vector(self, rec_id: str) -> np.ndarray | None:
        return self.store.vectors_of([rec_id], self.embedder.name).get(rec_id)

    def record_failed_import(self, source: str, fmt: str, error: str) -> ImportSummary:
        """Keep a trace of an import whose file could not be read at all."""
        return Importer(self.store, self.index, self.embedder).run([], source, fmt, file_error=error)

    def batch_searches(self, window_s: float = 0.0, workers: int = 1) -> None:
        """Serve concurrent :meth:`search` calls together (for a service with many users at once)."""
        if self._batcher is None:
            self._batcher = SearchBatcher(self._searcher, window_s, workers=workers)

    def warm_up(self) -> None:
        """Do before the first request what the first search would otherwise do (the index's first-pass
        codes, the encoder's first call), so that no user waits for it."""
        self.index.prepare()
        self._searcher.search("warm-up", 1)

    @property
    def word_translation(self) -> WordTranslation | None:
        """The word translation tables that order near-twin wordings in cross-lingual search (none: unordered)."""
        return self._searcher.word_translation

    @word_translation.setter
    def word_translation(self, tables: WordTranslation | None) -> None:
        self._searcher.word_translation = tables

    def search(self, query: str, k: int = 10, **filters: object) -> list[SearchHit]:
        if self._batcher is not None:
            return self._batcher.search(query, k, **filters)
        return self._searcher.search(query, k, **filters)

    def search_many(self, queries: list[str], k: int = 10, **filters: object) -> list[list[SearchHit]]:
        return self._searcher.search_many(queries, k, **filters)

    def similar_to(self, vector: np.ndarray, k: int = 10, **filters: object) -> list[SearchHit]:
        """The stored recommendations nearest to ``vector`` (e.g. a stored recommendation's own)."""
        return self._searcher.search_vectors(np.asarray(vector, dtype=np.float32)[None, :], k, **filters)[0]

    def rebuild_index(self) -> int:
        """Rebuild the index from the store's vectors; return how many it holds."""
        rebuild_index(self.store, self.index)
        self.save_index()
        return len(self.index)

    def index_stored_after(self, pk: int) -> int:
        """Add to the index the vectors of recommendations stored after primary key ``pk`` (by another
        process, e.g. an import worker); return the largest primary key now indexed from there."""
        return add_stored_after(self.store, self.index, pk)

    def save_index(self) -> None:
        if self.index_path is not None:
            self.index.save(self.index_path)

    def close(self) -> None:
        if self._batcher is not None:
            self._batcher.close()
            self._batcher = None
        self.store.close()


def _noting_states(rows: Iterable[SourceRow | RowError], states: set[str]) -> Iterator[SourceRow | RowError]:
    for row in rows:
        if isinstance(row, SourceRow) and row.recommendation.state_under_review:
            states.add(row.recommendation.state_under_review)
        yield row
