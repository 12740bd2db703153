"""A query that names a topic ("statelessness", "apatridie") ranks the recommendations holding its words, or their
translations, before those its vector alone finds; other queries are ranked as before."""

import numpy as np
import pytest

from nlp.pipeline import Pipeline
from nlp.records import Recommendation, SourceRow
from nlp.search import QueryCues, Searcher, topic_words
from nlp.word_translation import WordTranslation

PAIRS = [
    {"en": "Reduce statelessness", "fr": "Réduire l'apatridie", "ar": "الحد من انعدام الجنسية"},
    {
        "en": "Prevent statelessness of children",
        "fr": "Prévenir l'apatridie des enfants",
        "ar": "منع انعدام جنسية الأطفال",
    },
    {"en": "Protect children", "fr": "Protéger les enfants", "ar": "حماية الأطفال"},
]
# the first is a hair nearer every query vector: the vector alone ranks it first
TEXTS = ["Combat impunity", "Accede to the conventions on statelessness"]


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("statelessness", "en", ["statel"]),
        ("Peine de mort", "fr", ["peine", "mort"]),
        ("الحق في التعليم", "ar", ["حق", "تعليم"]),
        ("Abolish the death penalty", "en", []),  # asks for an action
        ("Continue efforts on education", "en", []),  # a "continue" opening
        ("freedom of association and peaceful assembly", "en", []),  # four content words
    ],
)
def test_a_topic_is_a_short_query_that_asks_for_no_action(query, language, expected):
    assert topic_words(QueryCues.of(query, language), Searcher.topic_max_words) == expected


def test_a_topic_query_ranks_first_the_recommendation_holding_its_word(near_equal_search):
    searcher, query = near_equal_search(TEXTS)
    hits = searcher.search_vectors(query, k=2, cues=[QueryCues.of("statelessness", "en")])[0]
    assert [hit.record["id"] for hit in hits] == ["r1", "r0"]
    # scores stay on one scale: the mean of the similarity and the share of words held, weighted 1 and the weight
    weight = searcher.topic_word_weight
    assert hits[0].score == pytest.approx((0.999 + weight) / (1 + weight), abs=1e-3)
    assert hits[1].score == pytest.approx(1.0 / (1 + weight), abs=1e-3)
    searcher.topic_word_weight = 0.0
    assert searcher.search_vectors(query, k=1, cues=[QueryCues.of("statelessness", "en")])[0][0].record["id"] == "r0"


@pytest.mark.parametrize(("query", "language"), [("apatridie", "fr"), ("apatridie", "it"), ("انعدام", "ar")])
def test_a_topic_in_another_language_finds_the_recommendation_holding_its_translation(
    near_equal_search, query, language
):
    """Even when a word or two are taken for another language than they are written in."""
    searcher, vectors = near_equal_search(TEXTS)
    searcher.word_translation = WordTranslation.learn(PAIRS, iterations=10)
    hits = searcher.search_vectors(vectors, k=2, cues=[QueryCues.of(query, language)])[0]
    assert hits[0].record["id"] == "r1"


def test_a_query_asking_for_an_action_is_ranked_by_its_vector(near_equal_search):
    searcher, query = near_equal_search(["Combat impunity", "Combat statelessness"])
    hits = searcher.search_vectors(query, k=2, cues=[QueryCues.of("Combat statelessness", "en")])[0]
    assert hits[0].record["id"] == "r0"


class _FanEmbedder:
    """Each stored text of :data:`FAN` a step further from the query vector ``[1, 0]`` than the one before."""

    name, dim = "fan-2", 2

    def embed(self, texts):
        angles = [0.01 * FAN.index(text) if text in FAN else 1.5 for text in texts]
        return np.array([[np.cos(a), np.sin(a)] for a in angles], dtype=np.float32)


FAN = [f"Recommendation number {i}" for i in range(60)] + TEXTS


def test_a_topic_query_beside_another_leaves_the_other_ranked_as_alone(tmp_path):
    pipeline = Pipeline.open(tmp_path, _FanEmbedder())
    rows = [SourceRow(i + 1, Recommendation(text=t, id=f"r{i}", language="en")) for i, t in enumerate(FAN)]
    pipeline.import_rows(rows, "test", "jsonl")
    searcher = Searcher(pipeline.store, pipeline.index, pipeline.embedder)
    query = np.array([[1.0, 0.0]], dtype=np.float32)
    other = QueryCues.of("Abolish the death penalty", "en")
    alone = searcher.search_vectors(query, k=10, cues=[other])[0]
    beside = searcher.search_vectors(query.repeat(2, axis=0), k=10, cues=[other, QueryCues.of("statelessness", "en")])
    assert [(h.record["id"], h.score) for h in beside[0]] == [(h.record["id"], h.score) for h in alone]
    assert beside[1][0].record["text"] == TEXTS[1]  # the topic query looked past the first 50 candidates
    pipeline.close()


def test_translations_are_relative_to_the_likeliest():
    tables = WordTranslation.learn(PAIRS, iterations=10)
    found = tables.translations("apatri", "fr", "en")
    assert max(found, key=found.get) == "statel" and found["statel"] == 1.0
    assert all(0.2 <= share <= 1.0 for share in found.values())
    assert tables.translations("statel", "en", "en") == {"statel": 1.0}
    assert tables.translations("inconnu", "fr", "en") == {}
    assert tables.translations("apatri", "es", "en") == {}
