"""The goal head's training paragraphs and the goal pairs that measure it: well-formed, apart."""

import json

import pytest

from evaluation.common import EVAL_DATA
from evaluation.tagging_taxonomies import GOAL_PAIRS, read_goal_pairs
from training.sdg_goals import (
    EXCERPT_PARAGRAPHS,
    GOAL_CODES,
    PARAGRAPHS,
    focus_accuracy,
    goal_matrix,
    read_paragraphs,
)


@pytest.mark.parametrize("path", [PARAGRAPHS, *EXCERPT_PARAGRAPHS], ids=lambda path: path.name)
def test_each_paragraph_file_covers_every_goal_with_positives_and_near_misses(path):
    paragraphs = read_paragraphs(path)
    for goal in range(1, 18):
        kinds = [p["kind"] for p in paragraphs if p["focus_goal"] == goal]
        assert kinds.count("positive") >= 20 and kinds.count("near_miss") >= 10, goal
    assert goal_matrix([p["sdgs"] for p in paragraphs]).sum(axis=0).min() >= 20


def test_the_goal_pairs_are_balanced_and_share_no_text_with_the_training_paragraphs():
    pairs = read_goal_pairs(EVAL_DATA / GOAL_PAIRS)
    for goal in range(1, 18):
        answers = [p["answer"] for p in pairs if p["sdg"] == goal]
        assert answers.count(True) == answers.count(False) >= 6, goal
    training = [p["text"].strip().lower() for path in (PARAGRAPHS, *EXCERPT_PARAGRAPHS) for p in read_paragraphs(path)]
    assert len(set(training)) == len(training)
    assert not [p["text"] for p in pairs if p["text"].strip().lower() in set(training)]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"text": "", "sdgs": [1], "focus_goal": 1, "kind": "positive"}', "line 2: `text`"),
        ('{"text": "x", "sdgs": [18], "focus_goal": 1, "kind": "positive"}', "line 2: `sdgs` must be"),
        ('{"text": "x", "sdgs": [2], "focus_goal": 1, "kind": "positive"}', "line 2: a positive paragraph must list"),
        ('{"text": "x", "sdgs": [1], "focus_goal": 1, "kind": "near_miss"}', "line 2: a near_miss paragraph must not"),
        ('{"text": "x", "sdgs": [1], "focus_goal": 1, "kind": "maybe"}', "line 2: `kind`"),
        ('{"text": "x", "sdgs": [1], "focus_goal": 1, "kind": "positive"', "line 2: not JSON"),
    ],
)
def test_a_bad_paragraph_line_is_named(tmp_path, line, message):
    good = json.dumps({"text": "Water tariffs", "sdgs": [6], "focus_goal": 6, "kind": "positive"})
    path = tmp_path / "paragraphs.jsonl"
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"paragraphs.jsonl, {message}"):
        read_paragraphs(path)


def test_a_bad_goal_pair_is_named(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"text": "x", "asked_goal": 3, "answer": "yes"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="pairs.jsonl, line 1: `answer` must be true or false"):
        read_goal_pairs(path)


def test_focus_accuracy_counts_the_focus_goal_decision_only():
    import numpy as np

    paragraphs = [{"focus_goal": 6, "kind": "positive"}, {"focus_goal": 6, "kind": "near_miss"}]
    probabilities = np.zeros((2, len(GOAL_CODES)))
    probabilities[:, 5] = [0.9, 0.7]  # yes, yes: the near miss is wrong
    probabilities[1, 6] = 1.0  # another goal does not count
    assert focus_accuracy(probabilities, paragraphs) == 0.5
