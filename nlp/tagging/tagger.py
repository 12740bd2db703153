"""All taggers together: UPR Info issues, UHRI themes, affected persons, SDG targets and goals.

Everything works from embeddings computed once (at import, or for free text by the caller):

- UPR Info issues: the supervised head;
- UHRI themes and affected persons: the issue probabilities through the UPR Info → UHRI
  crosswalk, combined with similarity to the labels' AR/FR/EN texts;
- SDG targets: the theme scores through the human-rights → SDG crosswalk, combined with similarity
  to the official target texts; SDG goals: the best of their targets, or similarity to the goal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.tagging.crosswalk import CrosswalkTagger
from nlp.tagging.issues import UprIssueTagger
from nlp.tagging.label_similarity import LabelSimilarity
from nlp.tagging.tags import Tag, best_first

TAG_FIELDS = ("sdg_goals", "sdg_targets", "themes", "upr_issues", "affected_persons")


class RecommendationTagger:
    def __init__(
        self,
        issues: UprIssueTagger,
        themes: CrosswalkTagger,
        persons: CrosswalkTagger,
        targets: CrosswalkTagger,
        goals: Sequence,
        goal_similarity: LabelSimilarity,
        min_goal_score: float = 0.5,
        max_goals: int = 3,
    ) -> None:
        self.issues = issues
        self.themes = themes
        self.persons = persons
        self.targets = targets
        self.goals = list(goals)
        self.goal_similarity = goal_similarity
        self.min_goal_score = min_goal_score
        self.max_goals = max_goals

    def tag(self, embeddings: np.ndarray, languages: Sequence[str]) -> list[dict[str, list[Tag]]]:
        """Tags of every recommendation, by field (see :data:`TAG_FIELDS`)."""
        probabilities = self.issues.probabilities(embeddings)
        theme_evidence = self.themes.evidence(probabilities, embeddings)
        theme_scores = theme_evidence[0]
        target_evidence = self.targets.evidence(theme_scores, embeddings)
        target_scores = target_evidence[0]
        issue_tags = self.issues.tags(probabilities, languages)
        theme_tags = self.themes.tags(probabilities, embeddings, languages, theme_evidence)
        person_tags = [
            tags or self._general_persons(language)
            for tags, language in zip(self.persons.tags(probabilities, embeddings, languages), languages, strict=True)
        ]
        target_tags = self.targets.tags(theme_scores, embeddings, languages, target_evidence)
        goal_tags = self._goals(target_scores, embeddings, languages)
        return [
            {
                "sdg_goals": goal_tags[i],
                "sdg_targets": target_tags[i],
                "themes": theme_tags[i],
                "upr_issues": issue_tags[i],
                "affected_persons": person_tags[i],
            }
            for i in range(len(languages))
        ]

    def _general_persons(self, language: str) -> list[Tag]:
        """OHCHR's ``general`` label when no specific group of persons is concerned (if the taxonomy has it)."""
        general = next((label for label in self.persons.labels if label.code == "general"), None)
        return [Tag("general", general.name(language), 1.0, "no specific group of persons")] if general else []

    def _goals(self, target_scores: np.ndarray, embeddings: np.ndarray, languages: Sequence[str]) -> list[list[Tag]]:
        goal_codes = [int(goal.code) for goal in self.goals]
        in_goal = np.array([[int(label.group) == code for code in goal_codes] for label in self.targets.labels])
        masked = np.where(in_goal[None, :, :], target_scores[:, :, None], -1.0)  # n × targets × goals
        best_target = masked.argmax(axis=1)
        from_targets = masked.max(axis=1)
        cosine, _ = self.goal_similarity.scores(embeddings)
        similarity = self.targets.calibration.similarity_score(cosine)
        scores = np.maximum(from_targets, similarity)
        out = []
        for row, language in enumerate(languages):
            chosen = []
            for g in np.flatnonzero(scores[row] >= self.min_goal_score):
                if from_targets[row, g] >= similarity[row, g]:
                    reason = f"target {self.targets.labels[best_target[row, g]].code} ({from_targets[row, g]:.2f})"
                else:
                    reason = f"similar to the goal text (cosine {cosine[row, g]:.2f})"
                goal = self.goals[g]
                chosen.append(Tag(goal.code, goal.name(language), float(scores[row, g]), reason))
            out.append(best_first(chosen, self.max_goals))
        return out
