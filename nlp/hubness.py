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
#: a copy is no neighbour, or every repeated recommendation would count as a hub
COPY_COSINE = 0.9999


def candidate_centrality(vectors: np.ndarray, among: int, neighbours: int) -> np.ndarray:
    """For each row of ``vectors`` (a query's candidates, best first), the mean cosine of its
    ``neighbours`` nearest among the first ``among`` rows, itself and copies aside (0 without any)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) < 2 or neighbours < 1:
        return np.zeros(len(vectors), dtype=np.float32)
    sims = vectors @ vectors[:among].T
    sims[sims >= COPY_COSINE] = -np.inf
    nearest = -np.sort(-sims, axis=1)[:, :neighbours]
    found = np.isfinite(nearest)
    total = np.where(found, nearest, 0.0).sum(axis=1)
    return np.clip(total / np.maximum(found.sum(axis=1), 1), 0.0, None).astype(np.float32)
