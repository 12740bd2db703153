"""Build the core pipeline from settings (shared by the CLI and the web service)."""

from __future__ import annotations

import re

from nlp.clustering import ClusterManager
from nlp.dedup import DuplicateClusterer
from nlp.embedding import Embedder, HashingEmbedder, SentenceTransformerEmbedder
from nlp.pipeline import Pipeline
from service.config import Settings

_HASHING = re.compile(r"hashing(?::(\d+))?")


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedder: a local sentence-transformers folder, or ``hashing[:DIM]``.

    ``hashing`` is the tiny deterministic embedder used by the unit tests; it has no notion of
    meaning across languages and is not for real use.
    """
    match = _HASHING.fullmatch(str(settings.embedding_model))
    if match:
        return HashingEmbedder(dim=int(match.group(1) or 64))
    return SentenceTransformerEmbedder(settings.embedding_model, batch_size=settings.embedding_batch_size)


def build_cluster_manager(settings: Settings, pipeline: Pipeline, threshold: float | None = None) -> ClusterManager:
    clusterer = DuplicateClusterer(
        threshold=settings.dedup_threshold if threshold is None else threshold,
        linkage=settings.dedup_linkage,
        mismatch_penalty=settings.dedup_mismatch_penalty,
        cross_language_bonus=settings.dedup_cross_language_bonus,
    )
    return ClusterManager(pipeline.store, pipeline.embedder.name, clusterer)


def build_pipeline(settings: Settings) -> Pipeline:
    return Pipeline.open(settings.home, build_embedder(settings))
