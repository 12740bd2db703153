import pytest

from nlp.embedding import HashingEmbedder
from nlp.embedding_text import embed_texts
from nlp.tagging.tagger import TAG_FIELDS
from service.config import Settings
from service.factory import build_tagger

TEXTS = [
    ("Abolish the death penalty", "en"),
    ("Criminaliser le mariage des enfants", "fr"),
    ("حماية الصحفيين والمدافعين عن حقوق الإنسان", "ar"),
]


@pytest.fixture(scope="module")
def tagger_and_embedder(data_dir):
    embedder = HashingEmbedder(dim=512)  # the head expects 512 dimensions; meaning does not matter here
    return build_tagger(Settings(data_dir=data_dir), embedder), embedder


def run(tagger_and_embedder):
    tagger, embedder = tagger_and_embedder
    vectors = embed_texts(embedder, [text for text, _ in TEXTS], [lang for _, lang in TEXTS])
    return tagger.tag(vectors, [lang for _, lang in TEXTS])


def test_every_field_is_present_with_scored_reasoned_tags(tagger_and_embedder):
    for tags in run(tagger_and_embedder):
        assert set(tags) == set(TAG_FIELDS)
        assert tags["affected_persons"], "at least 'general' when no group is concerned"
        for field in TAG_FIELDS:
            for tag in tags[field]:
                assert 0.0 <= tag.score <= 1.0 and tag.reason and tag.label


def test_labels_come_in_the_text_language_and_output_is_deterministic(tagger_and_embedder):
    first, second = run(tagger_and_embedder), run(tagger_and_embedder)
    assert first == second
    from corpora.taxonomies import load_taxonomy

    persons = load_taxonomy("affected_persons")
    french_person = first[1]["affected_persons"][0]
    assert french_person.label == persons[french_person.code].names["fr"]


@pytest.mark.model
def test_real_model_tags_child_marriage_in_french(data_dir):
    from nlp.embedding import SentenceTransformerEmbedder
    from service.config import DEFAULT_MODEL

    embedder = SentenceTransformerEmbedder(DEFAULT_MODEL)
    tagger = build_tagger(Settings(data_dir=data_dir), embedder)
    text = "Criminaliser le mariage des enfants et relever l'âge minimum du mariage à 18 ans"
    tags = tagger.tag(embed_texts(embedder, [text], "fr"), ["fr"])[0]
    assert "5.3" in {tag.code for tag in tags["sdg_targets"]}
    assert "rights-of-the-child" in {tag.code for tag in tags["upr_issues"]}
    assert "children" in {tag.code for tag in tags["affected_persons"]}


def test_import_stores_automatic_tags_in_the_same_transaction(tagger_and_embedder, tmp_path):
    from corpora.recommendation_files import read_recommendations
    from nlp.pipeline import Pipeline
    from tests.conftest import SAMPLES, write_csv

    tagger, embedder = tagger_and_embedder
    pipeline = Pipeline.open(tmp_path / "store", embedder)
    pipeline.tagger = tagger
    path = write_csv(tmp_path / "recs.csv", SAMPLES)
    pipeline.import_rows(read_recommendations(path), str(path), "csv")
    pk = pipeline.store.pk_of("s5")
    stored = pipeline.store.get_tags([pk])[pk]
    assert stored["affected_persons"] and all(tag["source"] == "auto" for tag in stored["affected_persons"])
    assert set(stored) <= set(TAG_FIELDS)
    again = pipeline.import_rows(read_recommendations(path), str(path), "csv")
    assert again.inserted == 0 and pipeline.store.get_tags([pk])[pk] == stored
    pipeline.close()


@pytest.mark.parametrize(
    "text, language",
    [
        ("Criminalize child marriage and amend the Penal Code accordingly", "en"),
        ("Ériger en infraction le mariage d'enfants et modifier le code pénal en conséquence", "fr"),
        ("تجريم زواج الأطفال وتعديل قانون العقوبات تبعا لذلك", "ar"),
    ],
)
def test_phrase_rules_tag_the_same_commitment_in_each_language(tagger_and_embedder, text, language):
    tagger, embedder = tagger_and_embedder
    vectors = embed_texts(embedder, [text], language)
    tags = tagger.tag(vectors, [language], [text])[0]
    themes = {tag.code: tag.reason for tag in tags["themes"]}
    assert themes["rights-marriage-family"].startswith("names ")
    assert "constitutional-legislative-framework" in themes
    assert "5.3" in {tag.code for tag in tags["sdg_targets"]}
    without_texts = tagger.tag(vectors, [language])[0]
    assert "5.3" not in {tag.code for tag in without_texts["sdg_targets"]}, "the rule, not the hashing vector"
