"""Sentence embedders: one small protocol, a sentence-transformers implementation, a cache, a test double.

Every embedder returns L2-normalised ``float32`` arrays of shape ``(len(texts), dim)``, so inner
product is cosine similarity everywhere downstream (FAISS, clustering, tagging).

Example:
    >>> embedder = HashingEmbedder(dim=32)
    >>> embedder.embed(["Ratify the OP-CAT", "Ratifier l'OPCAT"]).shape
    (2, 32)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from nlp.lru import LruCache
from nlp.text import normalize_for_matching


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    #: A stable name that identifies the vector space (cache keys and index manifests use it).
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Return ``vectors`` as float32 with unit rows (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class ModelNotFoundError(FileNotFoundError):
    """The configured embedding model folder does not exist locally."""


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model folder; the default is ``models/use-multilingual-v3``.

    Only local folders are accepted: nothing is ever fetched from a model hub.
    """

    def __init__(
        self, model_path: str | Path, batch_size: int = 256, device: str = "cpu", threads: int | None = None
    ) -> None:
        path = Path(model_path).expanduser()
        if not (path / "modules.json").is_file():
            raise ModelNotFoundError(
                f"embedding model folder {str(path)!r} has no modules.json; set TAWSIYA_EMBEDDING_MODEL "
                "to a local sentence-transformers folder"
            )
        from sentence_transformers import SentenceTransformer

        # trust_remote_code lets the folder name a module class from an installed package (ours);
        # local_files_only keeps the hub out of it.
        self._model = SentenceTransformer(str(path), device=device, local_files_only=True, trust_remote_code=True)
        self.batch_size = batch_size
        self.name = path.resolve().name
        dimension = (
            getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension())
        if threads is not None:
            for module in self._model:
                if hasattr(module, "set_threads"):
                    module.set_threads(threads)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return l2_normalize(vectors)


_TOKEN = re.compile(r"\w+")


class HashingEmbedder:
    """Tiny deterministic embedder for unit tests: hashed word and character n-grams.

    Similar wordings get similar vectors; translations do not (it is no multilingual model).
    """

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _features(self, text: str) -> list[str]:
        words = _TOKEN.findall(normalize_for_matching(text))
        grams = [w[i : i + 3] for w in words for i in range(max(1, len(w) - 2))]
        return words + grams

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, bucket] += sign
        return l2_normalize(out)


def text_key(model_name: str, text: str) -> str:
    """The cache key of ``text`` embedded by ``model_name`` (hex SHA-1, 40 chars)."""
    return hashlib.sha1(f"{model_name}\x00{text}".encode()).hexdigest()


class VectorCache(Protocol):
    """Storage for embeddings keyed by :func:`text_key`."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, items: dict[str, np.ndarray]) -> None: ...


class MemoryVectorCache:
    """A bounded in-memory LRU :class:`VectorCache`."""

    def __init__(self, max_items: int = 100_000) -> None:
        self._entries: LruCache[str, np.ndarray] = LruCache(max_items)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return self._entries.found(keys)

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        self._entries.keep(items)


class CachedEmbedder:
    """Wraps an embedder so that no text is embedded twice (within a call or across calls)."""

    def __init__(self, inner: Embedder, cache: VectorCache | None = None) -> None:
        self.inner = inner
        self.cache = cache if cache is not None else MemoryVectorCache()
        self.name = inner.name
        self.dim = inner.dim

    def keys(self, texts: Sequence[str]) -> list[str]:
        return [text_key(self.name, text) for text in texts]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = self.keys(texts)
        known = self.cache.get_many(list(dict.fromkeys(keys)))
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in missing:
                missing[key] = text
        if missing:
            fresh = self.inner.embed(list(missing.values()))
            new_items = dict(zip(missing.keys(), fresh, strict=True))
            self.cache.put_many(new_items)
            known.update(new_items)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[key] for key in keys]).astype(np.float32, copy=False)
