"""All taggers together: UPR Info issues, UHRI themes, affected persons, SDG targets and goals.

Everything works from embeddings computed once (at import, or for free text by the caller):

- UPR Info issues: the supervised head;
- UHRI themes and affected persons: the issue probabilities through the UPR Info → UHRI
  crosswalk, combined with similarity to the labels' AR/FR/EN texts;
- SDG targets: the theme scores through the human-rights → SDG crosswalk (most typical target
  first) and the instruments and commitments a text names, combined with similarity to the
  official target texts. The themes' own keyword rules do not pass on to the targets: they mostly
  mark secondary components (a law to adopt, training, resources) that OHCHR does not link to a
  target, while named commitments come in through the instrument rules;
- SDG goals: the goals of the target tags (each scored by its best target); a text without target
  tags takes the goals of its own goal scores: the best of their targets, combined with the nearest
  of the goal's own texts (the goal, its targets and its indicators in AR/FR/EN) and, when given,
  the goal head's probability (:mod:`nlp.tagging.goal_head`).

Themes, persons, targets and goals also take the votes of the nearest labelled examples when they
are given (``corpora/taxonomies/tagging_examples.jsonl``; weight in each calibration).

Phrase rules (treaties, "child marriage", legislation...) need the texts: pass them to :meth:`tag`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.tagging.crosswalk import Calibration, CrosswalkTagger
from nlp.tagging.example_votes import ExampleVotes, weighted_votes
from nlp.tagging.goal_head import GoalHead
from nlp.tagging.issues import UprIssueTagger
from nlp.tagging.label_similarity import GroupSimilarity, first_max_by_group
from nlp.tagging.tags import Tag

TAG_FIELDS = ("sdg_goals", "sdg_targets", "themes", "upr_issues", "affected_persons")


class RecommendationTagger:
    """All taggers together (see the module docstring).

    Args:
        goal_similarity: nearest goal text (goal, targets, indicators) per goal, in ``goals`` order.
        goal_calibration: maps that cosine to a score (``low``/``high``, ``crosswalk_weight`` unused)
            and chooses goal tags (``min_score``, ``max_tags``); ``example_weight`` for ``goal_examples``.
        goal_examples: labelled examples voting for goals.
        goal_head: per-goal classifiers whose probabilities are one more piece of goal evidence.
    """

    def __init__(
        self,
        issues: UprIssueTagger,
        themes: CrosswalkTagger,
        persons: CrosswalkTagger,
        targets: CrosswalkTagger,
        goals: Sequence,
        goal_similarity: GroupSimilarity,
        goal_calibration: Calibration | None = None,
        goal_examples: ExampleVotes | None = None,
        goal_head: GoalHead | None = None,
    ) -> None:
        self.goal_examples = goal_examples
        self.goal_head = goal_head
        self.issues = issues
        self.themes = themes
        self.persons = persons
        self.targets = targets
        self.goals = list(goals)
        self.goal_similarity = goal_similarity
        self.goal_calibration = goal_calibration or Calibration(max_tags=3)
        goal_codes = [goal.code for goal in self.goals]
        goal_of_target = [goal_codes.index(label.group) for label in self.targets.labels]
        if sorted(set(goal_of_target)) != list(range(len(goal_codes))):
            raise ValueError("every goal needs at least one target")
        if goal_head is not None and goal_head.goal_codes != goal_codes:
            raise ValueError(f"the goal head's goals {goal_head.goal_codes} are not the taxonomy's {goal_codes}")
        # targets grouped by goal (each goal's in their own order), so a goal's best target is one pass
        self.target_order_ = np.argsort(goal_of_target, kind="stable")
        self.goal_starts_ = np.searchsorted(np.sort(goal_of_target), np.arange(len(goal_codes)))
        self.goal_of_target_ = {
            label.code: self.goals[g] for label, g in zip(self.targets.labels, goal_of_target, strict=True)
        }

    def tag(
        self,
        embeddings: np.ndarray,
        languages: Sequence[str],
        texts: Sequence[str] | None = None,
        probabilities: np.ndarray | None = None,
    ) -> list[dict[str, list[Tag]]]:
        """Tags of every recommendation, by field (see :data:`TAG_FIELDS`); ``texts`` feed the phrase rules;
        ``probabilities``: the issue head's, when the caller already has them (:meth:`UprIssueTagger.probabilities`)."""
        if probabilities is None:
            probabilities = self.issues.probabilities(embeddings, languages)
        theme_evidence = self.themes.evidence(probabilities, embeddings, texts)
        theme_scores = theme_evidence.without_rules()
        target_evidence = self.targets.evidence(theme_scores, embeddings, texts)
        issue_tags = self.issues.tags(probabilities, languages)
        theme_tags = self.themes.tags(probabilities, embeddings, languages, theme_evidence)
        person_tags = [
            tags or self._general_persons(language)
            for tags, language in zip(
                self.persons.tags(probabilities, embeddings, languages, texts=texts), languages, strict=True
            )
        ]
        target_tags = self.targets.tags(theme_scores, embeddings, languages, target_evidence)
        # the goals' own tags are needed only for the texts without target tags
        without = [i for i, targets in enumerate(target_tags) if not targets]
        own_goals = self._goals(target_evidence.combined, embeddings, languages, rows=without)
        goal_tags = [
            self._goals_of(targets, own_goals.get(i, []), language)
            for i, (targets, language) in enumerate(zip(target_tags, languages, strict=True))
        ]
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

    def goal_evidence(self, target_scores: np.ndarray, embeddings: np.ndarray) -> tuple:
        """``(scores, from_targets, best_target, similarity, cosine, nearest_text, examples, head)`` per goal
        (``n × goals``; ``examples``: the votes, and each row's nearest examples with their cosines;
        ``head``: the goal head's probabilities, zeros without one)."""
        from_targets, column = first_max_by_group(target_scores[:, self.target_order_], self.goal_starts_)
        best_target = self.target_order_[column]
        from_targets = np.maximum(from_targets, 0.0)
        cosine, nearest = self.goal_similarity.scores(embeddings)
        similarity = self.goal_calibration.similarity_score(cosine)
        votes, example_order, example_cosine = weighted_votes(
            self.goal_examples, embeddings, self.goal_calibration.example_weight, len(self.goals)
        )
        head = (
            self.goal_head.probabilities(embeddings)
            if self.goal_head is not None
            else np.zeros_like(similarity, dtype=np.float32)
        )
        scores = 1.0 - (1.0 - from_targets) * (1.0 - similarity) * (1.0 - votes) * (1.0 - head)
        return (
            scores,
            from_targets,
            best_target,
            similarity,
            cosine,
            nearest,
            (votes, example_order, example_cosine),
            head,
        )

    def goal_scores(
        self,
        embeddings: np.ndarray,
        texts: Sequence[str] | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> np.ndarray:
        """The score of every goal for every text (``n × goals``), before any cut-off."""
        probabilities = self.issues.probabilities(embeddings, languages)
        themes = self.themes.evidence(probabilities, embeddings, texts).without_rules()
        return self.goal_evidence(self.targets.evidence(themes, embeddings, texts).combined, embeddings)[0]

    def _goals_of(self, target_tags: list[Tag], own_goals: list[Tag], language: str) -> list[Tag]:
        """The goals of a text's SDG target tags, as OHCHR's lists derive goals from targets, each with
        its best target's score; a text without target tags keeps the goals of its own goal scores."""
        chosen: dict[str, Tag] = {}
        for target in target_tags:  # best first: a goal's first target is its best
            goal = self.goal_of_target_[target.code]
            if goal.code not in chosen:
                reason = f"target {target.code} ({target.score:.2f})"
                chosen[goal.code] = Tag(goal.code, goal.name(language), target.score, reason)
        return list(chosen.values()) or own_goals

    def _goals(
        self, target_scores: np.ndarray, embeddings: np.ndarray, languages: Sequence[str], rows: Sequence[int]
    ) -> dict[int, list[Tag]]:
        """The goal tags of ``rows`` from the goals' own scores (their evidence computed for those rows only)."""
        if not rows:
            return {}
        rows = list(rows)
        scores, from_targets, best_target, similarity, cosine, nearest, examples, head = self.goal_evidence(
            target_scores[rows], embeddings[rows]
        )
        votes, example_order, example_cosine = examples
        labels = self.goal_similarity.labels
        out = {}
        for i, row in enumerate(rows):  # i: the row's place in the evidence
            language = languages[row]
            chosen = []
            for g in np.flatnonzero(scores[i] >= self.goal_calibration.min_score):
                if head[i, g] > max(from_targets[i, g], similarity[i, g], votes[i, g]):
                    reason = f"goal classifier: probability {head[i, g]:.2f}"
                elif votes[i, g] > max(from_targets[i, g], similarity[i, g]):
                    reason = self.goal_examples.reason(example_order[i], example_cosine[i], g)
                elif from_targets[i, g] >= similarity[i, g]:
                    reason = f"target {self.targets.labels[best_target[i, g]].code} ({from_targets[i, g]:.2f})"
                else:
                    code = labels[nearest[i, g]].code
                    level = ("goal", "target", "indicator")[min(code.count("."), 2)]
                    reason = f"similar to the text of {level} {code} (cosine {cosine[i, g]:.2f})"
                goal = self.goals[g]
                chosen.append((Tag(goal.code, goal.name(language), float(scores[i, g]), reason), float(cosine[i, g])))
            # equal scores (saturated evidence) are ordered by closeness to the goal's texts
            chosen.sort(key=lambda pair: (-pair[0].score, -pair[1], pair[0].code))
            out[row] = [tag for tag, _ in chosen[: self.goal_calibration.max_tags]]
        return out
