"""The decisions a mapper learns from: coordinators' corrections (:class:`DecisionMemory`) and, for a country
without a lead classifier, a logistic regression on the example decisions (:class:`LeadClassifier`)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from nlp.lru import LruCache
from nlp.wording import any_language_wording_key


class DecisionMemory:
    """Coordinator decisions, used at once: near recommendations vote for their bodies, a
    recommendation of the same wording (:func:`nlp.wording.any_language_wording_key`) takes the
    latest decision on it, and the decisions count which bodies supported each lead."""

    def __init__(self, ids: Sequence[str], dim: int) -> None:
        self.position = {body_id: b for b, body_id in enumerate(ids)}
        self.vectors_ = np.zeros((0, dim), dtype=np.float32)
        self.votes_ = np.zeros((0, len(ids)), dtype=np.float32)
        self.led_ = np.zeros(len(ids), dtype=np.float32)
        self.partners_ = np.zeros((len(ids), len(ids)), dtype=np.float32)
        #: wording key -> the row of the latest decision on a text of that wording
        self.by_wording_: dict[str, int] = {}
        #: each decision's text ("" when it came without one), quoted in the reasons it gives
        self.texts_: list[str] = []

    def __len__(self) -> int:
        return len(self.vectors_)

    def add(
        self,
        vectors: np.ndarray,
        leads: Sequence[str],
        supporting: Sequence[Sequence[str]],
        texts: Sequence[str] | None = None,
        same_wording: bool = True,
    ) -> None:
        """Add decisions; with their ``texts`` (quoted in reasons), a later text of the same wording takes
        them unless ``same_wording`` is False (example decisions, which only illustrate)."""
        if not len(leads):
            return
        if texts is not None and len(texts) != len(leads):
            raise ValueError(f"{len(texts)} texts for {len(leads)} decisions")
        for row, text in enumerate(texts if same_wording and texts is not None else []):
            self.by_wording_[any_language_wording_key(text)] = len(self) + row
        self.texts_.extend(texts if texts is not None else [""] * len(leads))
        votes = np.zeros((len(leads), len(self.position)), dtype=np.float32)
        for row, (lead, others) in enumerate(zip(leads, supporting, strict=True)):
            lead_b = self.position[lead]
            votes[row, lead_b] = 1.0
            self.led_[lead_b] += 1
            for other in others:
                other_b = self.position[other]
                votes[row, other_b] = max(votes[row, other_b], 0.5)
                self.partners_[lead_b, other_b] += 1
        self.vectors_ = np.concatenate([self.vectors_, np.asarray(vectors, dtype=np.float32)])
        self.votes_ = np.concatenate([self.votes_, votes])

    def cosines(self, embeddings: np.ndarray) -> np.ndarray:
        """``texts x decisions``: the cosine of each text to each decision's text (vectors are unit length);
        what :meth:`votes` and :meth:`nearest_naming` read, computed once for both."""
        return np.asarray(embeddings, dtype=np.float32) @ self.vectors_.T

    def nearest_naming(self, sims: np.ndarray, led_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``(cosine, row)``, each ``texts x bodies``, from the texts' :meth:`cosines`: per text and body, the
        nearest decision that named the body (as its lead with ``led_only``, else as lead or supporting);
        cosine -1 and row -1 where none did."""
        n = len(sims)
        cosine = np.full((n, len(self.position)), -1.0, dtype=np.float32)
        rows = np.full((n, len(self.position)), -1, dtype=np.intp)
        if not len(self) or not n:
            return cosine, rows
        named = self.votes_ >= (1.0 if led_only else 0.5)
        for b in np.flatnonzero(named.any(axis=0)):
            columns = np.flatnonzero(named[:, b])
            rows[:, b] = columns[sims[:, columns].argmax(axis=1)]
            cosine[:, b] = sims[np.arange(n), rows[:, b]]
        return cosine, rows

    def decided(self, text: str) -> np.ndarray | None:
        """The votes of the latest decision on a text of the same wording as ``text`` (1 for its lead,
        0.5 for its supporting bodies), or ``None``."""
        if not self.by_wording_:  # no decision came with its text: no key to compute (the import's hot path)
            return None
        row = self.by_wording_.get(any_language_wording_key(text))
        return None if row is None else self.votes_[row]

    def partner_shares(self, other: DecisionMemory | None = None) -> np.ndarray:
        """``[lead, body]``: share of the lead's past decisions (here and in ``other``) in which the
        body supported it."""
        partners, led = self.partners_, self.led_
        if other is not None:
            partners, led = partners + other.partners_, led + other.led_
        return partners / np.maximum(led, 1.0)[:, None]

    def votes(self, sims: np.ndarray, min_cosine: float, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """``(votes, best cosine)`` from the texts' :meth:`cosines`: similarity-weighted votes of the nearest
        past decisions above ``min_cosine``; a neighbour at cosine 1 counts fully, one at ``min_cosine`` not at
        all."""
        n = len(sims)
        if not len(self):
            return np.zeros((n, len(self.position)), dtype=np.float32), np.zeros(n, dtype=np.float32)
        k = min(k, sims.shape[1])
        nearest = np.argsort(-sims, axis=1)[:, :k]
        near = np.take_along_axis(sims, nearest, axis=1)
        weights = np.clip((near - min_cosine) / (1.0 - min_cosine), 0.0, None)
        votes = (weights[:, :, None] * self.votes_[nearest]).max(axis=1)
        return votes, near[:, 0]


class LeadClassifier:
    """A logistic regression on the embeddings of past decisions (example decisions, and coordinator
    corrections weighing ``correction_weight`` each, left out at 0) giving each body's probability
    of leading; refitted only when decisions were added since the last fit, starting from the last
    fit's weights while the bodies that led stay the same (a correction then costs a fraction of a
    second, not a whole fit). Without example decisions there is no classifier: corrections then act
    through the memory alone."""

    def __init__(self, c: float = 4.0, correction_weight: float = 0.0) -> None:
        self.c, self.correction_weight = c, correction_weight
        self.fitted_for_: tuple[int, int] | None = None
        self.model_: LogisticRegression | None = None

    def probabilities(
        self, embeddings: np.ndarray, examples: DecisionMemory, corrections: DecisionMemory
    ) -> np.ndarray:
        n_bodies = len(examples.position)
        out = np.zeros((len(embeddings), n_bodies), dtype=np.float32)
        if not len(examples):  # corrections alone, perhaps all for one body, would speak for every text
            return out
        weights = np.concatenate([np.ones(len(examples)), np.full(len(corrections), self.correction_weight)])
        leads = np.concatenate([examples.votes_.argmax(axis=1), corrections.votes_.argmax(axis=1)])[weights > 0]
        if len(np.unique(leads)) == 1:
            out[:, leads[0]] = 1.0
            return out
        fitted_for = (len(examples), len(corrections) if self.correction_weight > 0 else 0)
        if self.fitted_for_ != fitted_for:
            vectors = np.concatenate([examples.vectors_, corrections.vectors_])[weights > 0]
            model = self.model_
            if model is None or not np.array_equal(model.classes_, np.unique(leads)):
                self.model_ = self._fitted_anew(vectors, leads, weights[weights > 0])
            else:
                self.model_ = model.fit(vectors, leads, sample_weight=weights[weights > 0])
            self.fitted_for_ = fitted_for
        out[:, self.model_.classes_] = self.model_.predict_proba(embeddings)
        return out

    def _fitted_anew(self, vectors: np.ndarray, leads: np.ndarray, weights: np.ndarray) -> LogisticRegression:
        """A model fitted from scratch on these decisions; the same decisions (thousands of examples, a fit
        of seconds) are fitted once per process, however many mappers start from them."""
        digest = hashlib.sha1(np.ascontiguousarray(vectors).tobytes())
        for array in (leads, weights, np.array([self.c])):
            digest.update(np.ascontiguousarray(array).tobytes())
        key = digest.hexdigest()
        found = _FITTED.found([key]).get(key)
        if found is None:
            found = LogisticRegression(C=self.c, max_iter=3000, warm_start=True).fit(
                vectors, leads, sample_weight=weights
            )
            _FITTED.keep({key: found})
        return copy.deepcopy(found)  # refitted in place when decisions are added: each classifier its own


#: lead classifiers fitted from scratch, by the digest of what they were fitted on
_FITTED: LruCache[str, LogisticRegression] = LruCache(8)
