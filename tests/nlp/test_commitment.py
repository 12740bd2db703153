"""Commitment levels in Arabic, French and English, and the order they give among near-equal hits."""

import numpy as np
import pytest

from nlp.commitment import ACT, CONSIDER, CONTINUE, commitment_level
from nlp.pipeline import Pipeline
from nlp.records import Recommendation, SourceRow
from nlp.search import QueryCues, Searcher


@pytest.mark.parametrize(
    ("text", "language", "level"),
    [
        ("Consider ratifying the Convention on the Rights of Persons with Disabilities", "en", CONSIDER),
        ("Study the possibility of abolishing the death penalty", "en", CONSIDER),
        ("Ratify the Convention on the Rights of Persons with Disabilities", "en", ACT),
        ("Continue its efforts to combat trafficking in persons", "en", CONTINUE),
        ("Envisager de ratifier la Convention relative aux droits des personnes handicapées", "fr", CONSIDER),
        ("Étudier la possibilité d'abolir la peine de mort", "fr", CONSIDER),
        ("Poursuivre ses efforts de lutte contre la traite des personnes", "fr", CONTINUE),
        ("Ratifier la Convention relative aux droits des personnes handicapées", "fr", ACT),
        ("النظر في التصديق على اتفاقية حقوق الأشخاص ذوي الإعاقة", "ar", CONSIDER),
        ("دراسة إمكانية إلغاء عقوبة الإعدام", "ar", CONSIDER),
        ("مواصلة جهودها لمكافحة الاتجار بالأشخاص", "ar", CONTINUE),
        ("التصديق على اتفاقية حقوق الأشخاص ذوي الإعاقة", "ar", ACT),
    ],
)
def test_levels_are_read_from_the_opening_words_in_three_languages(text, language, level):
    assert commitment_level(text, language) == level


class _FixedEmbedder:
    """Every text embeds to one of two nearly equal vectors: the stored 'consider' text a hair closer."""

    name, dim = "fixed-2", 2

    def embed(self, texts):
        return np.array([[1.0, 0.0] if "Consider" in t else [0.999, 0.0447] for t in texts], dtype=np.float32)


def test_among_near_equal_hits_the_query_s_level_comes_first(tmp_path):
    pipeline = Pipeline.open(tmp_path, _FixedEmbedder())
    texts = ["Consider ratifying the Convention against Torture", "Ratify the Convention against Torture"]
    rows = [SourceRow(i + 1, Recommendation(text=t, id=f"r{i}", language="en")) for i, t in enumerate(texts)]
    pipeline.import_rows(rows, "test", "jsonl")
    searcher = Searcher(pipeline.store, pipeline.index, pipeline.embedder)
    query = np.array([[1.0, 0.0]], dtype=np.float32)
    plain = searcher.search_vectors(query, k=2)[0]
    assert plain[0].record["id"] == "r0"  # without a level, the 'consider' text is a hair nearer
    ranked = searcher.search_vectors(query, k=2, cues=[QueryCues(ACT)])[0]  # e.g. "Ratifier la Convention ..."
    assert [hit.record["id"] for hit in ranked] == ["r1", "r0"]
    assert ranked[0].score > ranked[1].score
    pipeline.close()
