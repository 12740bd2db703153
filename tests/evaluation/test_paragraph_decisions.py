import json
from types import SimpleNamespace

import numpy as np
import pytest

from evaluation.paragraph_decisions import (
    SCORINGS,
    balanced_accuracy,
    choose_paragraph_decision,
    paragraph_goal_scores,
    read_excerpt_pairs,
)


class KeywordGoalTagger:
    """Goal 1 scores 1.0 for a sentence naming "poverty", 0.6 for a longer text naming it and 0.2 for any
    other text; goal 2 scores 0.5 everywhere."""

    goals = [SimpleNamespace(code="1"), SimpleNamespace(code="2")]

    def goal_scores(self, embeddings, texts, languages):
        assert len(embeddings) == len(texts) == len(languages)

        def goal_1(text):
            return (0.6 if ". " in text else 1.0) if "poverty" in text else 0.2

        return np.array([[goal_1(text), 0.5] for text in texts])


def test_balanced_accuracy_weighs_yes_and_no_answers_alike():
    answers = np.array([True, True, True, False])
    assert balanced_accuracy(np.array([True, True, True, True]), answers) == 0.5
    assert balanced_accuracy(np.array([True, True, False, False]), answers) == pytest.approx((2 / 3 + 1) / 2)


def test_best_sentence_lifts_a_paragraph_that_names_the_goal_once(embedder):
    texts = ["Rainfall was low. Then poverty rose.", "Rainfall was low. Crops failed."]
    whole = paragraph_goal_scores(KeywordGoalTagger(), embedder, texts, SCORINGS[0])
    assert whole[:, 0].tolist() == [0.6, 0.2]
    pooled = paragraph_goal_scores(KeywordGoalTagger(), embedder, texts, SCORINGS[1])
    assert pooled[:, 0].tolist() == pytest.approx([0.8, 0.2])  # (0.6 + 1.0) / 2 and (0.2 + 0.2) / 2
    with pytest.raises(ValueError, match="unknown scoring"):
        paragraph_goal_scores(KeywordGoalTagger(), embedder, texts, "longest sentence")


def test_the_decision_is_chosen_by_balanced_accuracy_with_ties_to_the_whole_text(embedder):
    pairs = [
        {"text": "Extreme poverty fell.", "sdg": 1, "answer": True},
        {"text": "Wages rose.", "sdg": 1, "answer": False},
        {"text": "Wages rose.", "sdg": 2, "answer": True},
    ]
    decision = choose_paragraph_decision(KeywordGoalTagger(), embedder, pairs, (0.3, 0.5, 0.9))
    assert (decision.scoring, decision.cutoff, decision.balanced_accuracy) == (SCORINGS[0], 0.5, 1.0)


def test_excerpt_pairs_ask_the_focus_goal(tmp_path):
    path = tmp_path / "paragraphs.jsonl"
    lines = [
        {"id": "a", "focus_goal": 4, "kind": "positive", "sdgs": [4, 5], "text": "Enrolment rose."},
        {"id": "b", "focus_goal": 4, "kind": "near_miss", "sdgs": [8], "text": "Wages rose."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert read_excerpt_pairs((path,)) == [
        {"text": "Enrolment rose.", "sdg": 4, "answer": True},
        {"text": "Wages rose.", "sdg": 4, "answer": False},
    ]
