"""Is a text about SDG goal G? One logistic classifier per goal over sentence embeddings.

The rest of the tagger reaches goals through targets: the human-rights crosswalk and the phrase
rules speak of recommendations, and the goals' own texts are short. A report paragraph on irrigation
tariffs or a research abstract on clinic staffing names no treaty and no target wording, and its
goal is missed. The goal head learns each goal from paragraphs of that kind, written for the project
with near misses (texts that use a goal's words without being about it), and from the official goal,
target and indicator texts in Arabic, French and English (``python -m training.sdg_goals``).

Its probability is one more piece of goal evidence (:meth:`nlp.tagging.tagger.RecommendationTagger.goal_evidence`).
A head is a versioned folder ``models/sdg-goals/vN/``: ``head.npz`` (``weights``: dim × goals,
``bias``) and ``config.json`` (goal codes, encoder, training sources, metrics); NumPy arrays, no pickle.

Example:
    >>> import numpy as np
    >>> X = np.eye(4, dtype="float32")[[0, 0, 1, 1, 2, 3]]
    >>> Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 0], [0, 0]])
    >>> head = GoalHead.learn(X, Y, ["1", "2"], "toy", regularisation=10.0)
    >>> (head.probabilities(np.eye(4, dtype="float32")[:2]) > 0.5).astype(int).tolist()
    [[1, 0], [0, 1]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from nlp.model_folder import read_model_folder, write_model_folder


class GoalHead:
    """Per-goal logistic classifiers: :meth:`probabilities` gives ``n × goals`` in ``goal_codes`` order."""

    def __init__(
        self,
        weights: np.ndarray,
        bias: np.ndarray,
        goal_codes: Sequence[str],
        embedder_name: str,
        config: Mapping | None = None,
    ) -> None:
        weights = np.asarray(weights, dtype=np.float32)
        bias = np.asarray(bias, dtype=np.float32)
        if weights.ndim != 2 or weights.shape[1] != len(goal_codes) or bias.shape != (len(goal_codes),):
            raise ValueError(f"weights {weights.shape} and bias {bias.shape} do not fit {len(goal_codes)} goals")
        self.weights = weights
        self.bias = bias
        self.goal_codes = [str(code) for code in goal_codes]
        self.embedder_name = embedder_name
        self.config = dict(config or {})

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    @classmethod
    def learn(
        cls,
        vectors: np.ndarray,
        labels: np.ndarray,
        goal_codes: Sequence[str],
        embedder_name: str,
        regularisation: float = 1.0,
        **config,
    ) -> GoalHead:
        """One class-balanced logistic regression per goal; ``labels[i, g]`` is 1 when text ``i`` is about
        goal ``g``; ``regularisation`` is scikit-learn's ``C`` (larger: weaker)."""
        from sklearn.linear_model import LogisticRegression

        labels = np.asarray(labels)
        if labels.shape != (len(vectors), len(goal_codes)):
            raise ValueError(f"labels {labels.shape} for {len(vectors)} texts and {len(goal_codes)} goals")
        empty = [code for code, column in zip(goal_codes, labels.T, strict=True) if column.min() == column.max()]
        if empty:
            raise ValueError(f"goals {empty} need both texts about them and texts not about them")
        weights, bias = [], []
        for column in labels.T:
            model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=3000)
            model.fit(vectors, column)
            weights.append(model.coef_[0])
            bias.append(model.intercept_[0])
        return cls(
            np.array(weights).T,
            np.array(bias),
            goal_codes,
            embedder_name,
            {**config, "regularisation": regularisation, "texts": len(vectors)},
        )

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """The probability that each text is about each goal (``n × goals``)."""
        logits = np.asarray(embeddings, dtype=np.float32) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))

    def save(self, folder: Path) -> None:
        config = {**self.config, "goal_codes": self.goal_codes, "embedder": self.embedder_name, "dim": self.dim}
        write_model_folder(folder, {"weights": self.weights, "bias": self.bias}, config)

    @classmethod
    def load(cls, folder: Path) -> GoalHead:
        """The head saved in ``folder``; a missing file or arrays that do not fit its goals name the folder."""
        config, arrays = read_model_folder(folder, "goal head")
        try:
            return cls(arrays["weights"], arrays["bias"], config["goal_codes"], config["embedder"], config)
        except (KeyError, ValueError) as error:
            raise ValueError(f"goal head {folder}: {error}") from error
