"""Commitment levels in Arabic, French and English, and the order they give among near-equal hits."""

import pytest

from nlp.commitment import ACT, CONSIDER, CONTINUE, commitment_level
from nlp.search import QueryCues


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


def test_among_near_equal_hits_the_query_s_level_comes_first(near_equal_search):
    texts = ["Consider ratifying the Convention against Torture", "Ratify the Convention against Torture"]
    searcher, query = near_equal_search(texts)
    plain = searcher.search_vectors(query, k=2)[0]
    assert plain[0].record["id"] == "r0"  # without a level, the 'consider' text is a hair nearer
    ranked = searcher.search_vectors(query, k=2, cues=[QueryCues(ACT)])[0]  # e.g. "Ratifier la Convention ..."
    assert [hit.record["id"] for hit in ranked] == ["r1", "r0"]
    assert ranked[0].score > ranked[1].score
