"""The history of imports: each import's status, counts and rejected rows, kept in the store's database
so that progress can be followed from another process and an interrupted import resumed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from nlp.records import ImportSummary, RowError
from nlp.store.schema import ImportErrorRow, ImportRow, utcnow


class ImportLog:
    """Import records in the store's database (``Store.imports``)."""

    def __init__(self, session: Callable[[], Session]) -> None:
        self._session = session

    def start(self, source: str, fmt: str, import_id: int | None = None) -> int:
        """Open an import record (or re-open ``import_id`` to run it again: its counts and rejected rows
        start afresh) with status ``running``; return its id."""
        with self._session() as session, session.begin():
            if import_id is None:
                row = ImportRow(source=source, format=fmt, status="running")
                session.add(row)
                session.flush()
                return row.id
            session.execute(delete(ImportErrorRow).where(ImportErrorRow.import_id == import_id))
            session.execute(
                update(ImportRow)
                .where(ImportRow.id == import_id)
                .values(
                    status="running",
                    rows_read=0,
                    inserted=0,
                    already_stored=0,
                    rejected=0,
                    file_error=None,
                    started_at=utcnow(),
                    finished_at=None,
                )
            )
            return import_id

    def queue(self, source: str, fmt: str, upload_path: str, rows_total: int | None) -> int:
        """Record an uploaded file waiting to be imported; its upload is kept so the import can be resumed."""
        with self._session() as session, session.begin():
            row = ImportRow(source=source, format=fmt, status="queued", upload_path=upload_path, rows_total=rows_total)
            session.add(row)
            session.flush()
            return row.id

    def interrupt_unfinished(self, among: Sequence[int] | None = None) -> list[int]:
        """Mark imports left ``queued`` or ``running`` by a stopped process as ``interrupted`` (only
        those ``among`` the given ids when given)."""
        with self._session() as session, session.begin():
            query = select(ImportRow.id).where(ImportRow.status.in_(("queued", "running")))
            if among is not None:
                query = query.where(ImportRow.id.in_(list(among)))
            ids = list(session.scalars(query))
            if ids:
                session.execute(update(ImportRow).where(ImportRow.id.in_(ids)).values(status="interrupted"))
            return ids

    def fail(self, import_id: int, error: str) -> None:
        """Mark an import failed with a file-level error (its file could not be read)."""
        with self._session() as session, session.begin():
            session.execute(
                update(ImportRow)
                .where(ImportRow.id == import_id)
                .values(status="failed", file_error=error, finished_at=utcnow())
            )

    def upload_of(self, import_id: int) -> str | None:
        with self._session() as session:
            return session.scalar(select(ImportRow.upload_path).where(ImportRow.id == import_id))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        with self._session() as session:
            ids = list(session.scalars(select(ImportRow.id).order_by(ImportRow.id.desc()).limit(limit)))
        return [self.get(import_id, with_errors=False) for import_id in ids]

    def record_progress(self, summary: ImportSummary, new_errors: Sequence[RowError] = ()) -> None:
        with self._session() as session, session.begin():
            session.execute(update(ImportRow).where(ImportRow.id == summary.import_id).values(**_counts(summary)))
            session.add_all(
                ImportErrorRow(import_id=summary.import_id, line=e.line, field=e.field, message=e.message)
                for e in new_errors
            )

    def finish(self, summary: ImportSummary, status: str) -> None:
        with self._session() as session, session.begin():
            session.execute(
                update(ImportRow)
                .where(ImportRow.id == summary.import_id)
                .values(status=status, file_error=summary.file_error, finished_at=utcnow(), **_counts(summary))
            )

    def get(self, import_id: int, with_errors: bool = True) -> dict[str, Any] | None:
        with self._session() as session:
            row = session.get(ImportRow, import_id)
            if row is None:
                return None
            errors = (
                session.scalars(
                    select(ImportErrorRow).where(ImportErrorRow.import_id == import_id).order_by(ImportErrorRow.line)
                )
                if with_errors
                else []
            )
            return {
                "id": row.id,
                "source": row.source,
                "format": row.format,
                "status": row.status,
                "rows_total": row.rows_total,
                "rows_read": row.rows_read,
                "rejected_count": row.rejected,
                "resumable": bool(row.upload_path) and row.status in ("interrupted", "failed"),
                "inserted": row.inserted,
                "already_stored": row.already_stored,
                "rejected": [{"line": e.line, "field": e.field, "message": e.message} for e in errors],
                "file_error": row.file_error,
                "started_at": _iso(row.started_at),
                "finished_at": _iso(row.finished_at),
            }


def _counts(summary: ImportSummary) -> dict[str, int]:
    """The counts of an import's record, as ``summary`` has them so far."""
    return {
        "rows_read": summary.rows_read,
        "inserted": summary.inserted,
        "already_stored": summary.already_stored,
        "rejected": len(summary.rejected),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
