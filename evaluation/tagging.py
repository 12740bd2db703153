"""Tagging quality: UPR Info issues on held-out states, in English and in French and Arabic.

    python -m evaluation.tagging [--model models/upr-issues/vN]

- English: the 9,460 labelled rows of the 32 test states (never seen in training or threshold
  tuning), micro and macro F1 and per-label precision and recall; next to it, a plain
  logistic-regression head on the same embeddings, trained in this run on the same split.
- French and Arabic: the 220 test rows of ``evaluation/data/tagging_translations.jsonl`` translated
  for this project, micro-F1 of each language next to the English originals of the same rows, with
  the French and Arabic vectors as the encoder gives them, read through the shipped language
  alignment (:mod:`nlp.language_alignment`) by the English head, and through it by the head learnt
  with our translations of training rows (``models/upr-issues-fr-ar``, as tagging does); then the
  same on a second test, which neither the head nor the alignment learnt from: rows of held-out
  states translated later (:data:`LATER_TAGGING_SETS`: 160 rows in set b, 200 in sets c and d, 297
  in set e, 299 in set f and 295 in set g, each measured once when added), the rows of held-out
  states in the fresh cross-lingual search sets (:data:`SEARCH_TEST_SETS`), and those together.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from corpora.paths import PROJECT_ROOT
from corpora.upr_info import is_test_state, load_issue_vocabulary, load_labelled
from evaluation.common import EVAL_DATA, print_table, read_jsonl, write_results
from evaluation.search import FRESH_SETS
from nlp.embedding import CachedEmbedder
from nlp.embedding_text import embed_texts
from nlp.tagging.supervised import MultiLabelHead
from service.config import Settings
from service.factory import (
    FRENCH_ARABIC_ISSUE_MODELS,
    ISSUE_MODELS,
    build_embedder,
    build_language_alignment,
    latest_version,
)

#: translation sets of evaluation.search whose rows of held-out states join the second French and Arabic test:
#: its fresh sets
SEARCH_TEST_SETS = FRESH_SETS
#: rows of held-out states translated after the alignment was shipped, each measured once when added
LATER_TAGGING_SETS = (
    "tagging_translations_b.jsonl",
    "tagging_translations_c.jsonl",
    "tagging_translations_d.jsonl",
    "tagging_translations_e.jsonl",
    "tagging_translations_f.jsonl",
    "tagging_translations_g.jsonl",
)

#: published results on the same 56-label taxonomy (HURIDOCS), for comparison only
PUBLISHED = {
    "HURIDOCS multilingual SetFit (micro)": 0.81,
    "HURIDOCS best (micro)": 0.88,
    "HURIDOCS macro range": "0.57-0.64",
}


def _scores(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    return (
        float(f1_score(truth, predicted, average="micro")),
        float(f1_score(truth, predicted, average="macro", zero_division=0)),
    )


def translated_scores(items, labels, head, embedder, alignment, translated_head=None) -> dict[str, dict[str, float]]:
    """Micro- and macro-F1 on ``items`` in each language, printed with the gap to English: French and
    Arabic as encoded, through ``alignment``, and through it read by ``translated_head`` (as tagging does
    when there is one)."""
    truth = np.array([[label in item["issues"].split("|") for label in labels] for item in items], dtype=np.int8)
    scores, rows = {}, []
    for language in ("en", "fr", "ar"):
        vectors = embed_texts(embedder, [item[language] for item in items], language)
        variants = [("as encoded", vectors, head)]  # (name, vectors, the head that reads them)
        if language != "en" and alignment is not None:
            aligned = alignment.to_english(vectors, [language] * len(items))
            if translated_head is None:
                variants.append(("aligned (shipped)", aligned, head))
            else:
                variants += [
                    ("aligned, English head", aligned, head),
                    ("aligned, own head (shipped)", aligned, translated_head),
                ]
        for number, (variant, matrix, reader) in enumerate(variants):
            shipped = number == len(variants) - 1  # the last variant is the one tagging uses
            micro, macro = _scores(truth, reader.predict(matrix))
            key = language if shipped else f"{language}_{variant.replace(' ', '_').replace(',', '')}"
            scores[key] = {"micro_f1": micro, "macro_f1": macro}
            rows.append((language, variant, micro, macro, scores["en"]["micro_f1"] - micro))
    print_table(("language", "vectors", "micro-F1", "macro-F1", "micro gap to English"), rows)
    return scores


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = Settings()
    folder = args.model or latest_version(ISSUE_MODELS)
    labels = load_issue_vocabulary(settings.data_dir)
    head = MultiLabelHead.load(folder, len(labels))
    embedder = build_embedder(settings)
    rows = load_labelled(settings.data_dir)
    X = embed_texts(embedder, [row.text for row in rows], "en")
    Y = np.array([[label in row.labels for label in labels] for row in rows], dtype=np.int8)
    test = np.array([row.test for row in rows])

    predicted = head.predict(X[test])
    micro, macro = _scores(Y[test], predicted)
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    baseline = OneVsRestClassifier(LogisticRegression(C=4.0, max_iter=2000), n_jobs=2).fit(X[~test], Y[~test])
    base_micro, base_macro = _scores(Y[test], baseline.predict(X[test]))
    print(
        f"UPR Info issues, {int(test.sum())} rows of {len({r.state for r in rows if r.test})} held-out states; "
        f"head {folder.relative_to(PROJECT_ROOT)}"
    )
    print_table(
        ("model", "micro-F1", "macro-F1"),
        [
            ("MLP head, per-label thresholds (ours)", micro, macro),
            ("plain logistic regression, same embeddings", base_micro, base_macro),
            *((name, value if isinstance(value, str) else f"{value:.2f}", "") for name, value in PUBLISHED.items()),
        ],
    )
    precision, recall, f1, support = precision_recall_fscore_support(Y[test], predicted, zero_division=0)
    print()
    print_table(
        ("label", "precision", "recall", "F1", "support"),
        [(label, p, r, f, int(s)) for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)],
    )

    alignment = build_language_alignment(settings, embedder)
    translated_head = None
    if alignment is not None and args.model is None:
        translated_folder = latest_version(FRENCH_ARABIC_ISSUE_MODELS)
        translated_head = MultiLabelHead.load(translated_folder, len(labels))
        print(f"French and Arabic: head {translated_folder.relative_to(PROJECT_ROOT)} through the alignment")
    translations = read_jsonl(EVAL_DATA / "tagging_translations.jsonl")
    print(f"\n{len(translations)} test rows translated (tagging_translations.jsonl):")
    per_language = translated_scores(translations, labels, head, embedder, alignment, translated_head)
    later = {name: read_jsonl(EVAL_DATA / name) for name in LATER_TAGGING_SETS}
    from_search = [
        item
        for name in SEARCH_TEST_SETS
        for item in read_jsonl(EVAL_DATA / name)
        if item["issues"] and is_test_state(item["state_under_review"])
    ]
    second = {}
    cached = CachedEmbedder(embedder)  # the last set joins the two before it: their texts are embedded once
    later_rows = [item for items in later.values() for item in items]
    for name, items in (
        *later.items(),
        ("held-out states' rows of " + ", ".join(SEARCH_TEST_SETS), from_search),
        (" and ".join(LATER_TAGGING_SETS) + " together", later_rows),
        ("all of these together", later_rows + from_search),
    ):
        print(f"\n{len(items)} rows, {name}:")
        second[name] = {
            "rows": len(items),
            **translated_scores(items, labels, head, cached, alignment, translated_head),
        }
    results = {
        "model": str(folder.relative_to(PROJECT_ROOT)),
        "test_micro_f1": micro,
        "test_macro_f1": macro,
        "baseline_logreg_micro_f1": base_micro,
        "baseline_logreg_macro_f1": base_macro,
        "per_label": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "alignment": alignment.config if alignment is not None else None,
        "translations": per_language,
        "second_translation_test": second,
    }
    print(f"written {write_results('tagging', results)}")
    return results


if __name__ == "__main__":
    main()
