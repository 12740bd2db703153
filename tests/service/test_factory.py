"""The pipeline built from settings: label texts and mandates are embedded once per store."""

from nlp.embedding import HashingEmbedder
from service.config import Settings
from service.factory import build_pipeline


def test_a_second_build_reads_the_mandates_vectors_from_the_store(tmp_path, monkeypatch):
    settings = Settings(home=tmp_path / "home", embedding_model="hashing:64", tag_on_import=False)
    embedded: list[str] = []
    original = HashingEmbedder.embed

    def counting(self, texts):
        embedded.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(HashingEmbedder, "embed", counting)
    build_pipeline(settings).close()
    first = len(embedded)
    assert first > 0  # the directory's mandates, in three languages
    embedded.clear()
    pipeline = build_pipeline(settings)
    assert embedded == []
    assert pipeline.mapper is not None
    pipeline.close()


def test_the_shipped_language_alignment_serves_its_own_encoder_only():
    from nlp.embedding import HashingEmbedder
    from service.factory import build_language_alignment

    class Named:
        name, dim = "use-multilingual-v3", 512

    alignment = build_language_alignment(Settings(), Named())
    assert alignment is not None and set(alignment.maps) == {"fr", "ar"} and alignment.dim == 512
    assert build_language_alignment(Settings(align_languages=False), Named()) is None
    assert build_language_alignment(Settings(), HashingEmbedder(dim=512)) is None  # learnt for another model


def test_the_mapper_reads_through_the_alignment_it_is_given_instead_of_loading_it_again(data_dir):
    from service.factory import build_language_alignment, build_mapper

    class Named(HashingEmbedder):  # the shipped encoder's name, so the shipped lead classifier and alignment apply
        def __init__(self) -> None:
            super().__init__(dim=512)
            self.name = "use-multilingual-v3"

    settings = Settings(data_dir=data_dir)
    loaded = build_language_alignment(settings, Named())
    assert build_mapper(settings, Named(), loaded).alignment is loaded
    own = build_mapper(settings, Named()).alignment
    assert own is not None and own is not loaded and set(own.maps) == set(loaded.maps)
    assert (
        build_mapper(Settings(data_dir=data_dir), HashingEmbedder(dim=512), loaded).alignment is None
    )  # no classifier


def test_the_shipped_goal_head_serves_its_own_encoder_only():
    from nlp.embedding import HashingEmbedder
    from service.factory import build_goal_head

    class Named:
        name, dim = "use-multilingual-v3", 512

    head = build_goal_head(Settings(), Named())
    assert head is not None and head.dim == 512 and head.goal_codes == [str(g) for g in range(1, 18)]
    assert build_goal_head(Settings(sdg_goal_head=False), Named()) is None
    assert build_goal_head(Settings(), HashingEmbedder(dim=512)) is None  # learnt for another model


def test_the_shipped_lead_model_serves_its_own_encoder_and_directory_only():
    from corpora.ministries import load_directory
    from service.factory import build_lead_model

    class Named:
        name, dim = "use-multilingual-v3", 512

    model = build_lead_model(load_directory("ma"), Named())
    assert model is not None and model.dim == 512 and set(model.body_ids) <= set(load_directory("ma").ids())
    assert model.config["decisions"] >= 10_000 and model.config["cross_validation"]["lead_accuracy"] > 0.6
    # the words' model beside it, blended by the share its cross-validation chose
    assert model.lexical is not None and 0 < model.lexical_weight < 1
    assert set(model.lexical.body_ids) <= set(model.body_ids)
    assert build_lead_model(load_directory("ma"), HashingEmbedder(dim=512)) is None  # learnt for another model
    assert build_lead_model(load_directory("tn"), Named()) is None  # none learnt for Tunisia


def test_a_model_for_another_encoder_is_skipped_and_one_of_another_size_refused(tmp_path):
    import numpy as np
    import pytest

    from nlp.tagging.goal_head import GoalHead
    from service.factory import latest_for_embedder

    class Named:
        name, dim = "use-multilingual-v3", 512

    assert latest_for_embedder(tmp_path, GoalHead.load, "SDG goal head", Named()) is None  # nothing trained
    GoalHead(np.zeros((8, 2)), np.zeros(2), ["1", "2"], "other-model").save(tmp_path / "v1")
    assert latest_for_embedder(tmp_path, GoalHead.load, "SDG goal head", Named()) is None
    GoalHead(np.zeros((8, 2)), np.zeros(2), ["1", "2"], "use-multilingual-v3").save(tmp_path / "v2")
    with pytest.raises(ValueError, match=r"SDG goal head .*v2: learnt on 8-dim vectors, the encoder gives 512"):
        latest_for_embedder(tmp_path, GoalHead.load, "SDG goal head", Named())


def test_french_and_arabic_are_read_by_their_own_shipped_head_only_with_the_alignment():
    from corpora.taxonomies import load_all
    from service.factory import build_issue_tagger

    class Named:
        name, dim = "use-multilingual-v3", 512

    issues = list(load_all()["upr_issues"])
    shipped = build_issue_tagger(Settings(), Named(), issues)
    assert shipped.alignment is not None and shipped.translated_head is not None
    alone = build_issue_tagger(Settings(align_languages=False), Named(), issues)
    assert alone.alignment is None and alone.translated_head is None
