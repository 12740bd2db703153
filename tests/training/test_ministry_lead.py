import numpy as np
import pytest

from corpora.ministry_examples import ExampleDecision
from nlp.lead_model import KernelLeadModel
from training import ministry_lead


def test_a_fold_classifier_is_learnt_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(60, 16)).astype(np.float32)
    decisions = [ExampleDecision(row, "text", lead, (), "") for row, lead in enumerate(["a", "b", "c"] * 20)]
    first = ministry_lead.cached_fit(vectors, decisions, "tiny", 4.0)

    def refit(*args, **kwargs):
        raise AssertionError("learnt again")

    monkeypatch.setattr(KernelLeadModel, "fit", refit)
    again = ministry_lead.cached_fit(vectors, decisions, "tiny", 4.0)
    np.testing.assert_array_equal(again.probabilities(vectors), first.probabilities(vectors))
    relabelled = [ExampleDecision(d.row_id, d.text, "b", (), "") for d in decisions[:1]] + decisions[1:]
    with pytest.raises(AssertionError, match="learnt again"):  # another lead: another classifier
        ministry_lead.cached_fit(vectors, relabelled, "tiny", 4.0)
    with pytest.raises(AssertionError, match="learnt again"):  # another regularisation likewise
        ministry_lead.cached_fit(vectors, decisions, "tiny", 8.0)


def test_the_folds_split_the_examples_by_row_whatever_their_order():
    examples = [ExampleDecision(row, "text", "justice", (), "") for row in range(200)]
    folds = ministry_lead.example_folds(examples)
    assert set(folds) == set(range(ministry_lead.FOLDS))
    assert list(ministry_lead.example_folds(examples[::-1])) == list(folds[::-1])


def test_cross_validation_scores_each_example_by_a_model_learnt_without_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(3, 16)) * 3
    bodies = ["a", "b", "c"] * 40
    vectors = np.array([centres["abc".index(b)] + rng.normal(size=16) for b in bodies], dtype=np.float32)
    examples = [ExampleDecision(row, "text", body, (), "") for row, body in enumerate(bodies)]
    further = [ExampleDecision(1000 + row, "text", body, (), "") for row, body in enumerate(bodies)]
    scores = ministry_lead.cross_validated(examples, vectors, further, vectors + 0.1, "tiny", 4.0)
    assert scores["lead_accuracy@1"] > 0.9 and scores["lead_accuracy@3"] == 1.0
    shuffled = [
        ExampleDecision(e.row_id, e.text, body, (), "")
        for e, body in zip(examples, rng.permutation(bodies), strict=True)
    ]
    assert ministry_lead.cross_validated(shuffled, vectors, [], vectors[:0], "tiny", 4.0)["lead_accuracy@1"] < 0.6


def test_classifiers_learnt_in_parallel_are_those_learnt_one_after_the_other(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path / "parallel")
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(90, 16)).astype(np.float32)
    decisions = [ExampleDecision(row, "text", lead, (), "") for row, lead in enumerate(["a", "b", "c"] * 30)]
    fits = [(vectors[: 60 + 10 * k], decisions[: 60 + 10 * k], "tiny", 4.0) for k in range(3)]
    in_parallel = ministry_lead.fitted_in_parallel(fits, jobs=2)
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path / "sequential")
    for model, arguments in zip(in_parallel, fits, strict=True):
        alone = ministry_lead.cached_fit(*arguments)
        assert model.config["decisions"] == len(arguments[1])
        np.testing.assert_allclose(model.probabilities(vectors), alone.probabilities(vectors), atol=1e-6)
    assert len(list((tmp_path / "parallel").iterdir())) == 3  # each kept for the evaluation to read back
