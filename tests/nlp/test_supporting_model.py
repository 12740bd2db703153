import numpy as np
import pytest

from nlp.embedding import HashingEmbedder
from nlp.supporting_model import SupportingModel

BODIES = ["justice", "parliament", "solidarity", "foreign_affairs"]


def decisions():
    embedder = HashingEmbedder(dim=32)
    # a law brings Parliament, women's rights bring Solidarity, whatever the lead
    texts = [
        "adopt a law on the press",
        "amend the law on associations",
        "protect women from violence",
        "support women victims of violence",
    ] * 6
    leads = ["justice", "justice", "justice", "foreign_affairs"] * 6
    supporting = [["parliament"], ["parliament"], ["solidarity"], ["solidarity"]] * 6
    return embedder, embedder.embed(texts), leads, supporting


def test_the_text_says_which_body_supports_a_lead():
    embedder, vectors, leads, supporting = decisions()
    model = SupportingModel.fit(vectors, leads, supporting, BODIES, c=10.0, config={"embedder": embedder.name})
    queries = embedder.embed(["adopt a law on the media", "protect women from domestic violence"])
    p = model.probabilities(queries, ["justice", "justice"])
    position = {body: b for b, body in enumerate(BODIES)}
    assert p[0, position["parliament"]] > 0.5 > p[0, position["solidarity"]]
    assert p[1, position["solidarity"]] > 0.5 > p[1, position["parliament"]]
    assert p[0, position["justice"]] == 0.0  # the lead never supports itself
    assert model.dim == 32 and model.embedder_name == embedder.name


def test_a_body_that_seldom_supported_gets_no_probability():
    _, vectors, leads, supporting = decisions()
    model = SupportingModel.fit(vectors, leads, supporting, BODIES)
    assert model.probabilities(vectors[:2], ["justice", "justice"])[:, BODIES.index("foreign_affairs")].max() < 1e-9


def test_saved_and_loaded_it_gives_the_same_probabilities_in_a_directory_order(tmp_path):
    _, vectors, leads, supporting = decisions()
    model = SupportingModel.fit(vectors, leads, supporting, BODIES)
    model.save(tmp_path / "v1")
    loaded = SupportingModel.load(tmp_path / "v1")
    assert loaded.probabilities(vectors[:4], leads[:4]) == pytest.approx(model.probabilities(vectors[:4], leads[:4]))
    ids = ["solidarity", "new_body", "parliament", "justice"]
    ordered = loaded.for_bodies(ids, vectors[:2], ["justice", "new_body"])
    assert ordered[0, 0] == pytest.approx(model.probabilities(vectors[:1], ["justice"])[0, 2])
    assert ordered[:, 1].tolist() == [0.0, 0.0] and ordered[1].tolist() == [0.0] * 4  # unknown body or lead


def test_unknown_leads_and_broken_folders_are_named(tmp_path):
    _, vectors, leads, supporting = decisions()
    model = SupportingModel.fit(vectors, leads, supporting, BODIES)
    with pytest.raises(ValueError, match="does not know: \\['nobody'\\]"):
        model.probabilities(vectors[:1], ["nobody"])
    with pytest.raises(ValueError, match="coefficients must be 4 x"):
        SupportingModel(BODIES, np.zeros((4, 4)), np.zeros(4))
    with pytest.raises(ValueError, match="supporting model .*missing"):
        SupportingModel.load(tmp_path / "missing")
