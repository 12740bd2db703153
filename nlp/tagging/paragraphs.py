"""Goal scores of report paragraphs: is this paragraph about goal G?

A recommendation is one sentence about one thing; a paragraph of a report or study often speaks of
one goal in one of its sentences among others. Its goal scores are therefore, per goal, the mean of
the whole text's score and the best score of one of its sentences. ``python -m
evaluation.tagging_taxonomies`` chose this scoring and :data:`PARAGRAPH_GOAL_CUTOFF` on paragraphs
written for the project (see :mod:`evaluation.paragraph_decisions`); the tags of recommendations do
not use them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.embedding_text import embed_texts
from nlp.text import detect_language, split_sentences

#: a paragraph is about a goal when the goal's score (:func:`paragraph_goal_scores`) reaches this
PARAGRAPH_GOAL_CUTOFF = 0.9


def paragraph_goal_scores(tagger, embedder, texts: Sequence[str], best_sentence: bool = True) -> np.ndarray:
    """Every goal's score for every text (``n × goals``, in ``tagger.goals`` order): per goal the mean of
    the whole text's score and its best sentence's, or (``best_sentence=False``) the whole text's alone."""
    texts = list(texts)
    languages = [detect_language(text) for text in texts]
    whole = tagger.goal_scores(embed_texts(embedder, texts, languages), texts, languages)
    if not best_sentence or not texts:
        return whole
    sentences, owners = [], []
    for row, text in enumerate(texts):
        for sentence in split_sentences(text) or [text]:
            sentences.append(sentence)
            owners.append(row)
    in_languages = [languages[row] for row in owners]
    per_sentence = tagger.goal_scores(embed_texts(embedder, sentences, in_languages), sentences, in_languages)
    best = np.full_like(whole, -np.inf)
    np.maximum.at(best, np.array(owners), per_sentence)
    return (whole + best) / 2


def paragraph_goals(tagger, embedder, texts: Sequence[str], cutoff: float = PARAGRAPH_GOAL_CUTOFF) -> list[list[str]]:
    """The codes of the goals each text is about: those whose paragraph score reaches ``cutoff``."""
    codes = [goal.code for goal in tagger.goals]
    scores = paragraph_goal_scores(tagger, embedder, texts)
    return [[codes[g] for g in np.flatnonzero(row >= cutoff)] for row in scores]
