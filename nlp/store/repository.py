"""The store: recommendations, their embeddings and the history of imports, in one SQL database.

SQLite through SQLAlchemy 2, in WAL mode so that searches read while an import writes. Every
write of a batch happens in one transaction: a crash keeps whole batches or nothing of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from nlp.lru import LruCache
from nlp.records import METADATA_FIELDS, Recommendation
from nlp.store.import_log import ImportLog
from nlp.store.migrations import upgrade
from nlp.store.schema import (
    EmbeddingRow,
    MinistryAssignmentRow,
    RecommendationRow,
    TagRow,
    utcnow,
)
from nlp.tagging.tags import Tag

#: Columns returned for a stored recommendation (search results, exports, the API).
RECORD_FIELDS: tuple[str, ...] = ("id", "text", *METADATA_FIELDS, "extra")
_SQL_BATCH = 500
#: automatic tags are many (about eight per recommendation): written by the driver's executemany,
#: without SQLAlchemy's per-row parameter processing
_INSERT_AUTO_TAGS = (
    f"INSERT INTO {TagRow.__tablename__} (rec_pk, field, code, source, score, reason) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _chunks(items: Sequence[Any], size: int = _SQL_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Store:
    """Data access for everything Tawsiya keeps. ``Store.open(folder)`` uses ``folder/tawsiya.db``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _enable_sqlite_pragmas)
        upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._snapshot: dict[str, np.ndarray] = {}
        self._snapshot_version: int | None = -1
        # a stored record never changes (tags, bodies and decisions live in tables of their own, rows
        # are never deleted): searches that return the same recommendations again pay no SQL for them
        self._records: LruCache[int, dict[str, Any]] = LruCache(20_000)
        #: the history of imports: counts, status and rejected rows
        self.imports = ImportLog(self.session)

    @classmethod
    def open(cls, folder: str | Path) -> Store:
        folder = Path(folder).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{folder / 'tawsiya.db'}")

    def session(self) -> Session:
        return self._sessions()

    def reading(self) -> Connection:
        """A plain connection for the reads a search makes on every request (a third of a session's
        cost per query: no ORM objects, no unit of work)."""
        return self.engine.connect()

    def close(self) -> None:
        self.engine.dispose()

    # --- recommendations ----------------------------------------------------------------------

    def max_pk(self) -> int:
        """The largest primary key stored (0 for an empty store); rows are never deleted."""
        with self.session() as session:
            return session.scalar(select(func.max(RecommendationRow.pk))) or 0

    def count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(RecommendationRow)) or 0

    def stored_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored text of each of ``ids`` that is stored."""
        ids = list(ids)
        found: dict[str, str] = {}
        with self.session() as session:
            for chunk in _chunks(ids):
                query = select(RecommendationRow.id, RecommendationRow.text).where(RecommendationRow.id.in_(chunk))
                found.update(session.execute(query).all())
        return found

    def add_recommendations(
        self,
        items: Sequence[tuple[Recommendation, str, str]],
        vectors: dict[str, tuple[str, np.ndarray]],
        import_id: int | None,
        tags: dict[str, dict[str, list[Tag]]] | None = None,
        ministries: dict[str, list[tuple[str, str, float, str]]] | None = None,
    ) -> dict[str, int]:
        """Store ``(recommendation, text_norm, embedding_key)`` triples, their vectors and tags atomically.

        ``vectors`` maps embedding keys to ``(model_name, vector)``; ``tags`` maps recommendation ids
        to their automatic tags by field, ``ministries`` to their proposed bodies as
        ``(body_id, role, score, reason)``. Ids already stored are left as they are. Returns the
        primary key of every newly inserted recommendation, by id.
        """
        rows = [
            {
                "id": rec.id,
                "text": rec.text,
                "text_norm": norm,
                "language": rec.language or "und",
                "mechanism": rec.mechanism,
                "state_under_review": rec.state_under_review,
                "recommending_state": rec.recommending_state,
                "cycle": rec.cycle,
                "session": rec.session,
                "year": rec.year,
                "document": rec.document,
                "paragraph": rec.paragraph,
                "response": rec.response,
                "extra": rec.extra,
                "embedding_key": key,
                "import_id": import_id,
                "created_at": utcnow(),
            }
            for rec, norm, key in items
        ]
        inserted: dict[str, int] = {}
        with self.session() as session, session.begin():
            self._put_vectors(session, vectors)
            for chunk in _chunks(rows):
                statement = (
                    sqlite_insert(RecommendationRow)
                    .on_conflict_do_nothing(index_elements=["id"])
                    .returning(RecommendationRow.id, RecommendationRow.pk)
                )
                inserted.update((rec_id, pk) for rec_id, pk in session.execute(statement, list(chunk)))
            tag_rows = [
                (inserted[rec_id], field, tag.code, "auto", tag.score, tag.reason)
                for rec_id, by_field in (tags or {}).items()
                if rec_id in inserted
                for field, field_tags in by_field.items()
                for tag in field_tags
            ]
            if tag_rows:
                session.connection().exec_driver_sql(_INSERT_AUTO_TAGS, tag_rows)
            body_rows = [
                {
                    "rec_pk": inserted[rec_id],
                    "source": "auto",
                    "body_id": body,
                    "role": role,
                    "score": score,
                    "reason": reason,
                    "created_at": utcnow(),
                }
                for rec_id, bodies in (ministries or {}).items()
                if rec_id in inserted
                for body, role, score, reason in bodies
            ]
            for chunk in _chunks(body_rows):
                session.execute(sqlite_insert(MinistryAssignmentRow.__table__).on_conflict_do_nothing(), list(chunk))
        return inserted

    def get_records(self, pks: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Stored recommendations as plain dicts, by primary key (copies: change them freely)."""
        cached = self._records.found(pks)
        missing = [pk for pk in pks if pk not in cached]
        columns = [getattr(RecommendationRow, name) for name in RECORD_FIELDS]
        read: dict[int, dict[str, Any]] = {}
        with self.reading() as connection:
            for chunk in _chunks(missing) if missing else ():
                for row in connection.execute(
                    select(RecommendationRow.pk, *columns).where(RecommendationRow.pk.in_(chunk))
                ):
                    read[row[0]] = dict(zip(RECORD_FIELDS, row[1:], strict=True))
        self._records.keep(read)
        return {pk: dict(record) for pk, record in {**cached, **read}.items()}

    def get_tags(self, pks: Sequence[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
        """Stored tags by primary key and field (a coordinator's tags replace the automatic ones of a field)."""
        rows: dict[int, dict[str, dict[str, list]]] = {}
        columns = (
            TagRow.rec_pk,
            TagRow.field,
            TagRow.source,
            TagRow.code,
            TagRow.score,
            TagRow.reason,
            TagRow.decided_by,
        )
        with self.reading() as connection:
            for chunk in _chunks(list(pks)):
                query = select(*columns).where(TagRow.rec_pk.in_(chunk)).order_by(TagRow.score.desc())
                for tag in connection.execute(query):
                    by_source = rows.setdefault(tag.rec_pk, {}).setdefault(tag.field, {"auto": [], "manual": []})
                    by_source[tag.source].append(
                        {
                            "code": tag.code,
                            "score": tag.score,
                            "reason": tag.reason,
                            "source": tag.source,
                            "decided_by": tag.decided_by,
                        }
                    )
        return {
            pk: {
                field: [tag for tag in (sources["manual"] or sources["auto"]) if tag["code"]]
                for field, sources in fields.items()
            }
            for pk, fields in rows.items()
        }

    def pk_of(self, rec_id: str) -> int | None:
        """The primary key of the recommendation with external id ``rec_id``."""
        with self.session() as session:
            return session.scalar(select(RecommendationRow.pk).where(RecommendationRow.id == rec_id))

    def pks_of(self, rec_ids: Iterable[str]) -> dict[str, int]:
        """The primary keys of the stored recommendations among ``rec_ids``, by external id."""
        found: dict[str, int] = {}
        with self.session() as session:
            for chunk in _chunks(list(rec_ids)):
                query = select(RecommendationRow.id, RecommendationRow.pk).where(RecommendationRow.id.in_(chunk))
                found.update((rec_id, pk) for rec_id, pk in session.execute(query))
        return found

    def get_by_id(self, rec_id: str) -> dict[str, Any] | None:
        pk = self.pk_of(rec_id)
        return self.get_records([pk]).get(pk) if pk is not None else None

    def filter_pks(
        self,
        language: str | None = None,
        state_under_review: str | None = None,
        mechanism: str | None = None,
    ) -> np.ndarray | None:
        """Primary keys matching every given filter, or ``None`` when no filter is given.

        Served from an in-memory snapshot of the filterable columns, refreshed whenever the store
        has grown (the largest primary key tells; rows are never deleted), so a search pays no SQL scan.
        """
        if not (language or state_under_review or mechanism):
            return None
        snapshot = self._filter_snapshot()
        mask = np.ones(len(snapshot["pk"]), dtype=bool)
        if language:
            mask &= snapshot["language"] == language
        if state_under_review:
            mask &= snapshot["state"] == state_under_review.strip().casefold()
        if mechanism:
            mask &= snapshot["mechanism"] == mechanism.strip().upper()
        return snapshot["pk"][mask]

    def _filter_snapshot(self) -> dict[str, np.ndarray]:
        with self.session() as session:
            version = session.scalar(select(func.max(RecommendationRow.pk)))
            if self._snapshot_version != version:
                rows = session.execute(
                    select(
                        RecommendationRow.pk,
                        RecommendationRow.language,
                        RecommendationRow.state_under_review,
                        RecommendationRow.mechanism,
                    ).order_by(RecommendationRow.pk)
                ).all()
                self._snapshot = {
                    "pk": np.array([r[0] for r in rows], dtype=np.int64),
                    "language": np.array([r[1] or "" for r in rows], dtype=str),
                    "state": np.array([(r[2] or "").casefold() for r in rows], dtype=str),
                    "mechanism": np.array([r[3] or "" for r in rows], dtype=str),
                }
                self._snapshot_version = version
        return self._snapshot

    # --- embeddings ---------------------------------------------------------------------------

    @staticmethod
    def _put_vectors(session: Session, vectors: dict[str, tuple[str, np.ndarray]]) -> None:
        rows = [
            {
                "key": key,
                "model": model,
                "dim": int(vector.shape[0]),
                "vector": np.asarray(vector, dtype=np.float32).tobytes(),
            }
            for key, (model, vector) in vectors.items()
        ]
        for chunk in _chunks(rows):
            session.execute(sqlite_insert(EmbeddingRow).on_conflict_do_nothing(index_elements=["key"]), list(chunk))

    def put_vectors(self, vectors: dict[str, tuple[str, np.ndarray]]) -> None:
        with self.session() as session, session.begin():
            self._put_vectors(session, vectors)

    def get_vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self.session() as session:
            for chunk in _chunks(list(keys)):
                query = select(EmbeddingRow.key, EmbeddingRow.vector).where(EmbeddingRow.key.in_(chunk))
                for key, blob in session.execute(query):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def vectors_of(self, rec_ids: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """The stored vectors (from ``model``) of the recommendations ``rec_ids``, by id."""
        out: dict[str, np.ndarray] = {}
        with self.session() as session:
            for chunk in _chunks(list(rec_ids)):
                query = (
                    select(RecommendationRow.id, EmbeddingRow.vector)
                    .join(EmbeddingRow, EmbeddingRow.key == RecommendationRow.embedding_key)
                    .where(RecommendationRow.id.in_(chunk), EmbeddingRow.model == model)
                )
                out.update((rec_id, np.frombuffer(blob, dtype=np.float32)) for rec_id, blob in session.execute(query))
        return out

    def indexed_pks(self, model: str) -> np.ndarray:
        """Primary keys of the recommendations that have a vector from ``model``."""
        query = (
            select(RecommendationRow.pk)
            .join(EmbeddingRow, EmbeddingRow.key == RecommendationRow.embedding_key)
            .where(EmbeddingRow.model == model)
        )
        with self.session() as session:
            return np.fromiter(session.scalars(query), dtype=np.int64)

    def iter_vectors(
        self, model: str, batch_size: int = 5000, after_pk: int | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(pks, vectors)`` batches of every stored recommendation embedded by ``model`` (only
        those stored after the primary key ``after_pk`` when given)."""
        query = (
            select(RecommendationRow.pk, EmbeddingRow.vector)
            .join(EmbeddingRow, EmbeddingRow.key == RecommendationRow.embedding_key)
            .where(EmbeddingRow.model == model)
            .order_by(RecommendationRow.pk)
        )
        if after_pk is not None:
            query = query.where(RecommendationRow.pk > after_pk)
        with self.session() as session:
            result = session.execute(query.execution_options(yield_per=batch_size))
            for partition in result.partitions():
                pks = np.array([row[0] for row in partition], dtype=np.int64)
                vectors = np.stack([np.frombuffer(row[1], dtype=np.float32) for row in partition])
                yield pks, vectors
