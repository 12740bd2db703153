"""A learnt model's versioned folder: ``head.npz`` (NumPy arrays, no pickle) and ``config.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

CONFIG = "config.json"
ARRAYS = "head.npz"


def write_model_folder(folder: Path, arrays: Mapping[str, np.ndarray], config: Mapping) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / ARRAYS, **arrays)
    (folder / CONFIG).write_text(json.dumps(dict(config), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_model_folder(folder: Path, what: str) -> tuple[dict, dict[str, np.ndarray]]:
    """``(config, arrays)`` of ``folder``; a missing or unreadable file raises ``ValueError`` naming ``what``
    and the folder."""
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        with np.load(folder / ARRAYS) as arrays:
            return config, {name: arrays[name] for name in arrays.files}
    except (OSError, ValueError) as error:  # json.JSONDecodeError is a ValueError
        raise ValueError(f"{what} {folder}: {error}") from error
