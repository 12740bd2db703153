"""The store as a :class:`nlp.embedding.VectorCache`: vectors kept in the database, by text key.

The taxonomies' label texts and the ministries' mandates are embedded when a tagger or mapper is
built. Kept in the store, they are embedded once per store and model, not at every start of the
service or of each import worker (about 15 s on one core for the shipped taxonomies)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.store.repository import Store


class StoreVectorCache:
    def __init__(self, store: Store, model_name: str) -> None:
        self.store = store
        self.model_name = model_name

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return self.store.get_vectors(keys)

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        self.store.put_vectors({key: (self.model_name, vector) for key, vector in items.items()})
