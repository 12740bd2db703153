"""SQLAlchemy 2 table definitions. The database is the source of truth; the FAISS index derives from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class EmbeddingRow(Base):
    """An embedding, keyed by the hash of the model name and the exact text embedded."""

    __tablename__ = "embeddings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class RecommendationRow(Base):
    __tablename__ = "recommendations"

    #: Integer key, also the id of the recommendation's vector in the FAISS index.
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: External id: as given in the source, else derived from the content.
    id: Mapped[str] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)
    text_norm: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    mechanism: Mapped[str | None] = mapped_column(String(16))
    state_under_review: Mapped[str | None] = mapped_column(String(200))
    recommending_state: Mapped[str | None] = mapped_column(Text)
    cycle: Mapped[int | None] = mapped_column(Integer)
    session: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[str | None] = mapped_column(String(200))
    paragraph: Mapped[str | None] = mapped_column(String(50))
    response: Mapped[str | None] = mapped_column(String(50))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    embedding_key: Mapped[str | None] = mapped_column(ForeignKey("embeddings.key"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_recommendations_state", "state_under_review"),
        Index("ix_recommendations_cycle", "cycle"),
        Index("ix_recommendations_mechanism", "mechanism"),
        Index("ix_recommendations_language", "language"),
    )


class ImportRow(Base):
    """One import of one file: its progress and outcome."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="running")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    already_stored: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    file_error: Mapped[str | None] = mapped_column(Text)
    #: rows in the file, when known before the import runs (uploads through the API)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    #: the kept upload an interrupted import can be resumed from
    upload_path: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class ImportErrorRow(Base):
    """A rejected row of an import, with its line number, field and reason."""

    __tablename__ = "import_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)


class ClusterRow(Base):
    """A cluster of duplicate recommendations within a scope (a state under review, or ``*``)."""

    __tablename__ = "clusters"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), index=True)
    size: Mapped[int] = mapped_column(Integer)
    cohesion: Mapped[float] = mapped_column()
    confirmed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClusterMemberRow(Base):
    """Membership: each recommendation belongs to exactly one cluster per scope."""

    __tablename__ = "cluster_members"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    rec_pk: Mapped[int] = mapped_column(ForeignKey("recommendations.pk"), primary_key=True)
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), index=True)


class ClusterDecisionRow(Base):
    """A coordinator's decision (confirm, merge, move_out); re-applied at every re-clustering."""

    __tablename__ = "cluster_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: the recommendations (external ids) the decision is about
    rec_ids: Mapped[list[str]] = mapped_column(JSON)
    #: for move_out: the former companions the moved recommendation must stay apart from
    other_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TagRow(Base):
    """A tag of a recommendation: automatic (written at import) or a coordinator's correction."""

    __tablename__ = "recommendation_tags"

    rec_pk: Mapped[int] = mapped_column(ForeignKey("recommendations.pk"), primary_key=True)
    #: the tag field: sdg_goals, sdg_targets, themes, upr_issues or affected_persons
    field: Mapped[str] = mapped_column(String(30), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(String(10), primary_key=True, default="auto")
    score: Mapped[float] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    #: who set a coordinator's tags (the API key's name); none for automatic tags
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)

    __table_args__ = (Index("ix_recommendation_tags_code", "field", "code"),)


class MinistryAssignmentRow(Base):
    """A body responsible for a recommendation: proposed by the mapper (``auto``) or set by a coordinator."""

    __tablename__ = "ministry_assignments"

    rec_pk: Mapped[int] = mapped_column(ForeignKey("recommendations.pk"), primary_key=True)
    source: Mapped[str] = mapped_column(String(10), primary_key=True)
    body_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: ``lead``, ``supporting`` or (proposals only) ``alternative``: another body that could lead
    role: Mapped[str] = mapped_column(String(12))
    score: Mapped[float] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: who set a coordinator's bodies (the API key's name, or the command line's user); none for proposals
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)

    __table_args__ = (Index("ix_ministry_assignments_body", "body_id"),)


class ApiKeyRow(Base):
    """An API key of the web service: only its SHA-256 is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the first characters of the key, to tell keys apart in listings
    prefix: Mapped[str] = mapped_column(String(12))
    revoked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
