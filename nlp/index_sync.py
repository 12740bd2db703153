"""Keep the FAISS index in step with the store: load it when it matches, rebuild it when it does not.

The store holds every vector, so a missing, corrupt or stale index file costs a rebuild from the
database (seconds), never a re-embedding.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from nlp.index import IndexFileError, VectorIndex
from nlp.store import Store

logger = logging.getLogger(__name__)


def rebuild_index(store: Store, index: VectorIndex) -> VectorIndex:
    """Refill ``index`` with every stored recommendation embedded by the index's model."""
    index.reset()
    for pks, vectors in store.iter_vectors(index.model_name):
        index.add(pks, vectors)
    return index


def add_stored_after(store: Store, index: VectorIndex, pk: int) -> int:
    """Add the vectors of the recommendations stored after primary key ``pk`` (already indexed ones are
    replaced by the same vector); return the largest primary key seen, or ``pk`` when none is new."""
    for pks, vectors in store.iter_vectors(index.model_name, after_pk=pk):
        index.add(pks, vectors)
        pk = int(pks[-1])
    return pk


def open_index(store: Store, path: str | Path, model_name: str, dim: int) -> VectorIndex:
    """Load the index at ``path`` if it holds exactly the store's vectors; otherwise rebuild and save it."""
    path = Path(path)
    reason = None
    if path.exists():
        try:
            index = VectorIndex.load(path, dim=dim, model_name=model_name)
            expected = store.indexed_pks(model_name)
            if np.array_equal(np.sort(index.ids()), np.sort(expected)):
                return index
            reason = f"it holds {len(index)} vectors and the store {len(expected)}"
        except IndexFileError as error:
            reason = str(error)
    index = rebuild_index(store, VectorIndex(dim=dim, model_name=model_name))
    if reason or len(index):
        logger.warning("rebuilt the vector index from the store (%s)", reason or "no index file")
        index.save(path)
    return index
