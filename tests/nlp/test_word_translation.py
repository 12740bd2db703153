"""Word translation tables: the words they read, what they learn, how they are saved, and how search uses them."""

import math
import random

import pytest

from nlp.search import QueryCues
from nlp.word_translation import FLOOR, NULL, STEM, WordTranslation, learn_table, words

PAIRS = [
    {"en": "Create a committee", "fr": "Créer un comité", "ar": "إنشاء لجنة"},
    {"en": "Set up a committee", "fr": "Mettre en place un comité", "ar": "تشكيل لجنة"},
    {"en": "a national institution", "fr": "une institution nationale", "ar": "مؤسسة وطنية"},
    {"en": "Create a national plan", "fr": "Créer un plan national", "ar": "إنشاء خطة وطنية"},
    {"en": "Set up a plan", "fr": "Mettre en place un plan", "ar": "تشكيل خطة"},
]


def test_words_cut_elisions_proclitics_and_endings():
    assert words("L'État doit ratifier la Convention", "fr") == ["état", "doit", "ratifi", "la", "conven"]
    assert words("والتصديق على الاتفاقية وبالمؤسسة", "ar") == ["تصديق", "علي", "اتفاقي", "مؤسسه"]
    # acronyms are read written out, as the encoder reads them
    assert words("Ratify the CAT", "en") == ["ratify", "the", "conven", "agains", "tortur"]


def test_model_one_learns_which_word_translates_which():
    pairs = [
        (["chat", "noir"], ["black", "cat"]),
        (["chat", "blanc"], ["white", "cat"]),
        (["chien", "noir"], ["black", "dog"]),
    ]
    table = learn_table(pairs, 10)
    assert max(table["chat"], key=table["chat"].get) == "cat"
    assert max(table["noir"], key=table["noir"].get) == "black"


def test_a_translation_agrees_best_with_the_wording_it_translates():
    tables = WordTranslation.learn(PAIRS, iterations=10)
    query = "Créer une institution nationale"
    create = tables.agreement(query, "fr", "Create a national institution", "en")
    set_up = tables.agreement(query, "fr", "Set up a national institution", "en")
    assert create > set_up
    arabic = "تشكيل مؤسسة وطنية"
    assert tables.agreement(arabic, "ar", "Set up a national institution", "en") > tables.agreement(
        arabic, "ar", "Create a national institution", "en"
    )
    assert create <= 0


def test_languages_without_tables_get_no_agreement():
    tables = WordTranslation.learn(PAIRS, languages=("fr",))
    assert tables.agreement("Créer un comité", "fr", "Create a committee", "en") is not None
    assert tables.agreement("إنشاء لجنة", "ar", "Create a committee", "en") is None
    assert tables.agreement("Créer un comité", "fr", "Créer un comité", "fr") is None


def test_tables_are_saved_byte_for_byte_and_read_back(tmp_path):
    tables = WordTranslation.learn(PAIRS, iterations=5, pair_count=len(PAIRS))
    tables.save(tmp_path / "a")
    tables.save(tmp_path / "b")
    assert (tmp_path / "a" / "tables.json.gz").read_bytes() == (tmp_path / "b" / "tables.json.gz").read_bytes()
    loaded = WordTranslation.load(tmp_path / "a")
    assert loaded.config["pair_count"] == len(PAIRS)
    args = ("Mettre en place un plan national", "fr", "Set up a national plan", "en")
    assert loaded.agreement(*args) == pytest.approx(tables.agreement(*args), abs=1e-4)


def test_tables_cut_to_another_length_are_refused(tmp_path):
    tables = WordTranslation.learn(PAIRS, iterations=2)
    tables.config["stem"] = STEM + 1
    tables.save(tmp_path)
    with pytest.raises(ValueError, match="cut to"):
        WordTranslation.load(tmp_path)


def test_search_puts_the_wording_the_query_translates_first(near_equal_search):
    searcher, query = near_equal_search(["Set up a national institution", "Create a national institution"])
    cues = [QueryCues.of("Créer une institution nationale", "fr")]
    by_vectors = searcher.search_vectors(query, k=2, cues=cues)[0]
    assert [hit.record["id"] for hit in by_vectors] == ["r0", "r1"]  # the other wording is a hair nearer
    searcher.word_translation = WordTranslation.learn(PAIRS, iterations=10)
    by_words = searcher.search_vectors(query, k=2, cues=cues)[0]
    assert [hit.record["id"] for hit in by_words] == ["r1", "r0"]
    assert by_words[0].score == pytest.approx(by_vectors[1].score, abs=1e-6)  # the best-translating keeps its score
    searcher.word_penalty = 0.0
    assert searcher.search_vectors(query, k=1, cues=cues)[0][0].record["id"] == "r0"


def test_with_an_order_the_wording_in_the_translations_order_agrees_best():
    pairs = [
        {"en": "Combat effectively", "fr": "Lutter efficacement"},
        {"en": "Combat racism", "fr": "Lutter contre le racisme"},
        {"en": "Act effectively", "fr": "Agir efficacement"},
    ]
    tables = WordTranslation.learn(pairs, languages=("fr",), iterations=10)
    query = "Lutter efficacement contre la torture"
    same_order, swapped = "Combat effectively torture", "Effectively combat torture"
    # the same words: without an order the two wordings are equal, with one the translation's order wins
    assert tables.agreement(query, "fr", same_order, "en") == pytest.approx(
        tables.agreement(query, "fr", swapped, "en")
    )
    assert tables.agreement(query, "fr", same_order, "en", order=8.0) > tables.agreement(
        query, "fr", swapped, "en", order=8.0
    )


def every_pair_log_probability(table, source, target, order):
    """The definition, every source word against every target word (and none), for the tables' matrices to match."""
    total = 0.0
    for j, word in enumerate(source):
        near = [math.exp(-order * abs((i + 0.5) / len(target) - (j + 0.5) / len(source))) for i in range(len(target))]
        null_weight = sum(near) / len(target)
        row = table.get(word, {})
        p = sum(w * row.get(other, 0.0) for w, other in zip(near, target, strict=True)) + null_weight * row.get(
            NULL, 0.0
        )
        total += math.log(max(p / (sum(near) + null_weight), FLOOR))
    return total / len(source)


@pytest.mark.parametrize("order", [0.0, 1.0, 8.0, 12.0])
def test_the_agreement_read_through_the_tables_matrices_is_the_definitions(order):
    generator = random.Random(order)
    vocabulary = [f"x{a}{b}" for a in "abcdef" for b in "abcde"]

    def random_table():  # sparse rows, some words unknown to it, some rows with no word translated
        rows = generator.sample(vocabulary, 25)
        return {
            w: {o: generator.random() for o in generator.sample([*vocabulary, NULL], generator.randint(0, 8))}
            for w in rows
        }

    tables = WordTranslation({("fr", "en"): random_table(), ("en", "fr"): random_table()})
    for _ in range(100):
        query = generator.choices(vocabulary, k=generator.randint(1, 12))
        agree = tables.agreement_with(" ".join(query), "fr", order)
        for _ in range(3):  # candidates of one query share its gathered entries
            other = generator.choices(vocabulary, k=generator.randint(1, 12))  # repeated words included
            expected = (
                every_pair_log_probability(tables.tables["fr", "en"], query, other, order)
                + every_pair_log_probability(tables.tables["en", "fr"], other, query, order)
            ) / 2
            assert agree(" ".join(other), "en") == pytest.approx(expected, rel=1e-12, abs=1e-12)
