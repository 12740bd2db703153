"""Every label of every taxonomy can be emitted by the shipped tagger, in each language.

- Themes, affected persons and SDG targets: the embedding of the label's own text (as the
  tagger's label-similarity tables hold it, in Arabic, French and English) must produce the label,
  with the shipped cut-offs and tag limits, and no help from the issue head (its probabilities are
  zero). A label that other labels always crowd out of the tag list, or that no input can lift over
  its cut-off, fails here. SDG goals come from the target tags: each target's own text must give
  its goal.
- UPR Info issues: for each label, an embedding crafted by gradient ascent on the shipped head's
  output for that label must reach the label's tuned threshold.

The tiny hashing embedder stands in for the model (512 dimensions, the head's input size); the
test reads only the shipped taxonomies, crosswalks, head and official SDG texts.
"""

from __future__ import annotations

import numpy as np
import pytest

from nlp.embedding import HashingEmbedder
from nlp.tagging.label_similarity import LANGUAGES
from nlp.tagging.tags import Tag
from service.config import Settings
from service.factory import build_tagger


class NoIssues:
    """An issue tagger that sees no issue at all (so only label texts and rules can produce tags)."""

    def __init__(self, issues) -> None:
        self.labels, self.head = issues.labels, issues.head

    def probabilities(self, embeddings: np.ndarray, languages=None) -> np.ndarray:
        return np.zeros((len(embeddings), len(self.labels)), dtype=np.float32)

    def tags(self, probabilities, languages):
        return [[] for _ in languages]


@pytest.fixture(scope="module")
def tagger(data_dir):
    return build_tagger(Settings(data_dir=data_dir), HashingEmbedder(dim=512))


def own_text_inputs(vectors: np.ndarray, labels: list) -> tuple[np.ndarray, list[str], list[tuple[str, str]]]:
    """One input per (language, label): the label's own text vector, its language, and (code, language)."""
    n_languages, n_labels, dim = vectors.shape
    inputs = vectors.reshape(-1, dim)
    languages = [language for language in LANGUAGES for _ in range(n_labels)]
    keys = [(label.code, language) for language in LANGUAGES for label in labels]
    return inputs, languages, keys


@pytest.mark.parametrize(
    "field, component",
    [("themes", "themes"), ("affected_persons", "persons"), ("sdg_targets", "targets")],
)
def test_every_crosswalk_label_is_reachable_from_its_own_text(tagger, monkeypatch, field, component):
    monkeypatch.setattr(tagger, "issues", NoIssues(tagger.issues))
    part = getattr(tagger, component)
    inputs, languages, keys = own_text_inputs(part.similarity.vectors_, part.labels)
    texts = [part.labels[i % len(part.labels)].text(language) for i, language in enumerate(languages)]
    tags = tagger.tag(inputs, languages, texts)
    missed = [key for key, row in zip(keys, tags, strict=True) if key[0] not in {t.code for t in row[field]}]
    assert not missed, f"{field}: never emitted for their own text: {missed}"


def test_every_sdg_goal_is_reachable_from_the_text_of_each_of_its_targets(tagger, monkeypatch):
    """Goals come from the target tags (as OHCHR derives them): each target's own text, in each
    language, must give its goal."""
    monkeypatch.setattr(tagger, "issues", NoIssues(tagger.issues))
    part = tagger.targets
    inputs, languages, keys = own_text_inputs(part.similarity.vectors_, part.labels)
    tags = tagger.tag(inputs, languages)
    goal_of = {label.code: label.group for label in part.labels}
    missed = [
        key for key, row in zip(keys, tags, strict=True) if goal_of[key[0]] not in {t.code for t in row["sdg_goals"]}
    ]
    assert {goal.code for goal in tagger.goals} == set(goal_of.values())
    assert not missed, f"targets whose own text does not give their goal: {missed}"


def test_goals_are_those_of_the_target_tags_or_else_the_text_s_own(tagger):
    own = [Tag("8", "Decent work", 0.9, "similar to the text of goal 8 (cosine 0.61)")]
    assert tagger._goals_of([], own, "en") == own
    targets = [Tag("16.3", "", 0.97, "crosswalk"), Tag("5.3", "", 0.9, "rule"), Tag("16.a", "", 0.8, "crosswalk")]
    goals = tagger._goals_of(targets, own, "fr")
    assert [(g.code, g.score, g.reason) for g in goals] == [
        ("16", 0.97, "target 16.3 (0.97)"),
        ("5", 0.9, "target 5.3 (0.90)"),
    ]
    assert goals[0].label == next(goal for goal in tagger.goals if goal.code == "16").name("fr")


def crafted_input(layers: list[list[np.ndarray]], label: int, steps: int = 60) -> np.ndarray:
    """A unit vector that raises the head's averaged logit for ``label`` (projected gradient ascent)."""
    x = np.mean([W0 @ np.maximum(W1[:, label], 0.0) for W0, _, W1, _ in layers], axis=0)
    x /= np.linalg.norm(x)
    for _ in range(steps):
        gradient = np.zeros_like(x)
        for W0, b0, W1, _ in layers:
            active = (x @ W0 + b0) > 0
            gradient += W0 @ (active * W1[:, label])
        x = x + 0.5 * gradient / np.linalg.norm(gradient)
        x /= np.linalg.norm(x)
    return x.astype(np.float32)


def test_every_upr_issue_is_reachable_with_a_crafted_embedding(tagger):
    head = tagger.issues.head
    inputs = np.stack([crafted_input(head.layers_, j) for j in range(len(tagger.issues.labels))])
    probabilities = tagger.issues.probabilities(inputs)
    for language in LANGUAGES:
        tags = tagger.issues.tags(probabilities, [language] * len(inputs))
        missed = [
            label.code
            for label, row in zip(tagger.issues.labels, tags, strict=True)
            if label.code not in {t.code for t in row}
        ]
        assert not missed, f"issues the head never reaches: {missed}"
