import numpy as np

from nlp.embedding import HashingEmbedder
from nlp.tagging.crosswalk import Calibration, CrosswalkTagger
from nlp.tagging.example_votes import ExampleVotes


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


EXAMPLES = np.stack([unit(1, 0, 0), unit(0.9, 0.1, 0), unit(0, 1, 0)])
LABELS = [["a"], ["a", "b"], ["c"]]


def test_near_examples_vote_for_the_labels_they_share_and_name_the_nearest():
    votes = ExampleVotes(EXAMPLES, LABELS, ["a", "b", "c"], row_ids=[10, 11, 12], k=2, low=0.5, high=0.8)
    scores, nearest, cosine = votes.scores(unit(1, 0.05, 0)[None, :])
    a, b, c = scores[0]
    assert a > b > 0 and c == 0  # both neighbours carry a, one carries b, none c
    assert votes.row_ids[nearest[0, 0]] == 10 and cosine[0, 0] > 0.99
    assert "row 10" in votes.reason(int(nearest[0, 0]), float(cosine[0, 0]))


def test_far_examples_say_nothing():
    votes = ExampleVotes(EXAMPLES, LABELS, ["a", "b", "c"], row_ids=[10, 11, 12], low=0.5, high=0.8)
    scores, _, _ = votes.scores(unit(0, 0, 1)[None, :])
    assert not scores.any()


def test_no_examples_give_zero_votes():
    votes = ExampleVotes(np.zeros((0, 3), dtype=np.float32), [], ["a"], row_ids=[])
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
    votes = ExampleVotes(embedder.embed(texts), [["death"], ["press"]], ["death", "press"], row_ids=[1, 2])
    labels = [Label("death"), Label("press")]

    def tagger(weight):
        calibration = Calibration(min_score=0.5, example_weight=weight)
        return CrosswalkTagger(labels, [], [], None, calibration, examples=votes)

    query = embedder.embed(["abolish the death penalty now"])
    (tags,) = tagger(0.9).tags(np.zeros((1, 0), dtype=np.float32), query, ["en"])
    assert [tag.code for tag in tags] == ["death"] and "row 1" in tags[0].reason
    assert tagger(0.0).tags(np.zeros((1, 0), dtype=np.float32), query, ["en"]) == [[]]
