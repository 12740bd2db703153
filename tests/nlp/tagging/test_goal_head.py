import numpy as np
import pytest

from nlp.embedding import HashingEmbedder
from nlp.tagging.goal_head import GoalHead
from service.config import Settings
from service.factory import build_tagger
from tests.nlp.tagging.test_reachable import NoIssues


def toy_data():
    rng = np.random.default_rng(0)
    centres = np.eye(6, dtype=np.float32)
    X = np.vstack([centres[k] + 0.05 * rng.normal(size=(10, 6)) for k in range(3)]).astype(np.float32)
    Y = np.zeros((30, 2), dtype=int)
    Y[:10, 0] = 1  # about goal "1"
    Y[10:20, 1] = 1  # about goal "2"; the last ten about neither
    return X, Y


def test_each_goal_is_learnt_and_a_folder_round_trips(tmp_path):
    X, Y = toy_data()
    head = GoalHead.learn(X, Y, ["1", "2"], "toy", regularisation=10.0, sources={"x": 1})
    np.testing.assert_array_equal(head.probabilities(X) >= 0.5, Y.astype(bool))
    head.save(tmp_path / "v1")
    loaded = GoalHead.load(tmp_path / "v1")
    assert loaded.goal_codes == ["1", "2"] and loaded.embedder_name == "toy" and loaded.dim == 6
    assert loaded.config["regularisation"] == 10.0 and loaded.config["texts"] == 30
    np.testing.assert_array_equal(loaded.probabilities(X), head.probabilities(X))


def test_a_goal_without_negatives_or_labels_that_do_not_fit_are_refused():
    X, Y = toy_data()
    Y[:, 1] = 1
    with pytest.raises(ValueError, match=r"goals \['2'\] need both texts about them and texts not about them"):
        GoalHead.learn(X, Y, ["1", "2"], "toy")
    with pytest.raises(ValueError, match="labels"):
        GoalHead.learn(X, Y[:, :1], ["1", "2"], "toy")


def test_a_broken_folder_is_refused_with_its_name(tmp_path):
    X, Y = toy_data()
    GoalHead.learn(X, Y, ["1", "2"], "toy").save(tmp_path / "v3")
    np.savez(tmp_path / "v3" / "head.npz", weights=np.zeros((6, 3)), bias=np.zeros(3))
    with pytest.raises(ValueError, match=r"goal head .*v3: weights \(6, 3\) and bias \(3,\) do not fit 2 goals"):
        GoalHead.load(tmp_path / "v3")
    (tmp_path / "v3" / "config.json").unlink()
    with pytest.raises(ValueError, match="goal head .*v3"):
        GoalHead.load(tmp_path / "v3")


@pytest.fixture
def tagger(data_dir):
    return build_tagger(Settings(data_dir=data_dir), HashingEmbedder(dim=512))


def sure_of(goal: str, codes: list[str], dim: int = 512) -> GoalHead:
    """A head that says every text is about ``goal`` and about no other."""
    bias = np.where(np.array(codes) == goal, 20.0, -20.0)
    return GoalHead(np.zeros((dim, len(codes))), bias, codes, "hashing")


def test_the_goal_head_is_one_more_piece_of_goal_evidence_and_names_itself(tagger, monkeypatch):
    monkeypatch.setattr(tagger, "issues", NoIssues(tagger.issues))
    codes = [goal.code for goal in tagger.goals]
    vectors = HashingEmbedder(dim=512).embed(["zzzz qqqq", "wwww vvvv"])
    before = tagger.goal_scores(vectors)
    monkeypatch.setattr(tagger, "goal_head", sure_of("7", codes))
    after = tagger.goal_scores(vectors)
    seven = codes.index("7")
    assert after[:, seven] == pytest.approx(1.0) and (before[:, seven] < 1.0).all()
    others = [g for g in range(len(codes)) if g != seven]
    np.testing.assert_allclose(after[:, others], before[:, others], atol=1e-6)
    own = tagger._goals(np.zeros((2, len(tagger.targets.labels))), vectors, ["en", "fr"], rows=[0, 1])
    assert [tag.code for tag in own[0]][0] == "7"
    assert own[1][0].reason == "goal classifier: probability 1.00"
    assert own[1][0].label == tagger.goals[seven].name("fr")


def test_a_head_for_other_goals_is_refused(tagger):
    from nlp.tagging.tagger import RecommendationTagger

    with pytest.raises(ValueError, match="the goal head's goals"):
        RecommendationTagger(
            tagger.issues,
            tagger.themes,
            tagger.persons,
            tagger.targets,
            tagger.goals,
            tagger.goal_similarity,
            goal_head=sure_of("1", ["1", "2"]),
        )
