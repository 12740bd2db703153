"""Duplicate clustering quality: pairwise and B-cubed precision, recall and F1.

    python -m evaluation.dedup [--part b|a|all]

(b) ``evaluation/data/dedup_groups.jsonl``: 170 groups (a real UPR recommendation, its English
    paraphrases and other real wordings, its French and Arabic translations), 90 of them hard
    near-misses of another group. Groups linked by ``near_miss_of`` form a family; families are
    split in two halves by a hash: the linkage, threshold, mismatch penalty and cross-language bonus
    are chosen on the tuning half (best B-cubed F1 among settings whose B-cubed precision is at
    least 0.95: a coordinator would rather join two clusters than unpick a wrong one) and reported on
    the test half, with same-language and cross-language pairs apart.
(a) the UPR Info dev set, clustered state by state: texts identical after normalisation must share
    a cluster (recall); precision is read from ``evaluation/data/dedup_dev_sample_labels.jsonl``,
    a labelled sample of the other members that clustering joins to them.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.clustering_metrics import bcubed, pairwise
from evaluation.common import EVAL_DATA, open_dev_pipeline, print_table, read_jsonl, write_results
from nlp.dedup import LINKAGES, DuplicateClusterer
from nlp.embedding_text import embed_texts
from nlp.instruments import signature
from nlp.store.cluster_repository import ClusterRepository
from nlp.text import normalize_for_matching
from service.config import Settings
from service.factory import build_clusterer, build_embedder

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.40, 0.86, 0.05))
PENALTIES = (0.0, 0.3)
BONUSES = (0.0, 0.05, 0.1, 0.15, 0.2)
MIN_TUNING_PRECISION = 0.95


def families(items: Sequence[dict]) -> dict[str, str]:
    """Group -> family root, joining each near-miss group with the group it is a near-miss of."""
    parent: dict[str, str] = {}

    def find(group: str) -> str:
        parent.setdefault(group, group)
        while parent[group] != group:
            parent[group] = parent[parent[group]]
            group = parent[group]
        return group

    for item in items:
        find(item["group"])
        if item.get("near_miss_of"):
            parent[find(item["group"])] = find(item["near_miss_of"])
    return {group: find(group) for group in parent}


def split_halves(items: Sequence[dict]) -> tuple[list[int], list[int]]:
    family = families(items)
    tune, test = [], []
    for position, item in enumerate(items):
        digest = hashlib.sha1(family[item["group"]].encode()).digest()
        (tune if digest[0] % 2 == 0 else test).append(position)
    return tune, test


class DuplicateClusteringEvaluator:
    """Scores a clusterer on labelled groups; ``primary_metric`` is B-cubed F1."""

    primary_metric = "bcubed_f1"

    def __init__(self, items: Sequence[dict], embeddings: np.ndarray) -> None:
        self.items = list(items)
        self.embeddings = embeddings
        self.keys = [normalize_for_matching(item["text"]) for item in self.items]
        self.signatures = [signature(item["text"], item["language"]) for item in self.items]
        languages = np.array([item["language"] for item in self.items])
        self.same_language = languages[:, None] == languages[None, :]

    def __call__(self, clusterer: DuplicateClusterer, rows: Sequence[int]) -> dict[str, float]:
        rows = list(rows)
        labels = clusterer.fit(
            self.embeddings[rows],
            keys=[self.keys[r] for r in rows],
            signatures=[self.signatures[r] for r in rows],
            languages=[self.items[r]["language"] for r in rows],
        ).labels_
        gold = [self.items[r]["group"] for r in rows]
        same = self.same_language[np.ix_(rows, rows)]
        b3, pairs = bcubed(gold, labels), pairwise(gold, labels)
        same_pairs, cross_pairs = pairwise(gold, labels, same), pairwise(gold, labels, ~same)
        return {
            "bcubed_precision": b3["precision"],
            "bcubed_recall": b3["recall"],
            "bcubed_f1": b3["f1"],
            "pairwise_precision": pairs["precision"],
            "pairwise_recall": pairs["recall"],
            "pairwise_f1": pairs["f1"],
            "same_language_pairwise_f1": same_pairs["f1"],
            "cross_language_pairwise_f1": cross_pairs["f1"],
            "clusters": int(labels.max()) + 1 if len(labels) else 0,
        }


def evaluate_groups(settings: Settings) -> dict:
    items = read_jsonl(EVAL_DATA / "dedup_groups.jsonl")
    embedder = build_embedder(settings)
    embeddings = embed_texts(embedder, [item["text"] for item in items], [item["language"] for item in items])
    evaluator = DuplicateClusteringEvaluator(items, embeddings)
    tune, test = split_halves(items)
    groups = {half: len({items[r]["group"] for r in rows}) for half, rows in (("tune", tune), ("test", test))}
    print(
        f"(b) {len(items)} texts in {len({i['group'] for i in items})} groups; "
        f"tuning half {groups['tune']} groups, test half {groups['test']} groups"
    )

    best_per_linkage = {}
    for linkage_name in LINKAGES:
        scored = []
        for threshold, penalty, bonus in itertools.product(THRESHOLDS, PENALTIES, BONUSES):
            clusterer = DuplicateClusterer(
                threshold, linkage_name, mismatch_penalty=penalty, cross_language_bonus=bonus
            )
            scores = evaluator(clusterer, tune)
            eligible = scores["bcubed_precision"] >= MIN_TUNING_PRECISION
            scored.append((eligible, scores["bcubed_f1"], threshold, penalty, bonus))
        best_per_linkage[linkage_name] = max(scored)
    rows, results = [], {}
    for linkage_name, (_, tune_f1, threshold, penalty, bonus) in best_per_linkage.items():
        clusterer = DuplicateClusterer(threshold, linkage_name, mismatch_penalty=penalty, cross_language_bonus=bonus)
        test_scores = evaluator(clusterer, test)
        results[linkage_name] = {
            "threshold": threshold,
            "mismatch_penalty": penalty,
            "cross_language_bonus": bonus,
            "tune_bcubed_f1": tune_f1,
            **{f"test_{k}": v for k, v in test_scores.items()},
        }
        rows.append(
            (
                linkage_name,
                threshold,
                penalty,
                bonus,
                tune_f1,
                test_scores["bcubed_precision"],
                test_scores["bcubed_recall"],
                test_scores["bcubed_f1"],
                test_scores["pairwise_f1"],
                test_scores["same_language_pairwise_f1"],
                test_scores["cross_language_pairwise_f1"],
            )
        )
    print_table(
        (
            "linkage",
            "threshold",
            "penalty",
            "x-lang bonus",
            "tune B3-F1",
            "test B3-P",
            "test B3-R",
            "test B3-F1",
            "test pair-F1",
            "same-lang F1",
            "cross-lang F1",
        ),
        rows,
    )
    chosen = max(results, key=lambda name: best_per_linkage[name])
    print(
        f"chosen on the tuning half: linkage={chosen}, threshold={results[chosen]['threshold']}, "
        f"mismatch_penalty={results[chosen]['mismatch_penalty']}, "
        f"cross_language_bonus={results[chosen]['cross_language_bonus']}"
    )
    shipped = build_clusterer(settings)
    shipped_tune, shipped_test = evaluator(shipped, tune), evaluator(shipped, test)
    print(
        f"shipped (service/config.py): linkage={shipped.linkage}, threshold={shipped.threshold}, "
        f"mismatch_penalty={shipped.mismatch_penalty}, cross_language_bonus={shipped.cross_language_bonus}: "
        f"tune B3-F1 {shipped_tune['bcubed_f1']:.4f} (P {shipped_tune['bcubed_precision']:.4f}); "
        f"test B3-P {shipped_test['bcubed_precision']:.4f}, B3-R {shipped_test['bcubed_recall']:.4f}, "
        f"B3-F1 {shipped_test['bcubed_f1']:.4f}, pair-F1 {shipped_test['pairwise_f1']:.4f}, "
        f"same-lang F1 {shipped_test['same_language_pairwise_f1']:.4f}, "
        f"cross-lang F1 {shipped_test['cross_language_pairwise_f1']:.4f}"
    )
    return {
        "groups": results,
        "chosen": chosen,
        "shipped": {
            "linkage": shipped.linkage,
            "threshold": shipped.threshold,
            "mismatch_penalty": shipped.mismatch_penalty,
            "cross_language_bonus": shipped.cross_language_bonus,
            **{f"tune_{k}": v for k, v in shipped_tune.items()},
            **{f"test_{k}": v for k, v in shipped_test.items()},
        },
    }


def evaluate_dev_set(settings: Settings, store: Path | None, clusterer: DuplicateClusterer) -> dict:
    """(a): exact duplicates kept together state by state, and precision on the labelled sample."""
    pipeline = open_dev_pipeline(store, settings)
    repository = ClusterRepository(pipeline.store)
    labelled = {
        (row["anchor_id"], row["member_id"]): row["same"]
        for row in read_jsonl(EVAL_DATA / "dedup_dev_sample_labels.jsonl")
    }
    cluster_of: dict[str, tuple[str, int]] = {}
    duplicate_keys = together = 0
    start = time.perf_counter()
    for state in repository.scopes():
        rows = repository.scope_rows(state, pipeline.embedder.name)
        dev = [i for i, rec_id in enumerate(rows.ids) if rec_id.startswith("upr-info:")]
        labels = clusterer.fit(
            rows.vectors[dev],
            keys=[rows.norms[i] for i in dev],
            signatures=[signature(rows.texts[i], rows.languages[i]) for i in dev],
            languages=[rows.languages[i] for i in dev],
        ).labels_
        clusters_of_key: dict[str, set[int]] = {}
        for i, label in zip(dev, labels, strict=True):
            cluster_of[rows.ids[i]] = (state, int(label))
            clusters_of_key.setdefault(rows.norms[i], set()).add(int(label))
        counts = Counter(rows.norms[i] for i in dev)
        duplicate_keys += sum(1 for key, count in counts.items() if count > 1)
        together += sum(1 for key, count in counts.items() if count > 1 and len(clusters_of_key[key]) == 1)
    seconds = time.perf_counter() - start
    kept = [same for pair, same in labelled.items() if cluster_of.get(pair[0]) == cluster_of.get(pair[1])]
    pipeline.close()
    results = {
        "repeated_texts": duplicate_keys,
        "exact_duplicate_recall": together / duplicate_keys if duplicate_keys else 1.0,
        "labelled_pairs_still_joined": len(kept),
        "labelled_pairs": len(labelled),
        "sample_precision": sum(kept) / len(kept) if kept else 1.0,
        "seconds": seconds,
    }
    print(
        f"(a) UPR Info dev set, per state: {duplicate_keys} texts repeated within a state, "
        f"{results['exact_duplicate_recall']:.4f} of them in one cluster; precision on the labelled sample "
        f"{results['sample_precision']:.4f} ({sum(kept)} same of {len(kept)} labelled pairs the clustering still "
        f"joins, of {len(labelled)} labelled); {seconds:.1f} s for all states"
    )
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("a", "b", "all"), default="all")
    parser.add_argument("--store", type=Path, default=None, help="evaluation store for part (a)")
    args = parser.parse_args(argv)
    settings = Settings()
    results: dict = {}
    if args.part in ("b", "all"):
        results["b"] = evaluate_groups(settings)
    if args.part in ("a", "all"):
        chosen = build_clusterer(settings)
        print(
            f"(a) with the shipped settings: linkage={chosen.linkage}, threshold={chosen.threshold}, "
            f"mismatch_penalty={chosen.mismatch_penalty}, cross_language_bonus={chosen.cross_language_bonus}"
        )
        results["a"] = evaluate_dev_set(settings, args.store, chosen)
    print(f"written {write_results('dedup', results)}")
    return results


if __name__ == "__main__":
    main()
