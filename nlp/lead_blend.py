"""A country's lead classifier as the mapper reads it: the kernel classifier on embeddings, blended with
the lexical model on words when one was learnt beside it.

``probabilities = (1 - w) * kernel + w * lexical``, ``w`` the ``lexical_weight`` chosen by
``python -m training.ministry_lead`` by cross-validation and kept in the kernel's ``config.json``; the
lexical model lives in the ``lexical/`` folder of the same version. A version without one (v1, v2)
is the kernel classifier alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.lead_model import KernelLeadModel
from nlp.lexical_lead import LexicalLeadModel
from nlp.model_folder import CONFIG

LEXICAL = "lexical"


class BlendedLeadModel:
    """Each body's probability of leading, from a text's embedding and, with a lexical model, its words."""

    def __init__(
        self, kernel: KernelLeadModel, lexical: LexicalLeadModel | None = None, lexical_weight: float = 0.0
    ) -> None:
        if lexical is None and lexical_weight:
            raise ValueError("a lexical weight needs a lexical model")
        if not 0.0 <= lexical_weight <= 1.0:
            raise ValueError(f"lexical_weight must lie in [0, 1], got {lexical_weight}")
        self.kernel, self.lexical, self.lexical_weight = kernel, lexical, float(lexical_weight)
        if lexical is not None:
            unknown = sorted(set(lexical.body_ids) - set(kernel.body_ids))
            if unknown:
                raise ValueError(f"the lexical model has bodies the kernel classifier has not: {unknown}")
            position = {body: b for b, body in enumerate(kernel.body_ids)}
            self.lexical_columns_ = [position[body] for body in lexical.body_ids]

    @property
    def body_ids(self) -> list[str]:
        return self.kernel.body_ids

    @property
    def config(self) -> dict:
        return self.kernel.config

    @property
    def embedder_name(self) -> str:
        return self.kernel.embedder_name

    @property
    def dim(self) -> int:
        return self.kernel.dim

    def probabilities(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """``texts x bodies`` in :attr:`body_ids` order; ``embeddings`` are the ``texts``' (in English space)."""
        if self.lexical is None or not self.lexical_weight:
            return self.kernel.probabilities(embeddings)
        return mixed(*self.parts(embeddings, texts), self.lexical_weight)

    def parts(self, embeddings: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """The kernel classifier's and the lexical model's probabilities, both in :attr:`body_ids` order
        (None for the lexical model's without one), for :func:`mixed` at any share."""
        kernel = self.kernel.probabilities(embeddings)
        if self.lexical is None:
            return kernel, None
        if len(texts) != len(kernel):
            raise ValueError(f"{len(texts)} texts for {len(kernel)} embeddings")
        lexical = np.zeros_like(kernel)
        lexical[:, self.lexical_columns_] = self.lexical.probabilities(texts)
        return kernel, lexical

    def check_bodies(self, ids: Sequence[str]) -> None:
        self.kernel.check_bodies(ids)

    def for_bodies(self, ids: Sequence[str], embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """``texts x len(ids)``: the probabilities in the order of a directory's ``ids`` (0 for a body that
        never led)."""
        self.check_bodies(ids)
        position = {body: b for b, body in enumerate(ids)}
        out = np.zeros((len(embeddings), len(ids)), dtype=np.float32)
        out[:, [position[body] for body in self.body_ids]] = self.probabilities(embeddings, texts)
        return out

    def save(self, folder: Path) -> None:
        self.kernel.config["lexical_weight"] = self.lexical_weight
        self.kernel.save(folder)
        if self.lexical is not None:
            self.lexical.save(folder / LEXICAL)

    @classmethod
    def load(cls, folder: Path) -> BlendedLeadModel:
        kernel = KernelLeadModel.load(folder)
        if not (folder / LEXICAL / CONFIG).exists():
            return cls(kernel)
        return cls(kernel, LexicalLeadModel.load(folder / LEXICAL), float(kernel.config.get("lexical_weight", 0.0)))


def mixed(kernel: np.ndarray, lexical: np.ndarray | None, lexical_weight: float) -> np.ndarray:
    """``(1 - lexical_weight) * kernel + lexical_weight * lexical``: the kernel's alone at 0 or without a
    lexical part."""
    if lexical is None or not lexical_weight:
        return kernel
    return (1.0 - lexical_weight) * kernel + lexical_weight * lexical
