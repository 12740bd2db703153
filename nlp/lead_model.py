"""A country's lead classifier fitted once on its decisions and shipped as arrays: which body leads.

A support-vector machine with an RBF kernel on the embeddings of past decisions (one class per body
that led), with Platt-scaled pairwise probabilities combined into one probability per body. It is
learnt by ``python -m training.ministry_lead`` into ``models/ministry-lead-<country>/vN/``:
``head.npz`` (support vectors as float16, dual coefficients, intercepts, the pairwise sigmoids) and
``config.json`` (body ids, kernel width, encoder, training sources, metrics); NumPy arrays, no pickle.

Applying it needs no scikit-learn model: the pairwise decision values are those of libsvm's
one-against-one machines, and the probabilities the exact minimiser of the pairwise-coupling
objective libsvm approximates by iteration (Wu, Lin and Weng 2004, method 2).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import numpy as np

from nlp.model_folder import read_model_folder, write_model_folder

#: pairwise probabilities are kept inside (MIN_PROBABILITY, 1 - MIN_PROBABILITY), as libsvm does
MIN_PROBABILITY = 1e-7
#: texts per block when applying the model (the kernel block is texts x support vectors)
BLOCK = 2048


def scale_gamma(vectors: np.ndarray) -> float:
    """The kernel width scikit-learn calls "scale": one over the features' count times their variance, as
    computed on the float64 copy it learns from."""
    x = np.asarray(vectors, dtype=np.float64)
    return float(1.0 / (x.shape[1] * x.var()))


class KernelLeadModel:
    """Each body's probability of leading, from an RBF support-vector machine's arrays."""

    def __init__(
        self,
        body_ids: Sequence[str],
        support_vectors: np.ndarray,
        n_support: np.ndarray,
        dual_coef: np.ndarray,
        intercept: np.ndarray,
        prob_a: np.ndarray,
        prob_b: np.ndarray,
        gamma: float,
        embedder_name: str,
        config: dict | None = None,
    ) -> None:
        self.body_ids = list(body_ids)
        self.support_vectors = np.asarray(support_vectors, dtype=np.float32)
        self.n_support = np.asarray(n_support, dtype=np.int64)
        self.dual_coef = np.asarray(dual_coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.prob_a, self.prob_b = np.asarray(prob_a, dtype=np.float64), np.asarray(prob_b, dtype=np.float64)
        self.gamma, self.embedder_name, self.config = float(gamma), embedder_name, dict(config or {})
        n_classes, n_pairs = len(self.body_ids), len(self.body_ids) * (len(self.body_ids) - 1) // 2
        if n_classes < 2 or len(set(self.body_ids)) != n_classes:
            raise ValueError(f"needs two or more distinct bodies, got {self.body_ids}")
        if self.n_support.shape != (n_classes,) or self.n_support.sum() != len(self.support_vectors):
            raise ValueError("n_support does not add up to the support vectors, one count per body")
        if self.dual_coef.shape != (n_classes - 1, len(self.support_vectors)):
            raise ValueError(f"dual_coef must be {n_classes - 1} x {len(self.support_vectors)}")
        if not all(a.shape == (n_pairs,) for a in (self.intercept, self.prob_a, self.prob_b)):
            raise ValueError(f"intercept, prob_a and prob_b need one value per pair of bodies ({n_pairs})")
        self.starts_ = np.concatenate([[0], np.cumsum(self.n_support)])
        self.squared_norms_ = np.einsum("ij,ij->i", self.support_vectors, self.support_vectors)

    @property
    def dim(self) -> int:
        return self.support_vectors.shape[1]

    @classmethod
    def fit(
        cls,
        vectors: np.ndarray,
        leads: Sequence[str],
        embedder_name: str,
        c: float = 4.0,
        seed: int = 0,
        config: dict | None = None,
    ) -> KernelLeadModel:
        """The model of scikit-learn's ``SVC(kernel="rbf", gamma="scale", probability=True)`` on ``vectors``
        labelled with their ``leads``, as arrays."""
        from sklearn.svm import SVC

        with warnings.catch_warnings():
            # SVC's own Platt scaling (probability=True, probA_, probB_) is what these arrays reproduce;
            # scikit-learn 1.9 deprecates it (pinned below 1.11 in pyproject.toml)
            warnings.filterwarnings("ignore", category=FutureWarning, module="sklearn")
            x = np.asarray(vectors, dtype=np.float32)
            gamma = scale_gamma(x)
            svc = SVC(C=c, kernel="rbf", gamma=gamma, probability=True, random_state=seed, cache_size=1000)
            svc.fit(x, np.asarray(leads))
            prob_a, prob_b = svc.probA_, svc.probB_
        # with two bodies scikit-learn flips the signs libsvm gives (its decision is positive for the second);
        # the arrays keep libsvm's, which the pairwise sigmoids were fitted on
        sign = -1.0 if len(svc.classes_) == 2 else 1.0
        return cls(
            [str(body) for body in svc.classes_],
            svc.support_vectors_.astype(np.float16),
            svc.n_support_,
            sign * svc.dual_coef_,
            sign * svc.intercept_,
            prob_a,
            prob_b,
            gamma,
            embedder_name,
            {**(config or {}), "c": c, "seed": seed, "decisions": len(leads)},
        )

    def pairwise_decisions(self, embeddings: np.ndarray) -> np.ndarray:
        """``texts x pairs``: each one-against-one machine's decision value (positive for the pair's first body),
        pairs in the order of :func:`itertools.combinations` over :attr:`body_ids`."""
        x = np.asarray(embeddings, dtype=np.float32)
        squared = np.einsum("ij,ij->i", x, x)[:, None] + self.squared_norms_[None] - 2.0 * (x @ self.support_vectors.T)
        kernel = np.exp(-self.gamma * np.maximum(squared, 0.0), dtype=np.float64)
        s = self.starts_
        # per body, its support vectors' sums against each other body (libsvm's coefficient rows): the
        # machine of a pair (i, j) adds i's sum in row j - 1 and j's in row i
        sums = [kernel[:, s[b] : s[b + 1]] @ self.dual_coef[:, s[b] : s[b + 1]].T for b in range(len(self.body_ids))]
        out = np.empty((len(x), len(self.intercept)))
        for pair, (i, j) in enumerate(combinations(range(len(self.body_ids)), 2)):
            out[:, pair] = sums[i][:, j - 1] + sums[j][:, i] + self.intercept[pair]
        return out

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """``texts x bodies`` (columns in :attr:`body_ids` order, rows summing to 1)."""
        x = np.asarray(embeddings, dtype=np.float32)
        return np.concatenate(
            [self._coupled(self.pairwise_decisions(x[start : start + BLOCK])) for start in range(0, len(x), BLOCK)]
            or [np.zeros((0, len(self.body_ids)))]
        )

    def _coupled(self, decisions: np.ndarray) -> np.ndarray:
        k = len(self.body_ids)
        beats = 1.0 / (1.0 + np.exp(np.clip(decisions * self.prob_a + self.prob_b, -500.0, 500.0)))
        beats = np.clip(beats, MIN_PROBABILITY, 1.0 - MIN_PROBABILITY)
        r = np.zeros((len(decisions), k, k))  # r[:, i, j]: probability that body i, not j, leads
        first, second = np.array(list(combinations(range(k), 2))).T
        r[:, first, second], r[:, second, first] = beats, 1.0 - beats
        # minimise p'Qp subject to sum(p) = 1: Q[t, t] = sum_j r[j, t]^2, Q[t, j] = -r[j, t] r[t, j]
        q = -np.transpose(r, (0, 2, 1)) * r
        q[:, np.arange(k), np.arange(k)] = np.einsum("njt,njt->nt", r, r)
        system = np.zeros((len(decisions), k + 1, k + 1))
        system[:, :k, :k], system[:, :k, k], system[:, k, :k] = q, 1.0, 1.0
        target = np.zeros((len(decisions), k + 1))
        target[:, k] = 1.0
        p = np.linalg.solve(system, target[..., None])[:, :k, 0]
        p = np.clip(p, 0.0, None)
        return p / p.sum(axis=1, keepdims=True)

    def save(self, folder: Path) -> None:
        arrays = {
            "support_vectors": self.support_vectors.astype(np.float16),
            "n_support": self.n_support,
            "dual_coef": self.dual_coef,
            "intercept": self.intercept,
            "prob_a": self.prob_a,
            "prob_b": self.prob_b,
        }
        config = {**self.config, "body_ids": self.body_ids, "gamma": self.gamma, "embedder": self.embedder_name}
        write_model_folder(folder, arrays, {**config, "dim": self.dim})

    @classmethod
    def load(cls, folder: Path) -> KernelLeadModel:
        """The model saved in ``folder``; a missing file or arrays that do not fit name the folder."""
        config, fields = read_model_folder(folder, "lead model")
        try:
            return cls(
                config["body_ids"],
                fields["support_vectors"],
                fields["n_support"],
                fields["dual_coef"],
                fields["intercept"],
                fields["prob_a"],
                fields["prob_b"],
                config["gamma"],
                config["embedder"],
                config,
            )
        except (KeyError, ValueError) as error:
            raise ValueError(f"lead model {folder}: {error}") from error

    def check_bodies(self, ids: Sequence[str]) -> None:
        """Raise ``ValueError`` when a body of the model is not among a directory's ``ids``."""
        known = set(ids)
        unknown = [body for body in self.body_ids if body not in known]
        if unknown:
            raise ValueError(f"lead model learnt for bodies not in the directory: {unknown}")
