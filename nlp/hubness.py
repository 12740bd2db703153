"""How central each of a query's candidates is among the others: the hubness correction of search.

In a shared multilingual space some texts lie close to many others (hubs): of several near-twin
wordings of one recommendation, the most generic sits nearest to all of them and wins queries that
translate a more specific twin. Cross-domain similarity local scaling (CSLS) lowers a candidate's
score by its mean similarity to its nearest neighbours; here the neighbours are taken among the
query's own candidates, so nothing has to be precomputed or kept up to date as recommendations come
and go.
"""

from __future__ import annotations

import numpy as np

#: from this cosine two candidates are copies of one text (the same wording embeds to the same vector):
#: copies count as one neighbour, and never as a candidate's own neighbour
COPY_COSINE = 0.9999
#: candidates read to find the distinct texts among which neighbours are taken (a wording repeated by
#: dozens of states fills the first candidates with copies)
DISTINCT_SCAN = 200


def distinct_rows(vectors: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the first ``limit`` rows of ``vectors`` that are no copy of an earlier row, looked for
    among the first ``limit`` rows, then twice as many, up to :data:`DISTINCT_SCAN`."""
    scan = limit
    while True:
        head = vectors[:scan]
        distinct = np.flatnonzero(~np.triu(head @ head.T >= COPY_COSINE, k=1).any(axis=0))
        if len(distinct) >= limit or scan >= min(len(vectors), DISTINCT_SCAN):
            return distinct[:limit]
        scan = min(2 * scan, DISTINCT_SCAN)


def candidate_centrality(vectors: np.ndarray, among: int, neighbours: int) -> np.ndarray:
    """For each row of ``vectors`` (a query's candidates, best first), the mean cosine of its
    ``neighbours`` nearest among the first ``among`` distinct candidates, its own copies aside; NaN for
    a row without any (every distinct candidate a copy of it)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    return _centrality(vectors, distinct_rows(vectors, among), neighbours)


def _centrality(vectors: np.ndarray, distinct: np.ndarray, neighbours: int) -> np.ndarray:
    out = np.full(len(vectors), np.nan, dtype=np.float32)
    if len(vectors) < 2 or neighbours < 1:
        return out
    nearest = vectors @ vectors[distinct].T
    nearest[nearest >= COPY_COSINE] = -np.inf
    if neighbours < nearest.shape[1]:  # the ``neighbours`` largest of each row, in any order
        nearest = -np.partition(-nearest, neighbours - 1, axis=1)[:, :neighbours]
    found = np.isfinite(nearest)
    count = found.sum(axis=1)
    total = np.where(found, nearest, 0.0).sum(axis=1)
    np.divide(total, count, out=out, where=count > 0)
    return out


def hub_penalties(vectors: np.ndarray, weight: float, among: int, neighbours: int) -> np.ndarray:
    """``weight`` times how much more central each candidate is than the least central of the first
    ``among`` distinct ones (0 for one less central, or without neighbours): the order of the
    candidates it lowers is that of their centrality, and scores stay near cosines."""
    vectors = np.asarray(vectors, dtype=np.float32)
    distinct = distinct_rows(vectors, among)
    centrality = _centrality(vectors, distinct, neighbours)
    reference = centrality[distinct]
    if not len(vectors) or np.isnan(reference).all():
        return np.zeros(len(vectors), dtype=np.float32)
    penalties = weight * (centrality - np.nanmin(reference))
    return np.clip(np.nan_to_num(penalties, nan=0.0), 0.0, None)
