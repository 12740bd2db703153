"""Tags and responsible bodies of stored recommendations: automatic ones and coordinators' corrections.

Automatic tags and assignments are written at import (``source='auto'``); a coordinator's
corrections are kept beside them (``source='manual'``) and never overwritten: for each tag field,
and for the responsible bodies as a whole, a correction replaces the automatic proposal wherever
it is read, filtered or exported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Row, Select, and_, delete, exists, literal_column, or_, select
from sqlalchemy.orm import aliased

from nlp.store.repository import Store, _chunks
from nlp.store.schema import EmbeddingRow, MinistryAssignmentRow, RecommendationRow, TagRow

AUTO, MANUAL = "auto", "manual"
CORRECTION_REASON = "set by a coordinator"


class Annotations:
    """Reads and corrects tags and ministry assignments."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- ministries ---------------------------------------------------------------------------

    def ministries(self, pks: Sequence[int]) -> dict[int, dict[str, Any]]:
        """``{pk: {"lead", "supporting", "alternatives", "source"}}``; a correction replaces the automatic
        proposal (and has no alternatives: the coordinator chose the lead)."""
        found: dict[int, dict[str, list[Row]]] = {}
        table = MinistryAssignmentRow
        columns = (
            table.rec_pk,
            table.source,
            table.role,
            table.body_id,
            table.score,
            table.reason,
            table.created_at,
            table.decided_by,
        )
        with self.store.reading() as connection:
            for chunk in _chunks(list(pks)):
                # equal scores (a coordinator's bodies all score 1) keep the order they were stored in
                query = (
                    select(*columns)
                    .where(table.rec_pk.in_(chunk))
                    .order_by(table.score.desc(), literal_column("rowid"))
                )
                for row in connection.execute(query):
                    found.setdefault(row.rec_pk, {AUTO: [], MANUAL: []})[row.source].append(row)
        out = {}
        for pk, by_source in found.items():
            source = MANUAL if by_source[MANUAL] else AUTO
            rows = by_source[source]
            lead = next((row for row in rows if row.role == "lead"), None)
            out[pk] = {
                "lead": _body(lead) if lead else None,
                "supporting": [_body(row) for row in rows if row.role == "supporting"],
                "alternatives": [_body(row) for row in rows if row.role == "alternative"],
                "source": source,
            }
            if source == MANUAL and lead is not None:
                out[pk]["decided_by"] = lead.decided_by
                out[pk]["decided_at"] = lead.created_at.isoformat() if lead.created_at else None
        return out

    def correct_ministries(self, pk: int, lead: str, supporting: Sequence[str], decided_by: str | None = None) -> None:
        """Store a coordinator's lead and supporting bodies, and who set them (replacing an earlier correction)."""
        roles = [(lead, "lead"), *((body, "supporting") for body in dict.fromkeys(supporting) if body != lead)]
        rows = [
            MinistryAssignmentRow(
                rec_pk=pk,
                source=MANUAL,
                body_id=body,
                role=role,
                score=1.0,
                reason=CORRECTION_REASON,
                decided_by=decided_by,
            )
            for body, role in roles
        ]
        with self.store.session() as session, session.begin():
            _delete_decision(session, pk)
            session.add_all(rows)

    def withdraw_ministries(self, pk: int) -> bool:
        """Delete a coordinator's lead and supporting bodies of ``pk`` (its automatic proposal stands again);
        return whether there were any."""
        with self.store.session() as session, session.begin():
            return _delete_decision(session, pk)

    def add_automatic_ministries(self, bodies: Mapping[int, Sequence[tuple[str, str, float, str]]]) -> None:
        """Store the mapper's proposals ``(body_id, role, score, reason)`` by primary key, replacing the
        earlier proposals of those recommendations (their corrections stay)."""
        with self.store.session() as session, session.begin():
            for chunk in _chunks(list(bodies)):
                session.execute(
                    delete(MinistryAssignmentRow).where(
                        MinistryAssignmentRow.rec_pk.in_(chunk), MinistryAssignmentRow.source == AUTO
                    )
                )
            session.add_all(
                MinistryAssignmentRow(rec_pk=pk, source=AUTO, body_id=body, role=role, score=score, reason=reason)
                for pk, rows in bodies.items()
                for body, role, score, reason in rows
            )

    def ministry_corrections(self, model: str) -> tuple[np.ndarray, list[str], list[list[str]], list[str]]:
        """Every corrected recommendation's vector (from ``model``), lead, supporting bodies and text,
        for the mapper to learn from, the oldest correction first."""
        by_pk: dict[int, tuple[bytes, list[str], list[str], str]] = {}
        query = (
            select(
                MinistryAssignmentRow.rec_pk,
                MinistryAssignmentRow.role,
                MinistryAssignmentRow.body_id,
                EmbeddingRow.vector,
                RecommendationRow.text,
            )
            .join(RecommendationRow, RecommendationRow.pk == MinistryAssignmentRow.rec_pk)
            .join(EmbeddingRow, EmbeddingRow.key == RecommendationRow.embedding_key)
            .where(MinistryAssignmentRow.source == MANUAL, EmbeddingRow.model == model)
            .order_by(MinistryAssignmentRow.created_at, MinistryAssignmentRow.rec_pk)
        )
        with self.store.session() as session:
            for pk, role, body, vector, text in session.execute(query):
                entry = by_pk.setdefault(pk, (vector, [], [], text))
                (entry[1] if role == "lead" else entry[2]).append(body)
        kept = [entry for entry in by_pk.values() if entry[1]]
        if not kept:
            return np.zeros((0, 0), dtype=np.float32), [], [], []
        vectors = np.stack([np.frombuffer(entry[0], dtype=np.float32) for entry in kept])
        return vectors, [entry[1][0] for entry in kept], [entry[2] for entry in kept], [entry[3] for entry in kept]

    # --- tags ---------------------------------------------------------------------------------

    def corrected_tag_fields(self, pks: Sequence[int]) -> dict[int, list[str]]:
        """``{pk: fields}``: the tag fields a coordinator set, one set to no tag included."""
        found: dict[int, list[str]] = {}
        with self.store.reading() as connection:
            for chunk in _chunks(list(pks)):
                query = (
                    select(TagRow.rec_pk, TagRow.field)
                    .where(TagRow.rec_pk.in_(chunk), TagRow.source == MANUAL)
                    .distinct()
                    .order_by(TagRow.rec_pk, TagRow.field)
                )
                for pk, field in connection.execute(query):
                    found.setdefault(pk, []).append(field)
        return found

    def withdraw_tags(self, pk: int, fields: Sequence[str]) -> list[str]:
        """Delete the coordinator's tags of ``pk`` in each of ``fields`` (their automatic tags stand again);
        return the fields that had some."""
        with self.store.session() as session, session.begin():
            corrected = session.execute(
                select(TagRow.field)
                .where(TagRow.rec_pk == pk, TagRow.source == MANUAL, TagRow.field.in_(list(fields)))
                .distinct()
            ).scalars()
            withdrawn = sorted(corrected)
            session.execute(
                delete(TagRow).where(TagRow.rec_pk == pk, TagRow.source == MANUAL, TagRow.field.in_(withdrawn))
            )
        return withdrawn

    def correct_tags(self, pk: int, fields: Mapping[str, Sequence[str]], decided_by: str | None = None) -> None:
        """Replace the coordinator's tags of each field given (an empty list clears the field's tags), and
        keep who set them."""
        with self.store.session() as session, session.begin():
            for field, codes in fields.items():
                session.execute(
                    delete(TagRow).where(TagRow.rec_pk == pk, TagRow.field == field, TagRow.source == MANUAL)
                )
                # an explicit "no tag" is kept as an empty marker, so that the automatic tags stay hidden
                scored = [(code, 1.0) for code in dict.fromkeys(codes)] or [("", 0.0)]
                session.add_all(
                    TagRow(
                        rec_pk=pk,
                        field=field,
                        code=code,
                        source=MANUAL,
                        score=score,
                        reason=CORRECTION_REASON,
                        decided_by=decided_by,
                    )
                    for code, score in scored
                )

    # --- filters ------------------------------------------------------------------------------

    def pks_with_tag(self, field: str, code: str) -> np.ndarray:
        """Recommendations whose effective tags of ``field`` include ``code``."""
        return self._pks(self.tag_query(field, code))

    def pks_with_ministry(self, body_id: str) -> np.ndarray:
        """Recommendations whose effective lead or supporting bodies include ``body_id``."""
        return self._pks(self.ministry_query(body_id))

    @staticmethod
    def tag_query(field: str, code: str) -> Select:
        """The primary keys whose effective tags of ``field`` include ``code``, as a subquery."""
        return select(TagRow.rec_pk).where(TagRow.field == field, TagRow.code == code, effective_tag())

    @staticmethod
    def ministry_query(body_id: str) -> Select:
        """The primary keys whose effective lead or supporting bodies include ``body_id``, as a subquery (a
        body proposed only as an alternative for the lead is not responsible)."""
        return select(MinistryAssignmentRow.rec_pk).where(
            MinistryAssignmentRow.body_id == body_id, MinistryAssignmentRow.role != "alternative", effective_body()
        )

    def _pks(self, query) -> np.ndarray:
        with self.store.session() as session:
            return np.unique(np.fromiter(session.scalars(query), dtype=np.int64))


def effective_tag() -> ColumnElement[bool]:
    """A tag row that counts: a correction, or an automatic tag of a field nobody corrected."""
    manual = aliased(TagRow)
    overridden = exists().where(manual.rec_pk == TagRow.rec_pk, manual.field == TagRow.field, manual.source == MANUAL)
    return or_(TagRow.source == MANUAL, and_(TagRow.source == AUTO, ~overridden))


def effective_body() -> ColumnElement[bool]:
    """An assignment row that counts: a correction, or an automatic proposal nobody corrected."""
    manual = aliased(MinistryAssignmentRow)
    overridden = exists().where(manual.rec_pk == MinistryAssignmentRow.rec_pk, manual.source == MANUAL)
    return or_(MinistryAssignmentRow.source == MANUAL, and_(MinistryAssignmentRow.source == AUTO, ~overridden))


def _delete_decision(session, pk: int) -> bool:
    """Delete the coordinator's bodies of ``pk`` in ``session``; return whether there were any."""
    table = MinistryAssignmentRow
    return bool(session.execute(delete(table).where(table.rec_pk == pk, table.source == MANUAL)).rowcount)


def _body(row: Row) -> dict[str, Any]:
    return {"id": row.body_id, "score": round(row.score, 4), "reason": row.reason}
