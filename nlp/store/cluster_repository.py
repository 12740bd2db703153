"""Persistence of clusters, their members and the coordinator decisions about them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select

from nlp.store.repository import Store
from nlp.store.schema import (
    ClusterDecisionRow,
    ClusterMemberRow,
    ClusterRow,
    EmbeddingRow,
    RecommendationRow,
    utcnow,
)

GLOBAL_SCOPE = "*"


@dataclass(frozen=True, slots=True)
class ScopeRows:
    """What clustering needs about the recommendations of one scope, in primary-key order."""

    pks: np.ndarray
    ids: list[str]
    texts: list[str]
    norms: list[str]
    languages: list[str]
    vectors: np.ndarray


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str
    rec_ids: list[str]
    other_ids: list[str]


class ClusterRepository:
    """Reads and writes cluster state in the same database as the :class:`Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def scopes(self) -> list[str]:
        """Every state under review that has recommendations."""
        with self.store.session() as session:
            query = (
                select(RecommendationRow.state_under_review).distinct().order_by(RecommendationRow.state_under_review)
            )
            return [state for state in session.scalars(query) if state]

    def scope_rows(self, scope: str, model: str) -> ScopeRows:
        """Recommendations of a scope (a state, or every one for ``*``) with their vectors from ``model``."""
        query = (
            select(
                RecommendationRow.pk,
                RecommendationRow.id,
                RecommendationRow.text,
                RecommendationRow.text_norm,
                RecommendationRow.language,
                EmbeddingRow.vector,
            )
            .join(EmbeddingRow, EmbeddingRow.key == RecommendationRow.embedding_key)
            .where(EmbeddingRow.model == model)
            .order_by(RecommendationRow.pk)
        )
        if scope != GLOBAL_SCOPE:
            query = query.where(RecommendationRow.state_under_review == scope)
        with self.store.session() as session:
            rows = session.execute(query).all()
        dim = len(rows[0][5]) // 4 if rows else 0
        return ScopeRows(
            pks=np.array([r[0] for r in rows], dtype=np.int64),
            ids=[r[1] for r in rows],
            texts=[r[2] for r in rows],
            norms=[r[3] for r in rows],
            languages=[r[4] for r in rows],
            vectors=np.frombuffer(b"".join(r[5] for r in rows), dtype=np.float32).reshape(len(rows), dim),
        )

    def memberships(self, scope: str) -> dict[str, set[int]]:
        """Current clusters of a scope: cluster id -> member primary keys."""
        clusters: dict[str, set[int]] = {}
        with self.store.session() as session:
            query = select(ClusterMemberRow.cluster_id, ClusterMemberRow.rec_pk).where(ClusterMemberRow.scope == scope)
            for cluster_id, pk in session.execute(query):
                clusters.setdefault(cluster_id, set()).add(pk)
        return clusters

    def replace_scope(self, scope: str, clusters: Sequence[dict[str, Any]]) -> None:
        """Replace every cluster of ``scope`` at once (one transaction).

        Each cluster is ``{"id", "members": [pk...], "cohesion", "confirmed"}``.
        """
        with self.store.session() as session, session.begin():
            session.execute(delete(ClusterMemberRow).where(ClusterMemberRow.scope == scope))
            session.execute(delete(ClusterRow).where(ClusterRow.scope == scope))
            now = utcnow()
            session.add_all(
                ClusterRow(
                    id=c["id"],
                    scope=scope,
                    size=len(c["members"]),
                    cohesion=c["cohesion"],
                    confirmed=c["confirmed"],
                    updated_at=now,
                )
                for c in clusters
            )
            session.flush()
            session.add_all(
                ClusterMemberRow(scope=scope, rec_pk=int(pk), cluster_id=c["id"])
                for c in clusters
                for pk in c["members"]
            )

    def cluster(self, cluster_id: str) -> tuple[str, bool, float, list[int]] | None:
        """``(scope, confirmed, cohesion, member pks)`` of a cluster, or ``None``."""
        with self.store.session() as session:
            row = session.get(ClusterRow, cluster_id)
            if row is None:
                return None
            members = session.scalars(
                select(ClusterMemberRow.rec_pk)
                .where(ClusterMemberRow.cluster_id == cluster_id)
                .order_by(ClusterMemberRow.rec_pk)
            )
            return row.scope, row.confirmed, row.cohesion, list(members)

    def clusters(self, scope: str, min_size: int = 1) -> list[tuple[str, bool, float, list[int]]]:
        """Clusters of a scope with at least ``min_size`` members, largest first."""
        with self.store.session() as session:
            rows = session.execute(
                select(ClusterRow.id, ClusterRow.confirmed, ClusterRow.cohesion)
                .where(ClusterRow.scope == scope, ClusterRow.size >= min_size)
                .order_by(ClusterRow.size.desc(), ClusterRow.id)
            ).all()
            members: dict[str, list[int]] = {row[0]: [] for row in rows}
            query = select(ClusterMemberRow.cluster_id, ClusterMemberRow.rec_pk).where(ClusterMemberRow.scope == scope)
            for cluster_id, pk in session.execute(query.order_by(ClusterMemberRow.rec_pk)):
                if cluster_id in members:
                    members[cluster_id].append(pk)
        return [(row[0], row[1], row[2], members[row[0]]) for row in rows]

    def cluster_ids_of(self, pks: Sequence[int]) -> dict[int, dict[str, str]]:
        """The cluster of each recommendation in every scope it was clustered in: ``{pk: {scope: id}}``."""
        out: dict[int, dict[str, str]] = {}
        with self.store.reading() as connection:
            for start in range(0, len(pks), 500):
                query = select(ClusterMemberRow.rec_pk, ClusterMemberRow.scope, ClusterMemberRow.cluster_id).where(
                    ClusterMemberRow.rec_pk.in_(list(pks[start : start + 500]))
                )
                for pk, scope, cluster_id in connection.execute(query):
                    out.setdefault(pk, {})[scope] = cluster_id
        return out

    def size_counts(self, scope: str | None = None) -> dict[int, int]:
        """How many clusters have each size (in one scope, or in all)."""
        query = select(ClusterRow.size, func.count()).group_by(ClusterRow.size)
        if scope is not None:
            query = query.where(ClusterRow.scope == scope)
        with self.store.session() as session:
            return {size: count for size, count in session.execute(query)}

    def cluster_id_of(self, scope: str, pk: int) -> str | None:
        with self.store.session() as session:
            return session.scalar(
                select(ClusterMemberRow.cluster_id).where(
                    ClusterMemberRow.scope == scope, ClusterMemberRow.rec_pk == pk
                )
            )

    def add_decision(self, scope: str, kind: str, rec_ids: Sequence[str], other_ids: Sequence[str] = ()) -> None:
        with self.store.session() as session, session.begin():
            session.add(ClusterDecisionRow(scope=scope, kind=kind, rec_ids=list(rec_ids), other_ids=list(other_ids)))

    def decisions(self, scope: str) -> list[Decision]:
        with self.store.session() as session:
            rows = session.scalars(
                select(ClusterDecisionRow).where(ClusterDecisionRow.scope == scope).order_by(ClusterDecisionRow.id)
            )
            return [Decision(row.kind, list(row.rec_ids), list(row.other_ids or [])) for row in rows]
