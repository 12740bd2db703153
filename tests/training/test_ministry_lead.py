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
