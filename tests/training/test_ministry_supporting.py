import numpy as np

from corpora.ministry_examples import ExampleDecision
from training.ministry_supporting import partners_alone, proposed

BODIES = ["justice", "parliament", "solidarity", "didh"]


def decision(lead, supporting):
    return ExampleDecision(row_id=1, text="t", lead=lead, supporting=tuple(supporting), note="")


def test_proposed_keeps_up_to_three_bodies_at_the_cut_off_or_above():
    rows = np.array([[0.9, 0.5, 0.36, 0.4], [0.1, 0.2, 0.3, 0.34]])
    assert proposed(rows, BODIES) == [{"justice", "parliament", "didh"}, set()]


def test_the_lead_s_usual_partners_alone_read_no_text():
    decisions = [decision("justice", ["parliament"])] * 3 + [decision("justice", ["solidarity"])]
    assert partners_alone(decisions, BODIES, ["justice", "didh"], 0.3) == [{"parliament"}, set()]
    assert partners_alone(decisions, BODIES, ["justice"], 0.2) == [{"parliament", "solidarity"}]


def test_each_model_learnt_is_saved_in_a_new_version_with_its_sources(tmp_path):
    from nlp.supporting_model import SupportingModel
    from training.ministry_lead import saved_version

    def model():
        return SupportingModel(BODIES, np.zeros((4, 8)), np.zeros(4), {"embedder": "e"})

    first = saved_version(model(), tmp_path, "ma", {"cross_validation": {"model": 0.7}})
    second = saved_version(model(), tmp_path, "ma", {})
    assert (first.name, second.name) == ("v1", "v2")
    config = SupportingModel.load(first).config
    assert config["country"] == "ma" and config["cross_validation"] == {"model": 0.7}
    assert set(config["sources"]) == {
        "corpora/ministries/ma_examples.jsonl",
        "training/data/ministry_decisions/ma_examples.jsonl",
    }
    assert {"git_commit", "created", "embedder"} <= set(config)
