"""Import: validated rows in, recommendations stored, embedded and indexed out.

Rows arrive already parsed (see :mod:`corpora.recommendation_files`); each batch is normalised,
language-tagged, embedded with acronyms written out (texts already embedded are looked up, never
embedded again), written
to the store in one transaction and added to the index. Rows whose id is already stored are
counted and skipped, so importing a file twice stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from nlp.annotation import annotate
from nlp.embedding import Embedder, text_key
from nlp.embedding_text import embedding_text
from nlp.index import VectorIndex
from nlp.records import ImportSummary, Recommendation, RowError, SourceRow
from nlp.store import Store
from nlp.text import UNDETERMINED, detect_language, normalize_for_matching

ProgressCallback = Callable[[ImportSummary], None]


@dataclass
class PreparedBatch:
    """New recommendations of one batch with their matching keys and embedding keys."""

    recommendations: list[Recommendation]
    norms: list[str]
    #: the text given to the encoder (acronyms written out), and its cache key
    embed_texts: list[str]
    keys: list[str]


class Importer:
    """Runs rows through language detection, embedding, storage and indexing, batch by batch."""

    def __init__(
        self,
        store: Store,
        index: VectorIndex,
        embedder: Embedder,
        batch_size: int = 512,
        tagger=None,
        mapper=None,
    ) -> None:
        self.store = store
        self.index = index
        self.embedder = embedder
        self.batch_size = batch_size
        #: a :class:`nlp.tagging.tagger.RecommendationTagger`, or None to store no tags
        self.tagger = tagger
        #: a :class:`nlp.ministries.MinistryMapper`, or None to propose no responsible bodies
        self.mapper = mapper

    def run(
        self,
        rows: Iterable[SourceRow | RowError],
        source: str,
        fmt: str,
        on_progress: ProgressCallback | None = None,
        file_error: str | None = None,
        import_id: int | None = None,
    ) -> ImportSummary:
        """Import ``rows`` and return the summary (also kept in the store under its import id).

        ``import_id`` runs an import already recorded (a queued upload, or one to resume)."""
        summary = ImportSummary(import_id=self.store.start_import(source, fmt, import_id), source=source)
        if file_error:
            summary.file_error = file_error
            self.store.finish_import(summary, "failed")
            return summary
        batch: list[SourceRow] = []
        errors: list[RowError] = []
        status = "failed"
        try:
            for item in rows:
                summary.rows_read += 1  # good or bad, as the file's rows are counted for the progress bar
                if isinstance(item, RowError):
                    errors.append(item)
                    summary.rejected.append(item)
                    continue
                batch.append(item)
                if len(batch) >= self.batch_size:
                    self._import_batch(batch, summary, errors, on_progress)
                    batch, errors = [], []
            self._import_batch(batch, summary, errors, on_progress)
            status = "done"
        except Exception as error:  # keep what was committed, record why the rest was not
            summary.file_error = f"{type(error).__name__}: {error}"
            raise
        finally:
            self.store.finish_import(summary, status)
        return summary

    def _import_batch(
        self,
        batch: list[SourceRow],
        summary: ImportSummary,
        errors: list[RowError],
        on_progress: ProgressCallback | None,
    ) -> None:
        prepared = self._prepare(batch, summary)
        if prepared.recommendations:
            vectors = self._vectors_for(prepared)
            tags = ministries = None
            if self.tagger is not None or self.mapper is not None:
                recs = prepared.recommendations
                annotations = annotate(
                    np.stack([vectors[key] for key in prepared.keys]),
                    [rec.text for rec in recs],
                    [rec.language or "en" for rec in recs],
                    self.tagger,
                    self.mapper,
                )
                tags = {rec.id: a.tags for rec, a in zip(recs, annotations, strict=True)}
                ministries = {rec.id: a.bodies() for rec, a in zip(recs, annotations, strict=True)}
            inserted = self.store.add_recommendations(
                list(zip(prepared.recommendations, prepared.norms, prepared.keys, strict=True)),
                {key: (self.embedder.name, vectors[key]) for key in prepared.keys},
                summary.import_id,
                tags,
                ministries,
            )
            summary.inserted += len(inserted)
            summary.already_stored += len(prepared.recommendations) - len(inserted)
            if inserted:
                key_of = {rec.id: key for rec, key in zip(prepared.recommendations, prepared.keys, strict=True)}
                ids = list(inserted)
                self.index.add([inserted[i] for i in ids], np.stack([vectors[key_of[i]] for i in ids]))
        self.store.record_progress(summary, errors)
        if on_progress:
            on_progress(summary)

    def _prepare(self, batch: list[SourceRow], summary: ImportSummary) -> PreparedBatch:
        seen: set[str] = set()
        unique = []
        for row in batch:
            if row.recommendation.id in seen:
                summary.already_stored += 1
                continue
            seen.add(row.recommendation.id)
            unique.append(row.recommendation)
        stored = self.store.existing_ids(seen)
        summary.already_stored += sum(1 for rec in unique if rec.id in stored)
        fresh = [rec for rec in unique if rec.id not in stored]
        for rec in fresh:
            if not rec.language:
                rec.language = detect_language(rec.text) or UNDETERMINED
        embed_texts = [embedding_text(rec.text, rec.language) for rec in fresh]
        return PreparedBatch(
            recommendations=fresh,
            norms=[normalize_for_matching(rec.text) for rec in fresh],
            embed_texts=embed_texts,
            keys=[text_key(self.embedder.name, text) for text in embed_texts],
        )

    def _vectors_for(self, prepared: PreparedBatch) -> dict[str, np.ndarray]:
        """Vectors by embedding key: those already stored are looked up, the others embedded once."""
        vectors = self.store.get_vectors(list(dict.fromkeys(prepared.keys)))
        missing = {
            key: text for key, text in zip(prepared.keys, prepared.embed_texts, strict=True) if key not in vectors
        }
        if missing:
            fresh = self.embedder.embed(list(missing.values()))
            vectors.update(zip(missing.keys(), fresh, strict=True))
        return vectors
