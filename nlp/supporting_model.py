"""Which bodies support a lead on a recommendation: a country's supporting-body classifier.

For each body, a logistic regression on the recommendation's embedding (in English space, as the lead
classifier reads it) and the lead it was given, learnt on the decisions the lead classifier learns:
``P(body supports | text, lead)``. The lead's past partners alone say which bodies usually support it;
the text says which of them this recommendation needs (a ratification brings Parliament, a law on
women's rights Solidarity). Shipped as arrays in ``models/ministry-supporting-<country>/vN/``
(``python -m training.ministry_supporting``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.model_folder import read_model_folder, write_model_folder

#: the lead enters as a one-hot vector of this length (unit embeddings' entries are far smaller)
LEAD_SCALE = 3.0
#: a body is learnt when it supported at least this many decisions (otherwise its probability is 0)
MIN_SUPPORTED = 5


class SupportingModel:
    """Each body's probability of supporting a given lead on a text."""

    def __init__(
        self, body_ids: Sequence[str], coef: np.ndarray, intercept: np.ndarray, config: dict | None = None
    ) -> None:
        self.body_ids, self.config = list(body_ids), dict(config or {})
        self.position = {body: b for b, body in enumerate(self.body_ids)}
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        n = len(self.body_ids)
        if self.coef.ndim != 2 or self.coef.shape[0] != n or self.coef.shape[1] <= n or self.intercept.shape != (n,):
            raise ValueError(f"coefficients must be {n} x (dim + {n}) and one intercept per body")

    @property
    def dim(self) -> int:
        return self.coef.shape[1] - len(self.body_ids)

    @property
    def embedder_name(self) -> str | None:
        return self.config.get("embedder")

    def features(self, embeddings: np.ndarray, leads: Sequence[str]) -> np.ndarray:
        unknown = sorted(set(leads) - set(self.position))
        if unknown:
            raise ValueError(f"leads the supporting model does not know: {unknown}")
        one_hot = np.zeros((len(leads), len(self.body_ids)), dtype=np.float32)
        one_hot[np.arange(len(leads)), [self.position[lead] for lead in leads]] = LEAD_SCALE
        return np.hstack([np.asarray(embeddings, dtype=np.float32).reshape(len(leads), -1), one_hot])

    @classmethod
    def fit(
        cls,
        embeddings: np.ndarray,
        leads: Sequence[str],
        supporting: Sequence[Sequence[str]],
        body_ids: Sequence[str],
        c: float = 4.0,
        config: dict | None = None,
    ) -> SupportingModel:
        """One logistic regression per body of ``body_ids`` on the decisions (``leads`` and ``supporting``
        on texts whose ``embeddings`` are given)."""
        from sklearn.linear_model import LogisticRegression

        model = cls(
            body_ids, np.zeros((len(body_ids), embeddings.shape[1] + len(body_ids))), np.full(len(body_ids), -30.0)
        )
        x = model.features(embeddings, leads)
        for b, body in enumerate(model.body_ids):
            supported = np.array([body in others for others in supporting])
            if supported.sum() < MIN_SUPPORTED:
                continue
            regression = LogisticRegression(C=c, max_iter=2000).fit(x, supported)
            model.coef[b], model.intercept[b] = regression.coef_[0], regression.intercept_[0]
        model.config = {**(config or {}), "c": c, "decisions": len(leads), "lead_scale": LEAD_SCALE}
        return model

    def probabilities(self, embeddings: np.ndarray, leads: Sequence[str]) -> np.ndarray:
        """``texts x bodies``: each body's probability of supporting the text's lead (0 for the lead itself)."""
        if not len(leads):
            return np.zeros((0, len(self.body_ids)))
        scores = self.features(embeddings, leads) @ self.coef.T + self.intercept
        out = 1.0 / (1.0 + np.exp(-np.clip(scores, -30.0, 30.0)))
        out[np.arange(len(leads)), [self.position[lead] for lead in leads]] = 0.0
        return out.astype(np.float64)

    def for_bodies(self, ids: Sequence[str], embeddings: np.ndarray, leads: Sequence[str]) -> np.ndarray:
        """:meth:`probabilities` in the order of a directory's ``ids`` (0 for a body the model does not know)."""
        out = np.zeros((len(leads), len(ids)))
        known = [(i, self.position[body]) for i, body in enumerate(ids) if body in self.position]
        rows = np.array([lead in self.position for lead in leads], dtype=bool)  # a lead it never saw: nothing
        if known and rows.any():
            mine, theirs = zip(*known, strict=True)
            chosen = self.probabilities(np.asarray(embeddings)[rows], [lead for lead in leads if lead in self.position])
            out[np.ix_(rows, list(mine))] = chosen[:, list(theirs)]
        return out

    def save(self, folder: Path) -> None:
        write_model_folder(
            folder, {"coef": self.coef, "intercept": self.intercept}, {**self.config, "body_ids": self.body_ids}
        )

    @classmethod
    def load(cls, folder: Path) -> SupportingModel:
        """The model saved in ``folder``; a missing file or arrays that do not fit name the folder."""
        config, arrays = read_model_folder(folder, "supporting model")
        try:
            return cls(config["body_ids"], arrays["coef"], arrays["intercept"], config)
        except (KeyError, ValueError) as error:
            raise ValueError(f"supporting model {folder}: {error}") from error
