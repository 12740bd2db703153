"""Import: validated rows in, recommendations stored, embedded and indexed out.

Rows arrive already parsed (see :mod:`corpora.recommendation_files`); each batch is normalised,
language-tagged, embedded with acronyms written out (texts already embedded are looked up, never
embedded again), written
to the store in one transaction and added to the index. A row whose id is already stored (or
given to an earlier row of the import) is counted and skipped when its text is the same, so
importing a file twice stores nothing twice, and rejected on its field ``id`` when its text is
another: the stored text is kept and the row is reported, never dropped unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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
        summary = ImportSummary(import_id=self.store.imports.start(source, fmt, import_id), source=source)
        if file_error:
            summary.file_error = file_error
            self.store.imports.finish(summary, "failed")
            return summary
        batch: list[SourceRow] = []
        errors: list[RowError] = []
        status = "failed"
        try:
            for item in rows:
                summary.rows_read += 1  # good or bad, as the file's rows are counted for the progress bar
                if isinstance(item, RowError):
                    errors.append(item)
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
            self.store.imports.finish(summary, status)
        return summary

    def _import_batch(
        self,
        batch: list[SourceRow],
        summary: ImportSummary,
        errors: list[RowError],
        on_progress: ProgressCallback | None,
    ) -> None:
        prepared = self._prepare(batch, summary, errors)
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
        errors.sort(key=lambda error: error.line)
        summary.rejected.extend(errors)
        self.store.imports.record_progress(summary, errors)
        if on_progress:
            on_progress(summary)

    def _prepare(self, batch: list[SourceRow], summary: ImportSummary, errors: list[RowError]) -> PreparedBatch:
        checked = check_ids(self.store, batch)
        summary.already_stored += checked.repeated
        errors.extend(checked.conflicts)
        fresh = [row.recommendation for row, _ in checked.fresh]
        for rec in fresh:
            if not rec.language:
                rec.language = detect_language(rec.text) or UNDETERMINED
        embed_texts = [embedding_text(rec.text, rec.language) for rec in fresh]
        return PreparedBatch(
            recommendations=fresh,
            norms=[norm for _, norm in checked.fresh],
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


@dataclass
class IdCheck:
    """Rows sorted by their id: new ones (with their matching keys), repeats of a stored or earlier
    row with the same text, and rows reusing a taken id for another text."""

    fresh: list[tuple[SourceRow, str]] = field(default_factory=list)
    repeated: int = 0
    conflicts: list[RowError] = field(default_factory=list)


def check_ids(store: Store, rows: list[SourceRow]) -> IdCheck:
    """Sort ``rows`` by whether their id is new, taken for the same text, or taken for another."""
    stored = store.stored_texts({row.recommendation.id for row in rows})
    known = {rec_id: (normalize_for_matching(text), "a stored recommendation") for rec_id, text in stored.items()}
    checked = IdCheck()
    for row in rows:
        rec_id, norm = row.recommendation.id, normalize_for_matching(row.recommendation.text)
        if rec_id not in known:
            known[rec_id] = (norm, "an earlier row")
            checked.fresh.append((row, norm))
        elif known[rec_id][0] == norm:
            checked.repeated += 1
        else:
            holder = known[rec_id][1]
            message = f"id {rec_id!r} is already used by {holder} with another text; give this text an id of its own"
            checked.conflicts.append(RowError(row.line, message, "id"))
    return checked
