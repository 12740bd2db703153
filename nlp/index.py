"""A FAISS inner-product index over L2-normalised vectors, keyed by stable integer ids.

The ids are the store's primary keys, so the index can always be rebuilt from the database.
Saving writes a temporary file and renames it over the old one: a crash leaves either the old
index or the new one, never half of one.

Example:
    >>> import numpy as np
    >>> index = VectorIndex(dim=2)
    >>> index.add([7, 9], np.array([[1, 0], [0, 1]], dtype="float32"))
    >>> index.search(np.array([1, 0], dtype="float32"), k=1)
    [(7, 1.0)]
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import faiss
import numpy as np

from nlp.locks import ReadWriteLock
from nlp.quantized_scan import QuantizedScan

#: a filter keeping at least this share of the index is applied after an over-fetched search
_POST_FILTER_SHARE = 0.3
#: below this many queries in one call, FAISS searches on a single thread
_PARALLEL_MIN_QUERIES = 8
#: from this many queries in one call (and a score matrix of at most _DENSE_MAX_SCORES), one matrix product
_DENSE_MIN_QUERIES = 4
_DENSE_MAX_SCORES = 50_000_000
#: from this many vectors, single queries scan 8-bit codes first (QuantizedScan), then score exactly
_QUANTIZED_MIN_VECTORS = 20_000


def _contains(sorted_ids: np.ndarray, value: int) -> bool:
    position = np.searchsorted(sorted_ids, value)
    return bool(position < len(sorted_ids) and sorted_ids[position] == value)


class IndexFileError(RuntimeError):
    """An index file is missing, unreadable or does not match what was expected."""


class VectorIndex:
    """Exact cosine search (``IndexIDMap2`` over ``IndexFlatIP``) with add, remove, save and load."""

    def __init__(self, dim: int, model_name: str = "") -> None:
        self.dim = dim
        self.model_name = model_name
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        #: searches run side by side; adding and removing wait for them
        self._lock = ReadWriteLock()
        self._ids_cache: np.ndarray | None = None
        self._scan: QuantizedScan | None = None

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def reset(self) -> None:
        """Remove every vector."""
        with self._lock.writing():
            self._index.reset()
            self._ids_cache = None
            self._scan = None

    def ids(self) -> np.ndarray:
        """All ids in the index (int64, insertion order)."""
        with self._lock.reading():
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def _vectors(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim == 1:
            vectors = vectors[None, :]
        if vectors.shape[1] != self.dim:
            raise ValueError(f"vectors have dimension {vectors.shape[1]}, the index expects {self.dim}")
        return vectors

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Add vectors under ``ids``; an id already present is replaced."""
        vectors = self._vectors(vectors)
        id_array = np.asarray(ids, dtype=np.int64)
        if len(id_array) != len(vectors):
            raise ValueError(f"{len(id_array)} ids for {len(vectors)} vectors")
        if len(set(id_array.tolist())) != len(id_array):
            raise ValueError("duplicate ids in one add() call")
        with self._lock.writing():
            replaced = self._index.remove_ids(faiss.IDSelectorBatch(id_array))
            self._index.add_with_ids(vectors, id_array)
            self._ids_cache = None
            if self._scan is not None:
                if replaced:  # positions moved: the codes are rebuilt at the next search
                    self._scan = None
                else:
                    self._scan.append(vectors)

    def remove(self, ids: Iterable[int]) -> int:
        """Remove ``ids`` (unknown ids are ignored); return how many were removed."""
        id_array = np.fromiter(ids, dtype=np.int64)
        if not len(id_array):
            return 0
        with self._lock.writing():
            self._ids_cache = None
            self._scan = None
            return int(self._index.remove_ids(faiss.IDSelectorBatch(id_array)))

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of ``ids``, in that order; a zero vector for an id not in the index
        (removed since it was found)."""
        id_array = np.asarray(ids, dtype=np.int64)
        with self._lock.reading():
            try:
                return self._index.reconstruct_batch(id_array)
            except RuntimeError:  # an id is missing: look them up one by one
                out = np.zeros((len(id_array), self.dim), dtype=np.float32)
                for row, one in enumerate(id_array):
                    with suppress(RuntimeError):
                        out[row] = self._index.reconstruct(int(one))
                return out

    def search(
        self,
        query: np.ndarray,
        k: int = 10,
        min_score: float | None = None,
        allowed_ids: Iterable[int] | None = None,
    ) -> list[tuple[int, float]]:
        """Return up to ``k`` ``(id, score)`` pairs, best first, for one query vector.

        ``min_score`` drops hits below a cosine similarity; ``allowed_ids`` restricts the search to
        a subset (metadata filters resolved by the store).
        """
        return self.search_many(self._vectors(query), k, min_score, allowed_ids)[0]

    def search_many(
        self,
        queries: np.ndarray,
        k: int = 10,
        min_score: float | None = None,
        allowed_ids: Iterable[int] | None = None,
    ) -> list[list[tuple[int, float]]]:
        """:meth:`search` for a batch of query vectors."""
        queries = self._vectors(queries)
        empty: list[list[tuple[int, float]]] = [[] for _ in range(len(queries))]
        allowed = None
        if allowed_ids is not None:
            given = allowed_ids if isinstance(allowed_ids, np.ndarray) else np.fromiter(allowed_ids, dtype=np.int64)
            allowed = given.astype(np.int64, copy=False)
            if len(allowed) > 1 and not bool(np.all(allowed[1:] > allowed[:-1])):
                allowed = np.unique(allowed)  # sorted and unique, for the membership test below
        if allowed is not None and not len(allowed):
            return empty
        with self._lock.reading():
            total = len(self)
            if not total or k <= 0:
                return empty
            if allowed is not None and len(allowed) >= _POST_FILTER_SHARE * total:
                # a broad filter: over-fetch without it and filter afterwards (cheaper than a selector)
                fetch = min(total, int(k * total / len(allowed) * 3) + k)
                results = self._search(queries, fetch, None, min_score)
                kept = [[hit for hit in hits if _contains(allowed, hit[0])][:k] for hits in results]
                if all(
                    len(hits) >= min(k, len(allowed)) or len(hits_all) < fetch
                    for hits, hits_all in zip(kept, results, strict=True)
                ):
                    return kept
            params = None if allowed is None else faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
            return self._search(queries, min(k, total), params, min_score)

    def _search(self, queries: np.ndarray, k: int, params, min_score: float | None) -> list[list[tuple[int, float]]]:
        if params is None and len(queries) >= _DENSE_MIN_QUERIES and len(queries) * len(self) <= _DENSE_MAX_SCORES:
            scores, ids = self._dense_search(queries, k)
        elif params is None and len(self) >= _QUANTIZED_MIN_VECTORS:
            scores, ids = self._quantized_search(queries, k)
        else:
            scores, ids = self._faiss_search(queries, k, params)
        return [
            [
                (int(i), float(s))
                for s, i in zip(row_scores, row_ids, strict=True)
                if i != -1 and (min_score is None or s >= min_score)
            ]
            for row_scores, row_ids in zip(scores, ids, strict=True)
        ]

    def _dense_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Several queries at once as one matrix product on one BLAS thread: about 3 times cheaper per
        query than FAISS's flat scan for batches of 20 (the stored vectors are read once for all)."""
        from threadpoolctl import threadpool_limits

        n = len(self)
        stored = self._stored()
        with threadpool_limits(1, user_api="blas"):
            scores = queries @ stored.T
        k = min(k, n)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(queries), 1))
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        positions = np.take_along_axis(top, order, axis=1)
        return np.take_along_axis(top_scores, order, axis=1), self._id_array()[positions]

    def prepare(self) -> None:
        """Build now what the first search would otherwise build (a service calls it at start)."""
        with self._lock.reading():
            if len(self) >= _QUANTIZED_MIN_VECTORS:
                self._quantized_scan()

    def _quantized_scan(self) -> QuantizedScan:
        scan = self._scan
        if scan is None or len(scan) != len(self):
            scan = self._scan = QuantizedScan(self._stored())
        return scan

    def _quantized_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scan = self._quantized_scan()
        with _threads_for(len(queries)):
            scores, positions = scan.top(queries, self._stored(), k, candidates=max(4 * k, k + 50))
        ids = np.where(positions >= 0, self._id_array()[np.maximum(positions, 0)], -1)
        return scores, ids

    def _stored(self) -> np.ndarray:
        """The stored vectors in insertion order (a view of FAISS's memory, no copy)."""
        flat = faiss.downcast_index(self._index.index)
        return faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dim).reshape(len(self), self.dim)

    def _id_array(self) -> np.ndarray:
        if self._ids_cache is None:
            self._ids_cache = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return self._ids_cache

    def _faiss_search(self, queries: np.ndarray, k: int, params) -> tuple[np.ndarray, np.ndarray]:
        with _threads_for(len(queries)):
            return self._index.search(queries, k, params=params)

    def save(self, path: str | Path) -> None:
        """Write the index and its manifest atomically (temporary file, fsync, rename)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock.reading():
            data = faiss.serialize_index(self._index)
            manifest = {"dim": self.dim, "model": self.model_name, "count": len(self)}
        _atomic_write(path, data.tobytes())
        _atomic_write(_manifest_path(path), json.dumps(manifest).encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path, dim: int | None = None, model_name: str | None = None) -> VectorIndex:
        """Read an index saved by :meth:`save`; raise :class:`IndexFileError` if it cannot be trusted."""
        path = Path(path)
        try:
            manifest = json.loads(_manifest_path(path).read_text(encoding="utf-8"))
            raw = np.frombuffer(path.read_bytes(), dtype=np.uint8)
            index = faiss.deserialize_index(raw)
        except (OSError, ValueError, RuntimeError) as error:
            raise IndexFileError(f"cannot read index {path}: {error}") from error
        if dim is not None and manifest.get("dim") != dim:
            raise IndexFileError(f"index {path} has dimension {manifest.get('dim')}, expected {dim}")
        if model_name is not None and manifest.get("model") != model_name:
            raise IndexFileError(f"index {path} was built with {manifest.get('model')!r}, not {model_name!r}")
        if index.ntotal != manifest.get("count") or index.d != manifest.get("dim"):
            raise IndexFileError(f"index {path} does not match its manifest")
        loaded = cls(dim=index.d, model_name=manifest.get("model", ""))
        loaded._index = faiss.downcast_index(index) if not isinstance(index, faiss.IndexIDMap2) else index
        if not isinstance(loaded._index, faiss.IndexIDMap2):
            raise IndexFileError(f"index {path} is a {type(loaded._index).__name__}, not an IndexIDMap2")
        return loaded


@contextmanager
def _threads_for(queries: int) -> Iterator[None]:
    """One OpenMP thread for a few queries: threads spinning next to the encoder's BLAS threads cost
    more than they bring (p50 52 ms -> 18 ms on 2 cores, evaluation.bench_search)."""
    threads = faiss.omp_get_max_threads()
    if queries < _PARALLEL_MIN_QUERIES and threads > 1:
        faiss.omp_set_num_threads(1)
        try:
            yield
        finally:
            faiss.omp_set_num_threads(threads)
    else:
        yield


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _atomic_write(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
