"""Build the core pipeline from settings (shared by the CLI and the web service)."""

from __future__ import annotations

import re

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


def build_pipeline(settings: Settings) -> Pipeline:
    return Pipeline.open(settings.home, build_embedder(settings))
