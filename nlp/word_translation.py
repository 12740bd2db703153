"""Word translation tables between English and French or Arabic (IBM model 1), learnt from our
translations of UPR recommendations (``python -m training.word_translation``).

A sentence vector places "Set up a national human rights institution" and "Create a national human
rights institution" almost at one point, yet the French "Créer une institution nationale ..." is a
translation of the second: translators keep the original's words. :meth:`WordTranslation.agreement`
says how well two texts' words translate each other (the mean log-probability of each text's words
given the other's, both ways), so that cross-lingual search can tell such near-twins apart. Translators
also keep the original's order ("Lutter efficacement contre" for "Combat effectively", not for its twin
"Effectively combat"): with an ``order`` above 0, a word is read as the translation of the other
text's words at about the same relative place more than of those far from it (the diagonal prior of
Dyer, Chahuneau and Smith's fast_align, 2013), the tables unchanged.

Words are matched in a light form (:func:`words`): the text the encoder reads (acronyms written out),
normalised for matching, French elisions and Arabic proclitics (و ف ب ل ك and the article) cut, and
cut to their first :data:`STEM` letters, so that "ratify", "ratified" and "ratification" are one word.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from nlp.embedding_text import embedding_text
from nlp.text import normalize_for_matching

STEM = 6
#: the empty word: a word may translate none of the other text's
NULL = ""
#: the probability floor of a word no word of the other text translates
FLOOR = 1e-6
_WORD = re.compile(r"[^\W_]+")
_FRENCH_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu)['’]")
_ARABIC_PROCLITICS = re.compile(r"^(?:و|ف)?(?:بال|كال|لل|ال|ب|ل|ك)?")

Table = Mapping[str, Mapping[str, float]]


def words(text: str, language: str | None) -> list[str]:
    """The words of ``text`` in the form the tables use."""
    normalised = normalize_for_matching(embedding_text(text, language))
    if language == "fr":
        normalised = _FRENCH_ELISION.sub(" ", normalised)
    out = []
    for word in _WORD.findall(normalised):
        if language == "ar":
            bare = _ARABIC_PROCLITICS.sub("", word)
            word = bare if len(bare) >= 2 else word
        out.append(word[:STEM])
    return out


def learn_table(pairs: Sequence[tuple[list[str], list[str]]], iterations: int) -> dict[str, dict[str, float]]:
    """P(source word | target word) by expectation-maximisation over ``(source words, target words)`` pairs
    (IBM model 1: every source word is the translation of one target word or of none)."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for source, target in pairs:
        for word in set(source):
            for other in {*target, NULL}:
                table[word][other] = 1.0
    for _ in range(iterations):
        counts: dict[tuple[str, str], float] = defaultdict(float)
        totals: dict[str, float] = defaultdict(float)
        for source, target in pairs:
            candidates = [*target, NULL]
            for word in source:
                row = table[word]
                norm = sum(row[other] for other in candidates)
                for other in candidates:
                    share = row[other] / norm
                    counts[word, other] += share
                    totals[other] += share
        table = defaultdict(dict)
        for (word, other), count in counts.items():
            table[word][other] = count / totals[other]
    return dict(table)


def pruned(table: Table, min_probability: float) -> dict[str, dict[str, float]]:
    """``table`` without the pairs below ``min_probability`` (rounded, to keep the shipped file small)."""
    out = {}
    for word, row in table.items():
        kept = {other: round(p, 5) for other, p in row.items() if p >= min_probability}
        if kept:
            out[word] = kept
    return out


class TableMatrix:
    """A table as a sparse matrix: a row per word it translates (``P(word | other)`` in the columns of
    the other language's words), and each word's probability of translating none. One more row and
    column, all zero, stand for the words the table does not know."""

    def __init__(self, table: Table) -> None:
        self.rows = {word: n for n, word in enumerate(table)}
        #: the word of each row
        self.words = list(self.rows)
        others = sorted({other for row in table.values() for other in row if other != NULL})
        self.columns = {other: n for n, other in enumerate(others)}
        entries = [
            (self.rows[word], self.columns[other], p)
            for word, row in table.items()
            for other, p in row.items()
            if other != NULL
        ]
        row_ids, column_ids, values = zip(*entries, strict=True) if entries else ((), (), ())
        shape = (len(self.rows) + 1, len(self.columns) + 1)
        self.by_row = sparse.csr_matrix((values, (row_ids, column_ids)), shape=shape, dtype=np.float64)
        self.by_column = self.by_row.tocsc()
        self.null = np.zeros(shape[0])
        for word, row in table.items():
            self.null[self.rows[word]] = row.get(NULL, 0.0)

    def row_ids(self, words: Sequence[str]) -> np.ndarray:
        unknown = len(self.rows)
        return np.fromiter((self.rows.get(word, unknown) for word in words), dtype=np.intp, count=len(words))

    def column_ids(self, words: Sequence[str]) -> np.ndarray:
        unknown = len(self.columns)
        return np.fromiter((self.columns.get(word, unknown) for word in words), dtype=np.intp, count=len(words))


def mean_log_probability(probabilities: np.ndarray, null: np.ndarray, order: float = 0.0) -> float:
    """The mean over the source words of log P(word | the target's words), from ``probabilities[j, i]``
    = P(source word j | target word i) and ``null[j]`` = P(source word j | none): at ``order`` 0 each
    target word (and none) equally likely to be the one it translates; above 0, the target word at
    relative place i/l weighs exp(-order * |i/l - j/m|) for the source word at j/m (none weighs the mean)."""
    n_source, n_target = probabilities.shape
    if not n_source:
        return 0.0
    near, null_weight, norm = diagonal(n_source, n_target, order)
    p = ((probabilities * near).sum(axis=1) + null_weight * null) / norm
    return float(np.log(np.maximum(p, FLOOR)).mean())


