"""Pairwise and B-cubed precision, recall and F1 of a clustering against gold groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def bcubed(gold: Sequence, predicted: Sequence) -> dict[str, float]:
    """B-cubed precision/recall/F1: per item, the share of its predicted cluster in its gold group and back."""
    gold, predicted = np.asarray(gold), np.asarray(predicted)
    joint = Counter(zip(gold.tolist(), predicted.tolist(), strict=True))
    gold_size, predicted_size = Counter(gold.tolist()), Counter(predicted.tolist())
    precision = sum(count * count / predicted_size[p] for (_, p), count in joint.items()) / len(gold)
    recall = sum(count * count / gold_size[g] for (g, _), count in joint.items()) / len(gold)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def pairwise(gold: Sequence, predicted: Sequence, pair_mask: np.ndarray | None = None) -> dict[str, float]:
    """Pairwise precision/recall/F1 over item pairs; ``pair_mask`` (n×n bool) restricts the pairs counted."""
    gold, predicted = np.asarray(gold), np.asarray(predicted)
    upper = np.triu(np.ones((len(gold), len(gold)), dtype=bool), k=1)
    if pair_mask is not None:
        upper &= pair_mask
    same_gold = (gold[:, None] == gold[None, :]) & upper
    same_predicted = (predicted[:, None] == predicted[None, :]) & upper
    true_positive = int((same_gold & same_predicted).sum())
    precision = true_positive / int(same_predicted.sum()) if same_predicted.any() else 1.0
    recall = true_positive / int(same_gold.sum()) if same_gold.any() else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "gold_pairs": int(same_gold.sum()),
        "predicted_pairs": int(same_predicted.sum()),
    }
