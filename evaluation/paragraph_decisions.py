"""The goal-level yes/no decision for report paragraphs, chosen on paragraphs of that kind.

The SDG benchmark asks "is this paragraph about goal G?" of paragraphs from reports and studies, a
kind of text the annotated recommendations (on which :mod:`evaluation.tagging_taxonomies` first
chooses the decision's cut-off) do not contain. Our excerpt-style paragraphs
(:data:`training.sdg_goals.EXCERPT_PARAGRAPHS`, 1,360 paragraphs written as excerpts of such
documents, none learnt by the shipped goal head) give one question each: their focus goal, answered
yes for a ``positive`` paragraph and no for a ``near_miss``. On them the decision is chosen:

- how a paragraph is scored: the goal scores of the whole text, or per goal the mean of that and the
  best score of one of its sentences (a paragraph about health may name education in one sentence);
- the cut-off, among ``GOAL_DECISION_CUTOFFS``;

by balanced accuracy (the mean of the yes and the no answers' accuracies: the set's share of yes
answers, 60%, is set by how it was written, not by any real rate), ties going to the whole text and
then to the higher cut-off. The library ships the choice (:mod:`nlp.tagging.paragraphs`), and the
evaluation says whether it still chooses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.tagging.paragraphs import paragraph_goal_scores as scores_of_paragraphs
from training.sdg_goals import read_paragraphs

SCORINGS = ("whole text", "mean of whole text and best sentence")


@dataclass(frozen=True)
class ParagraphDecision:
    scoring: str
    cutoff: float
    balanced_accuracy: float


def read_excerpt_pairs(paths: tuple[Path, ...]) -> list[dict]:
    """``{"text", "sdg", "answer"}`` per paragraph of ``paths``: its focus goal, yes for a positive one."""
    return [
        {"text": item["text"], "sdg": item["focus_goal"], "answer": item["kind"] == "positive"}
        for path in paths
        for item in read_paragraphs(path)
    ]


def paragraph_goal_scores(tagger, embedder, texts: list[str], scoring: str) -> np.ndarray:
    """Every goal's score for every text (``n × goals``), scored as ``scoring`` (one of :data:`SCORINGS`)."""
    if scoring not in SCORINGS:
        raise ValueError(f"unknown scoring {scoring!r}; expected one of {SCORINGS}")
    return scores_of_paragraphs(tagger, embedder, texts, best_sentence=scoring == SCORINGS[1])


def decisions_at(tagger, scores: np.ndarray, pairs: list[dict], cutoff: float) -> np.ndarray:
    """Yes/no per pair: the asked goal's score reaches ``cutoff``."""
    codes = [goal.code for goal in tagger.goals]
    return np.array([scores[i, codes.index(str(pair["sdg"]))] >= cutoff for i, pair in enumerate(pairs)])


def balanced_accuracy(decided: np.ndarray, answers: np.ndarray) -> float:
    """The mean of the accuracy on the yes answers and on the no answers."""
    return float((decided[answers].mean() + (~decided[~answers]).mean()) / 2)


def choose_paragraph_decision(tagger, embedder, pairs: list[dict], cutoffs) -> ParagraphDecision:
    """The scoring and cut-off with the best balanced accuracy on ``pairs`` (see the module's docstring)."""
    answers = np.array([pair["answer"] for pair in pairs])
    texts = [pair["text"] for pair in pairs]
    ranked = []
    for order, scoring in enumerate(SCORINGS):
        scores = paragraph_goal_scores(tagger, embedder, texts, scoring)
        for cutoff in cutoffs:
            accuracy = balanced_accuracy(decisions_at(tagger, scores, pairs, cutoff), answers)
            ranked.append(((accuracy, -order, cutoff), ParagraphDecision(scoring, cutoff, accuracy)))
    return max(ranked, key=lambda pair: pair[0])[1]
