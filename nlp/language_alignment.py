"""French and Arabic sentence vectors turned towards English ones, for heads trained on English texts.

The multilingual encoder puts a translation near its original, but not on it: a French or Arabic
text sits a little apart, in directions shared by its language. A head trained on English vectors
alone (the UPR Info issue head) then misses more in French and Arabic. A :class:`LanguageAlignment`
holds, per language, the orthogonal map (orthogonal Procrustes) that brings the vectors of
translations closest to those of their English originals; applied to a French or Arabic vector
before such a head, it reads it as it reads English. Being a rotation, it keeps every cosine
between texts of one language.

Only heads learnt on English use it: search, duplicate clustering and the label similarities compare
texts as the encoder gives them. ``python -m training.alignment`` learns a versioned folder
``models/language-alignment/vN/`` (``<language>.npy`` and ``config.json`` naming the encoder).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

CONFIG = "config.json"


def procrustes(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal matrix ``W`` minimising ``||source @ W - target||`` (rows are paired texts)."""
    u, _, vt = np.linalg.svd(np.asarray(source, dtype=np.float64).T @ np.asarray(target, dtype=np.float64))
    return (u @ vt).astype(np.float32)


class LanguageAlignment:
    """Per-language orthogonal maps towards English; texts in other languages pass unchanged."""

    def __init__(self, maps: Mapping[str, np.ndarray], embedder_name: str, config: Mapping | None = None) -> None:
        self.maps = {language: np.asarray(matrix, dtype=np.float32) for language, matrix in maps.items()}
        self.embedder_name = embedder_name
        self.config = dict(config or {})

    @classmethod
    def learn(
        cls, english: np.ndarray, translations: Mapping[str, np.ndarray], embedder_name: str, **config
    ) -> LanguageAlignment:
        """Maps from paired vectors: ``translations[language][i]`` is a translation of ``english[i]``."""
        maps = {}
        for language, vectors in translations.items():
            if len(vectors) != len(english):
                raise ValueError(f"{language}: {len(vectors)} translations for {len(english)} English texts")
            maps[language] = procrustes(vectors, english)
        return cls(maps, embedder_name, {**config, "pairs": len(english)})

    def to_english(self, vectors: np.ndarray, languages: Sequence[str | None] | None) -> np.ndarray:
        """``vectors`` with each row of a mapped language turned towards English (a new array when any is)."""
        if languages is None or not self.maps:
            return vectors
        if len(languages) != len(vectors):
            raise ValueError(f"{len(languages)} languages for {len(vectors)} vectors")
        out = vectors
        for language, matrix in self.maps.items():
            rows = np.fromiter((lang == language for lang in languages), dtype=bool, count=len(languages))
            if rows.any():
                if out is vectors:
                    out = np.array(vectors, dtype=np.float32)
                out[rows] = out[rows] @ matrix
        return out

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for language, matrix in self.maps.items():
            np.save(folder / f"{language}.npy", matrix)
        config = {**self.config, "embedder": self.embedder_name, "languages": sorted(self.maps)}
        (folder / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @property
    def dim(self) -> int | None:
        """The dimension of the vectors it maps (``None`` without maps)."""
        return next((matrix.shape[0] for matrix in self.maps.values()), None)

    @classmethod
    def load(cls, folder: str | Path) -> LanguageAlignment:
        """Read a folder written by :meth:`save`; its maps must be square and of one size."""
        folder = Path(folder)
        try:
            config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
            maps = {language: np.load(folder / f"{language}.npy") for language in config["languages"]}
        except (OSError, ValueError, KeyError) as error:
            raise ValueError(f"language alignment {folder}: {error}") from error
        shapes = {language: matrix.shape for language, matrix in maps.items()}
        if len(set(shapes.values())) > 1 or any(len(shape) != 2 or shape[0] != shape[1] for shape in shapes.values()):
            found = ", ".join(f"{language}.npy {shape}" for language, shape in shapes.items())
            raise ValueError(f"language alignment {folder}: the maps must be square and of one size ({found})")
        return cls(maps, config.get("embedder", ""), config)
