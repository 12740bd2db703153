"""A supervised multi-label head over sentence embeddings (setfit-style: frozen body, scikit-learn head).

The head is a one-hidden-layer perceptron (scikit-learn's ``MLPClassifier``), averaged over a few
seeds, with one decision threshold per label tuned on out-of-fold predictions, the folds grouped
by state under review so that a state's recurring wordings never leak between fold and tuning.
Shipped heads are plain NumPy arrays (``head.npz``) and JSON, never pickles; inference needs NumPy
alone.

Example:
    >>> import numpy as np
    >>> head = MultiLabelHead(hidden=8, max_iter=50, seeds=(0,), threshold_folds=2)
    >>> X = np.random.default_rng(0).normal(size=(40, 4)).astype("float32")
    >>> Y = (X[:, :2] > 0).astype(int)
    >>> head.fit(X, Y, groups=np.arange(40) % 4).predict(X).shape
    (40, 2)
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

THRESHOLD_GRID = np.round(np.arange(0.10, 0.91, 0.025), 3)


class MultiLabelHead:
    """Multi-label classifier over embeddings with per-label thresholds (scikit-learn conventions)."""

    def __init__(
        self,
        hidden: int = 1024,
        alpha: float = 1e-4,
        max_iter: int = 40,
        seeds: Sequence[int] = (0, 1, 2),
        threshold_folds: int = 5,
    ) -> None:
        self.hidden = hidden
        self.alpha = alpha
        self.max_iter = max_iter
        self.seeds = tuple(seeds)
        self.threshold_folds = threshold_folds

    def _fit_layers(self, X: np.ndarray, Y: np.ndarray, seed: int) -> list[np.ndarray]:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        model = MLPClassifier(
            hidden_layer_sizes=(self.hidden,),
            alpha=self.alpha,
            max_iter=self.max_iter,
            batch_size=min(256, len(X)),
            early_stopping=True,
            random_state=seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, Y)
        return [model.coefs_[0], model.intercepts_[0], model.coefs_[1], model.intercepts_[1]]

    def fit(self, X: np.ndarray, Y: np.ndarray, groups: Sequence) -> MultiLabelHead:
        """Tune thresholds on grouped out-of-fold predictions, then train on everything."""
        from sklearn.model_selection import GroupKFold

        X = np.asarray(X, dtype=np.float32)
        Y = np.asarray(Y, dtype=np.int8)
        out_of_fold = np.zeros(Y.shape, dtype=np.float32)
        for train, held_out in GroupKFold(n_splits=self.threshold_folds).split(X, Y, groups):
            layers = [self._fit_layers(X[train], Y[train], seed) for seed in self.seeds]
            out_of_fold[held_out] = _forward(layers, X[held_out])
        self.thresholds_ = tune_thresholds(out_of_fold, Y)
        self.layers_ = [self._fit_layers(X, Y, seed) for seed in self.seeds]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return _forward(self.layers_, np.asarray(X, dtype=np.float32))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            f"seed{i}_{name}": array
            for i, layers in enumerate(self.layers_)
            for name, array in zip(("W0", "b0", "W1", "b1"), layers, strict=True)
        }
        np.savez_compressed(folder / "head.npz", **arrays)
        (folder / "thresholds.json").write_text(json.dumps([float(t) for t in self.thresholds_]) + "\n")

    @classmethod
    def load(cls, folder: str | Path, n_labels: int) -> MultiLabelHead:
        """Load ``head.npz`` and ``thresholds.json``; checks shapes against ``n_labels``."""
        folder = Path(folder)
        with np.load(folder / "head.npz", allow_pickle=False) as archive:
            seeds = sorted({name.split("_")[0] for name in archive.files})
            layers = [[archive[f"{seed}_{name}"] for name in ("W0", "b0", "W1", "b1")] for seed in seeds]
        thresholds = np.array(json.loads((folder / "thresholds.json").read_text()), dtype=np.float32)
        if len(thresholds) != n_labels or any(layer[2].shape[1] != n_labels for layer in layers):
            raise ValueError(f"{folder}: the head does not have {n_labels} labels")
        head = cls(hidden=layers[0][0].shape[1], seeds=range(len(layers)))
        head.layers_, head.thresholds_ = layers, thresholds
        return head


def _forward(layers: list[list[np.ndarray]], X: np.ndarray) -> np.ndarray:
    total = np.zeros((len(X), layers[0][2].shape[1]), dtype=np.float32)
    for W0, b0, W1, b1 in layers:
        hidden = np.maximum(X @ W0 + b0, 0.0)
        total += 1.0 / (1.0 + np.exp(-(hidden @ W1 + b1)))
    return total / len(layers)


def tune_thresholds(scores: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per label, the threshold on the grid that maximises F1 on (out-of-fold) scores."""
    thresholds = np.full(Y.shape[1], 0.5, dtype=np.float32)
    for label in range(Y.shape[1]):
        truth = Y[:, label].astype(bool)
        if not truth.any():
            continue
        predicted = scores[:, label][:, None] >= THRESHOLD_GRID[None, :]
        true_positive = (predicted & truth[:, None]).sum(axis=0)
        f1 = 2 * true_positive / (predicted.sum(axis=0) + truth.sum())
        thresholds[label] = THRESHOLD_GRID[int(np.argmax(f1))]
    return thresholds