@functools.lru_cache(maxsize=1024)
def diagonal(n_source: int, n_target: int, order: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weight of each target word for each source word, the weight of none and their sums (at
    ``order`` 0 or without target words, all equal)."""
    if order <= 0 or n_target == 0:
        near = np.ones((n_source, n_target))
    else:
        places = (np.arange(n_source) + 0.5) / n_source
        near = np.exp(-order * np.abs((np.arange(n_target) + 0.5) / n_target - places[:, None]))
    total = near.sum(axis=1)
    null_weight = total / n_target if n_target else np.ones(n_source)
    norm = total + null_weight
    for array in (near, null_weight, norm):
        array.flags.writeable = False  # shared by every caller through the cache
    return near, null_weight, norm


class WordTranslation:
    """Word translation tables between English and other languages, both ways."""

    def __init__(self, tables: Mapping[tuple[str, str], Table], config: Mapping | None = None) -> None:
        #: ``tables[(a, b)][word of a][word of b]`` = P(word of a | word of b)
        self.tables = dict(tables)
        self.config = dict(config or {})
        #: the same tables as matrices, built at once so that no search pays for it
        self.matrices = {pair: TableMatrix(table) for pair, table in self.tables.items()}

    @classmethod
    def learn(
        cls,
        pairs: Iterable[Mapping[str, str]],
        languages: Sequence[str] = ("fr", "ar"),
        iterations: int = 8,
        min_probability: float = 0.01,
        **config,
    ) -> WordTranslation:
        """Tables from ``pairs`` (``{"en": ..., "fr": ..., "ar": ...}``; a missing or empty language is skipped)."""
        pairs = list(pairs)
        tables = {}
        for language in languages:
            tokenised = [(words(p[language], language), words(p["en"], "en")) for p in pairs if p.get(language)]
            tables[language, "en"] = pruned(learn_table(tokenised, iterations), min_probability)
            flipped = [(english, other) for other, english in tokenised]
            tables["en", language] = pruned(learn_table(flipped, iterations), min_probability)
        return cls(tables, {**config, "iterations": iterations, "min_probability": min_probability, "stem": STEM})

    def covers(self, language: str | None, other: str | None) -> bool:
        return (language, other) in self.tables and (other, language) in self.tables

    def agreement(
        self, text: str, language: str | None, other_text: str, other_language: str | None, order: float = 0.0
    ) -> float | None:
        """How well the two texts' words translate each other (mean log-probability, both ways; at most 0),
        or None when no tables join the two languages; ``order``: see :func:`mean_log_probability`."""
        return self.agreement_with(text, language, order)(other_text, other_language)

    def agreement_with(
        self, text: str, language: str | None, order: float = 0.0
    ) -> Callable[[str, str | None], float | None]:
        """:meth:`agreement` of ``text`` with any other text, ``text``'s words read once (a query and its
        candidates): the tables' entries for them are gathered once per other language, so a candidate
        costs a few array operations."""
        own = words(text, language)
        gathered: dict[str | None, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

        def with_other(other_text: str, other_language: str | None) -> float | None:
            if not self.covers(language, other_language):
                return None
            forward = self.matrices[language, other_language]
            backward = self.matrices[other_language, language]
            if other_language not in gathered:
                own_rows = forward.row_ids(own)
                gathered[other_language] = (
                    forward.by_row[own_rows].toarray(),
                    forward.null[own_rows],
                    backward.by_column[:, backward.column_ids(own)].toarray(),
                )
            own_given_all, own_null, all_given_own = gathered[other_language]
            other = words(other_text, other_language)
            other_rows = backward.row_ids(other)
            there = mean_log_probability(own_given_all[:, forward.column_ids(other)], own_null, order)
            back = mean_log_probability(all_given_own[other_rows], backward.null[other_rows], order)
            return (there + back) / 2

        return with_other

    def translations(
        self, word: str, language: str | None, into: str | None, min_share: float = 0.2
    ) -> dict[str, float]:
        """The words of ``into`` that translate ``word`` (a word of ``language`` in the form of :func:`words`), each
        with its probability relative to the likeliest one's, from ``min_share`` up; ``{word: 1.0}`` in its own
        language, and ``{}`` when no table joins the two or the table does not know the word."""
        if language == into:
            return {word: 1.0}
        if (into, language) not in self.matrices:
            return {}
        matrix = self.matrices[into, language]
        column = matrix.column_ids([word])[0]
        probabilities = matrix.by_column[:, column].toarray().ravel()
        best = probabilities.max(initial=0.0)
        if best <= 0.0:
            return {}
        found = np.flatnonzero(probabilities >= min_share * best)
        return {matrix.words[row]: float(probabilities[row] / best) for row in found if row < len(matrix.words)}

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        payload = {f"{a}|{b}": table for (a, b), table in self.tables.items()}
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with gzip.GzipFile(folder / "tables.json.gz", "wb", mtime=0) as handle:  # same tables, same bytes
            handle.write(text.encode("utf-8"))
        config = json.dumps(self.config, indent=2, ensure_ascii=False)
        (folder / "config.json").write_text(config + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path) -> WordTranslation:
        folder = Path(folder)
        with gzip.open(folder / "tables.json.gz", "rt", encoding="utf-8") as handle:
            payload = json.load(handle)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("stem", STEM) != STEM:
            raise ValueError(f"{folder}: tables of words cut to {config['stem']} letters, this code cuts to {STEM}")
        return cls({tuple(key.split("|")): table for key, table in payload.items()}, config)
