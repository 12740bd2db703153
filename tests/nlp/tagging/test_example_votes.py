import numpy as np

from nlp.embedding import HashingEmbedder
from nlp.tagging.crosswalk import Calibration, CrosswalkTagger
from nlp.tagging.example_votes import ExampleNeighbours, ExampleVotes


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


EXAMPLES = np.stack([unit(1, 0, 0), unit(0.9, 0.1, 0), unit(0, 1, 0)])
LABELS = [["a"], ["a", "b"], ["c"]]


def test_near_examples_vote_for_the_labels_they_share_and_name_the_nearest():
    neighbours = ExampleNeighbours(EXAMPLES, row_ids=[10, 11, 12], k=2, low=0.5, high=0.8)
    votes = ExampleVotes(neighbours, LABELS, ["a", "b", "c"])
    scores, order, cosine = votes.scores(unit(1, 0.05, 0)[None, :])
    a, b, c = scores[0]
    assert a > b > 0 and c == 0  # both neighbours carry a, one carries b, none c
    assert neighbours.row_ids[order[0, 0]] == 10 and cosine[0, 0] > 0.99
    assert "row 10" in votes.reason(order[0], cosine[0], 0)  # a: the nearest example carries it
    assert "row 11" in votes.reason(order[0], cosine[0], 1)  # b: only the second one does


def test_far_examples_say_nothing():
    votes = ExampleVotes(ExampleNeighbours(EXAMPLES, row_ids=[10, 11, 12]), LABELS, ["a", "b", "c"])
    scores, _, _ = votes.scores(unit(0, 0, 1)[None, :])
    assert not scores.any()


def test_no_examples_give_zero_votes():
    votes = ExampleVotes(ExampleNeighbours(np.zeros((0, 3), dtype=np.float32), row_ids=[]), [], ["a"])
    scores, _, _ = votes.scores(unit(1, 0, 0)[None, :])
    assert scores.shape == (1, 1) and not scores.any()


class Label:
    def __init__(self, code):
        self.code = code

    def name(self, language):
        return self.code


def test_a_crosswalk_tagger_tags_from_examples_only_when_they_weigh():
    embedder = HashingEmbedder(dim=64)
    texts = ["abolish the death penalty now", "protect journalists from attacks"]
    neighbours = ExampleNeighbours(embedder.embed(texts), row_ids=[1, 2])
    votes = ExampleVotes(neighbours, [["death"], ["press"]], ["death", "press"])
    labels = [Label("death"), Label("press")]

    def tagger(weight):
        calibration = Calibration(min_score=0.5, example_weight=weight)
        return CrosswalkTagger(labels, [], [], None, calibration, examples=votes)

    query = embedder.embed(["abolish the death penalty now"])
    (tags,) = tagger(0.9).tags(np.zeros((1, 0), dtype=np.float32), query, ["en"])
    assert [tag.code for tag in tags] == ["death"] and "row 1" in tags[0].reason
    assert tagger(0.0).tags(np.zeros((1, 0), dtype=np.float32), query, ["en"]) == [[]]


def test_neighbours_are_computed_once_per_batch_and_match_a_full_sort():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    neighbours = ExampleNeighbours(vectors, row_ids=list(range(50)), k=5)
    queries = vectors[:3] + 0.01
    order, near = neighbours.nearest(queries)
    expected = np.argsort(-(queries @ vectors.T), axis=1)[:, :5]
    assert (order == expected).all() and (np.diff(near, axis=1) <= 0).all()
    assert neighbours.nearest(queries.copy())[0] is order  # the same batch again: kept, not recomputed
