"""Duplicate clusters as a coordinator sees them: computed per scope, kept with stable ids, reviewed.

A scope is one state under review (the default: its recommendations from every mechanism and
cycle) or ``*`` (everything stored). Re-clustering a scope keeps a cluster's id when its membership
is unchanged or mostly the same (Jaccard ≥ 0.5 with its previous self), so a new import assigns new
recommendations to existing clusters or opens new ones. Coordinator decisions (confirm, merge,
move a member out) are stored and re-applied at every re-clustering.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from nlp.dedup import DuplicateClusterer, cohesion, representative
from nlp.instruments import signature
from nlp.store import Store
from nlp.store.cluster_repository import ClusterRepository, ScopeRows

#: a re-computed cluster keeps an old id when their Jaccard overlap is at least this
ID_CONTINUITY_JACCARD = 0.5


class ClusterNotFoundError(KeyError):
    """No cluster has this id."""


@dataclass(slots=True)
class ClusterView:
    cluster_id: str
    scope: str
    cohesion: float
    confirmed: bool
    representative: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cluster_id": self.cluster_id,
            "scope": self.scope,
            "size": self.size,
            "cohesion": round(self.cohesion, 4),
            "confirmed": self.confirmed,
            "representative": self.representative["text"],
            "representative_id": self.representative["id"],
            "members": [member["id"] for member in self.members],
        }


_cached_signature = lru_cache(maxsize=200_000)(signature)


def assign_ids(
    scope: str, clusters: Sequence[set[int]], previous: dict[str, set[int]], ids: dict[int, str]
) -> list[str]:
    """Stable ids: an old id goes to the new cluster that continues it; the rest get derived ids."""
    old_of_pk = {pk: cluster_id for cluster_id, members in previous.items() for pk in members}
    candidates = []
    for position, members in enumerate(clusters):
        for cluster_id, shared in Counter(old_of_pk[pk] for pk in members if pk in old_of_pk).items():
            jaccard = shared / len(members | previous[cluster_id])
            if jaccard >= ID_CONTINUITY_JACCARD:
                candidates.append((-jaccard, position, cluster_id))
    assigned: dict[int, str] = {}
    used: set[str] = set()
    for _, position, cluster_id in sorted(candidates):
        if position not in assigned and cluster_id not in used:
            assigned[position] = cluster_id
            used.add(cluster_id)
    result = []
    for position, members in enumerate(clusters):
        if position not in assigned:
            seed = f"{scope}\x1f{min(ids[pk] for pk in members)}"
            cluster_id, attempt = None, 0
            while cluster_id is None or cluster_id in used or cluster_id in previous:
                digest = hashlib.sha1(f"{seed}\x1f{attempt}".encode()).hexdigest()
                cluster_id, attempt = f"c-{digest[:12]}", attempt + 1
            assigned[position] = cluster_id
            used.add(cluster_id)
        result.append(assigned[position])
    return result


class ClusterManager:
    """Runs the clusterer over a scope, stores the result, and records coordinator decisions."""

    def __init__(self, store: Store, model_name: str, clusterer: DuplicateClusterer) -> None:
        self.store = store
        self.model_name = model_name
        self.clusterer = clusterer
        self.repository = ClusterRepository(store)

    # --- computing ----------------------------------------------------------------------------

    def recluster(self, scope: str) -> int:
        """Cluster one scope again (decisions applied, ids kept where membership continues)."""
        rows = self.repository.scope_rows(scope, self.model_name)
        if not len(rows.pks):
            self.repository.replace_scope(scope, [])
            return 0
        decisions = self.repository.decisions(scope)
        must_link, cannot_link, reviewed = _constraints(rows, decisions)
        signatures = [_cached_signature(text, lang) for text, lang in zip(rows.texts, rows.languages, strict=True)]
        labels = self.clusterer.fit(
            rows.vectors,
            keys=rows.norms,
            signatures=signatures,
            languages=rows.languages,
            must_link=must_link,
            cannot_link=cannot_link,
        ).labels_
        order = np.argsort(labels, kind="stable")
        groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
        member_sets = [set(rows.pks[group].tolist()) for group in groups]
        ids = dict(zip(rows.pks.tolist(), rows.ids, strict=True))
        cluster_ids = assign_ids(scope, member_sets, self.repository.memberships(scope), ids)
        clusters = []
        for cluster_id, group, members in zip(cluster_ids, groups, member_sets, strict=True):
            member_ids = {ids[pk] for pk in members}
            clusters.append(
                {
                    "id": cluster_id,
                    "members": sorted(members),
                    "cohesion": cohesion(rows.vectors[group]),
                    "confirmed": any(len(r) > 1 and r <= member_ids for r in reviewed),
                }
            )
        self.repository.replace_scope(scope, clusters)
        return len(clusters)

    def recluster_states(self, states: Iterable[str | None]) -> int:
        """Re-cluster each given state (after an import, the states it touched)."""
        return sum(self.recluster(state) for state in sorted({s for s in states if s}))

    def recluster_all(self) -> int:
        return self.recluster_states(self.repository.scopes())

    # --- reading ------------------------------------------------------------------------------

    def clusters(self, scope: str, min_size: int = 2, language: str | None = None) -> list[ClusterView]:
        """Clusters of a scope, largest first, each with its representative in ``language`` if it has one."""
        stored = self.repository.clusters(scope, min_size)
        if not stored:
            return []
        rows = self.repository.scope_rows(scope, self.model_name)
        return self._views(scope, stored, rows, language)

    def page(
        self, scopes: Iterable[str], min_size: int = 2, language: str | None = None, start: int = 0, count: int = 50
    ) -> tuple[int, list[ClusterView]]:
        """``(total, views)``: the clusters of all ``scopes``, largest first, and the views of those at
        positions ``start`` to ``start + count`` only (a view reads its members' records and vectors)."""
        stored = [(scope, entry) for scope in scopes for entry in self.repository.clusters(scope, min_size)]
        stored.sort(key=lambda item: (-len(item[1][3]), item[1][0]))
        chosen = stored[start : start + count]
        by_scope: dict[str, list] = {}
        for scope, entry in chosen:
            by_scope.setdefault(scope, []).append(entry)
        views = {}
        for scope, entries in by_scope.items():
            rows = self.repository.scope_rows(scope, self.model_name)
            views.update((view.cluster_id, view) for view in self._views(scope, entries, rows, language))
        return len(stored), [views[entry[0]] for _, entry in chosen if entry[0] in views]

    def cluster(self, cluster_id: str, language: str | None = None) -> ClusterView:
        found = self.repository.cluster(cluster_id)
        if found is None:
            raise ClusterNotFoundError(cluster_id)
        scope, confirmed, cohesion_value, members = found
        rows = self.repository.scope_rows(scope, self.model_name)
        return self._views(scope, [(cluster_id, confirmed, cohesion_value, members)], rows, language)[0]

    def _views(self, scope: str, stored: list, rows: ScopeRows, language: str | None) -> list[ClusterView]:
        position = {pk: i for i, pk in enumerate(rows.pks.tolist())}
        records = self.store.get_records([pk for *_, members in stored for pk in members])
        views = []
        for cluster_id, confirmed, cohesion_value, members in stored:
            present = [pk for pk in members if pk in position and pk in records]
            if not present:
                continue
            vectors = rows.vectors[[position[pk] for pk in present]]
            languages = [records[pk]["language"] for pk in present]
            chosen = present[representative(vectors, languages, language)]
            views.append(
                ClusterView(
                    cluster_id, scope, cohesion_value, confirmed, records[chosen], [records[pk] for pk in present]
                )
            )
        return views

    # --- coordinator decisions ----------------------------------------------------------------

    def confirm(self, cluster_id: str) -> ClusterView:
        view = self.cluster(cluster_id)
        self.repository.add_decision(view.scope, "confirm", [m["id"] for m in view.members])
        self.recluster(view.scope)
        return self.cluster(cluster_id)

    def merge(self, cluster_id: str, other_id: str) -> ClusterView:
        """Merge ``other_id`` into ``cluster_id`` (same scope); the merged cluster keeps ``cluster_id``."""
        first, second = self.cluster(cluster_id), self.cluster(other_id)
        if first.scope != second.scope:
            raise ValueError(f"clusters {cluster_id} and {other_id} are in different scopes")
        members = [m["id"] for m in first.members + second.members]
        self.repository.add_decision(first.scope, "merge", members)
        self.recluster(first.scope)
        return self.cluster_of(first.scope, first.members[0]["id"])

    def move_out(self, cluster_id: str, rec_id: str) -> ClusterView:
        """Take ``rec_id`` out of the cluster; it stays apart from those members from now on."""
        view = self.cluster(cluster_id)
        member_ids = [m["id"] for m in view.members]
        if rec_id not in member_ids:
            raise ValueError(f"{rec_id} is not a member of cluster {cluster_id}")
        others = [m for m in member_ids if m != rec_id]
        self.repository.add_decision(view.scope, "move_out", [rec_id], others)
        self.recluster(view.scope)
        return self.cluster_of(view.scope, rec_id)

    def cluster_of(self, scope: str, rec_id: str) -> ClusterView:
        """The cluster that holds recommendation ``rec_id`` in ``scope``."""
        pk = self.store.pk_of(rec_id)
        cluster_id = self.repository.cluster_id_of(scope, pk) if pk is not None else None
        if cluster_id is None:
            raise ClusterNotFoundError(rec_id)
        return self.cluster(cluster_id)


def _constraints(
    rows: ScopeRows, decisions: Sequence
) -> tuple[list[list[int]], list[tuple[int, list[int]]], list[set[str]]]:
    """Decisions as clusterer constraints, in the order they were taken.

    Returns the must-link groups (confirmed or merged members), the cannot-link pairs (a member
    moved out, and its former companions) and the reviewed id sets that mark a cluster confirmed
    (less any member later moved out of them).
    """
    position = {rec_id: i for i, rec_id in enumerate(rows.ids)}
    must_link, cannot_link, reviewed = [], [], []
    for decision in decisions:
        present = [position[r] for r in decision.rec_ids if r in position]
        if decision.kind in ("confirm", "merge"):
            must_link.append(present)
            reviewed.append({r for r in decision.rec_ids if r in position})
        elif decision.kind == "move_out" and present:
            cannot_link.append((present[0], [position[r] for r in decision.other_ids if r in position]))
            for group in reviewed:
                group.discard(decision.rec_ids[0])
    return must_link, cannot_link, reviewed
