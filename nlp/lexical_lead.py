"""Which body leads, read from a text's words: the lexical half of a country's lead classifier.

A multinomial logistic regression on TF-IDF features of word unigrams and bigrams and of character
3- to 5-grams within words, learnt on the same decisions as the kernel classifier
(:class:`nlp.lead_model.KernelLeadModel`) and on the French and Arabic translations of those we
translated, so that it reads the three languages. The embedding sees what a recommendation is about;
the words catch the names that decide who leads (a convention, a code, an institution), which an
embedding blurs. Shipped as arrays beside the kernel classifier: ``lexical/head.npz`` (the
coefficients as float16, intercepts, the idf weights), ``lexical/vocabulary.json`` (the n-grams in
column order) and ``lexical/config.json``; applied through scikit-learn's vectorizers rebuilt from that
vocabulary, with no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.model_folder import read_model_folder, write_model_folder

VOCABULARY = "vocabulary.json"
#: the two vectorizers: (name, analyzer, n-gram range, least document frequency)
FEATURES = (("words", "word", (1, 2), 2), ("characters", "char_wb", (3, 5), 3))
MAX_CHARACTER_FEATURES = 200_000


def _vectorizer(analyzer: str, ngrams: tuple[int, int], min_df: int = 1, vocabulary: Sequence[str] | None = None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        min_df=min_df,
        sublinear_tf=True,
        max_features=MAX_CHARACTER_FEATURES if analyzer == "char_wb" and vocabulary is None else None,
        vocabulary=vocabulary,
    )


class LexicalLeadModel:
    """Each body's probability of leading, from TF-IDF n-grams of the text."""

    def __init__(
        self,
        body_ids: Sequence[str],
        vocabularies: dict[str, list[str]],
        idf: dict[str, np.ndarray],
        coef: np.ndarray,
        intercept: np.ndarray,
        config: dict | None = None,
    ) -> None:
        self.body_ids, self.config = list(body_ids), dict(config or {})
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.vectorizers = []
        for name, analyzer, ngrams, _ in FEATURES:
            if len(vocabularies[name]) != len(idf[name]):
                raise ValueError(f"{name}: {len(vocabularies[name])} n-grams but {len(idf[name])} idf weights")
            vectorizer = _vectorizer(analyzer, ngrams, vocabulary=vocabularies[name])
            vectorizer.idf_ = np.asarray(idf[name], dtype=np.float64)
            self.vectorizers.append(vectorizer)
        features = sum(len(vocabularies[name]) for name, *_ in FEATURES)
        if self.coef.shape != (len(self.body_ids), features) or self.intercept.shape != (len(self.body_ids),):
            raise ValueError(f"coefficients must be {len(self.body_ids)} x {features}, one intercept per body")

    @classmethod
    def fit(cls, texts: Sequence[str], leads: Sequence[str], c: float = 5.0, config: dict | None = None):
        """Learn the vocabulary and the regression on ``texts`` labelled with their ``leads``."""
        from scipy.sparse import hstack
        from sklearn.linear_model import LogisticRegression

        vectorizers = [_vectorizer(analyzer, ngrams, min_df) for _, analyzer, ngrams, min_df in FEATURES]
        x = hstack([vectorizer.fit_transform(texts) for vectorizer in vectorizers]).tocsr()
        regression = LogisticRegression(C=c, max_iter=2000).fit(x, np.asarray(leads))
        if len(regression.classes_) < 3:  # two classes give one row of coefficients, not one per body
            raise ValueError(f"needs three or more bodies that led, got {list(regression.classes_)}")
        vocabularies = {
            name: [str(term) for term in vectorizer.get_feature_names_out()]
            for (name, *_), vectorizer in zip(FEATURES, vectorizers, strict=True)
        }
        idf = {name: vectorizer.idf_ for (name, *_), vectorizer in zip(FEATURES, vectorizers, strict=True)}
        return cls(
            [str(body) for body in regression.classes_],
            vocabularies,
            idf,
            regression.coef_.astype(np.float16),
            regression.intercept_,
            {**(config or {}), "c": c, "texts": len(texts)},
        )

    def features(self, texts: Sequence[str]):
        from scipy.sparse import hstack

        return hstack([vectorizer.transform(list(texts)) for vectorizer in self.vectorizers]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """``texts x bodies`` (columns in :attr:`body_ids` order, rows summing to 1)."""
        if not len(texts):
            return np.zeros((0, len(self.body_ids)))
        scores = np.asarray(self.features(texts) @ self.coef.T, dtype=np.float64) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, folder: Path) -> None:
        names = [name for name, *_ in FEATURES]
        arrays = {
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept,
            **{f"idf_{name}": v.idf_ for name, v in zip(names, self.vectorizers, strict=True)},
        }
        write_model_folder(folder, arrays, {**self.config, "body_ids": self.body_ids})
        vocabularies = {
            name: [str(term) for term in v.get_feature_names_out()]
            for name, v in zip(names, self.vectorizers, strict=True)
        }
        (folder / VOCABULARY).write_text(json.dumps(vocabularies, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalLeadModel:
        """The model saved in ``folder``; a missing file or arrays that do not fit name the folder."""
        config, fields = read_model_folder(folder, "lexical lead model")
        try:
            vocabularies = json.loads((folder / VOCABULARY).read_text(encoding="utf-8"))
            idf = {name: fields[f"idf_{name}"] for name, *_ in FEATURES}
            return cls(config["body_ids"], vocabularies, idf, fields["coef"], fields["intercept"], config)
        except (OSError, KeyError, ValueError) as error:
            raise ValueError(f"lexical lead model {folder}: {error}") from error
