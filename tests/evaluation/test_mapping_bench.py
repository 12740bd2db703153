import numpy as np

from evaluation.mapping_bench import LeadProbabilitiesOnce


class CountingModel:
    body_ids = ["a", "b"]

    def __init__(self) -> None:
        self.calls = 0

    def check_bodies(self, ids) -> None:
        pass

    def for_bodies(self, ids, embeddings, texts):
        self.calls += 1
        return np.tile(np.arange(len(ids), dtype=np.float32), (len(texts), 1)) + embeddings[:, :1]


def test_a_batch_is_computed_once_and_each_caller_gets_its_own_copy():
    model = CountingModel()
    once = LeadProbabilitiesOnce(model)
    vectors = np.array([[0.5, 0.0], [0.25, 1.0]], dtype=np.float32)
    first = once.for_bodies(["a", "b"], vectors, ["x", "y"])
    first[0, 0] = 99.0
    again = once.for_bodies(["a", "b"], vectors.copy(), ["x", "y"])
    assert model.calls == 1
    np.testing.assert_array_equal(again, model.for_bodies(["a", "b"], vectors, ["x", "y"]))
    assert once.body_ids == ["a", "b"]  # the rest is the model's


def test_another_batch_texts_or_vectors_are_computed_again():
    model = CountingModel()
    once = LeadProbabilitiesOnce(model)
    vectors = np.array([[0.5, 0.0]], dtype=np.float32)
    once.for_bodies(["a", "b"], vectors, ["x"])
    once.for_bodies(["a", "b"], vectors, ["z"])
    changed = once.for_bodies(["a", "b"], vectors + 1.0, ["x"])
    assert model.calls == 3
    assert changed[0, 0] == 1.5
