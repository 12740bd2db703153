from types import SimpleNamespace

import numpy as np

from nlp.tagging.paragraphs import PARAGRAPH_GOAL_CUTOFF, paragraph_goal_scores, paragraph_goals


class HealthTagger:
    """Goal 3 scores 1.0 for a sentence naming "clinics" and 0.8 for a longer text naming them; goal 4
    scores 0.95 for a text naming "schools"; anything else 0.1."""

    goals = [SimpleNamespace(code="3"), SimpleNamespace(code="4")]

    def goal_scores(self, embeddings, texts, languages):
        def health(text):
            return (0.8 if ". " in text else 1.0) if "clinics" in text else 0.1

        return np.array([[health(text), 0.95 if "schools" in text else 0.1] for text in texts])


def test_a_paragraph_is_about_a_goal_one_of_its_sentences_is_about(embedder):
    texts = ["Rainfall was low. Rural clinics closed.", "Rainfall was low. Crops failed.", "New schools opened."]
    assert paragraph_goal_scores(HealthTagger(), embedder, texts, best_sentence=False)[:, 0].tolist() == [0.8, 0.1, 0.1]
    # the first paragraph: (0.8 + 1.0) / 2 reaches the cut-off; its whole text alone (0.8) would not
    assert paragraph_goals(HealthTagger(), embedder, texts) == [["3"], [], ["4"]]
    assert PARAGRAPH_GOAL_CUTOFF > 0.8
    assert paragraph_goals(HealthTagger(), embedder, []) == []
