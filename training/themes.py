"""Train the UPR Info issue head: ``python -m training.themes [--seeds 0 1] [--folds 4] [--translation-copies N]``.

Embeds the labelled training split of the UPR Info dev set with the configured embedder (acronyms
written out, as at import); with ``--translation-copies N`` it adds our French and Arabic
translations of labelled training rows (:mod:`training.translations`: 6,908 rows, labelled like
their English row, in its state's group), each repeated N times so that they count beside 38,743
English rows, and with ``--align-translations`` reads them through the shipped language alignment,
as tagging reads French and Arabic. It fits :class:`nlp.tagging.supervised.MultiLabelHead` with
thresholds tuned on state-grouped folds, scores it on the held-out states, and writes a new
versioned folder under ``--model-root`` with ``config.json``, ``labels.json``, ``thresholds.json``,
``metrics.json`` and ``head.npz``, recording the data file and its hash and the git commit.

Shipped: ``models/upr-issues/v1`` (English rows only; tags English and every language the
alignment does not map) and ``models/upr-issues-fr-ar/v3`` (``--translation-copies 4
--align-translations --model-root models/upr-issues-fr-ar``: tags French and Arabic).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from corpora.paths import PROJECT_ROOT, UPR_INFO_DEV, data_file
from corpora.upr_info import load_issue_vocabulary, load_labelled
from nlp.embedding_text import embed_texts
from nlp.tagging.supervised import MultiLabelHead
from service.config import Settings
from service.factory import build_embedder, build_language_alignment
from training.translations import DEVELOPMENT_SETS, LANGUAGES, TRANSLATION_FILES, read_pairs

MODEL_ROOT = PROJECT_ROOT / "models" / "upr-issues"


def translated_training_rows(rows, data_dir, extra_files: tuple[Path, ...] = ()) -> list[tuple[str, str, object]]:
    """``(text, language, English row)`` for our French and Arabic translations of labelled training rows
    (:mod:`training.translations`, and ``extra_files``; rows of held-out states or without labels are
    left out)."""
    by_id = {row.row_id: row for row in rows if not row.test and row.labels}
    pairs, _ = read_pairs((*TRANSLATION_FILES, *extra_files), DEVELOPMENT_SETS, data_dir)
    out, seen = [], set()
    for pair in pairs:
        row = by_id.get(pair["row_id"])
        if row is not None and row.row_id not in seen:  # a row translated twice counts once
            seen.add(row.row_id)
            out += [(pair[language], language, row) for language in LANGUAGES]
    return out


def next_version(root: Path) -> Path:
    versions = [int(p.name[1:]) for p in root.glob("v*") if p.name[1:].isdigit()]
    return root / f"v{max(versions, default=0) + 1}"


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=1024)
    parser.add_argument("--translation-copies", type=int, default=0, help="0 (shipped v1): no translations")
    parser.add_argument(
        "--align-translations",
        action="store_true",
        help="read the translations through the shipped language alignment, as tagging reads French and Arabic",
    )
    parser.add_argument(
        "--extra-translations",
        type=Path,
        nargs="*",
        default=[],
        help="more translation files ({row_id, fr, ar} per line) than those of training.translations",
    )
    parser.add_argument("--model-root", type=Path, default=MODEL_ROOT)
    args = parser.parse_args(argv)
    settings = Settings()
    labels = load_issue_vocabulary(settings.data_dir)
    rows = load_labelled(settings.data_dir)
    embedder = build_embedder(settings)
    start = time.perf_counter()
    X = embed_texts(embedder, [row.text for row in rows], "en")
    Y = np.array([[label in row.labels for label in labels] for row in rows], dtype=np.int8)
    test = np.array([row.test for row in rows])
    groups = np.array([row.state for row in rows])
    translations = (
        translated_training_rows(rows, settings.data_dir, tuple(args.extra_translations))
        if args.translation_copies
        else []
    )
    print(
        f"embedded {len(rows)} labelled rows in {time.perf_counter() - start:.0f} s; "
        f"{int((~test).sum())} train, {int(test.sum())} test; {len(translations)} translations of training rows "
        f"x {args.translation_copies}"
    )
    X_train, Y_train, groups_train = X[~test], Y[~test], groups[~test]
    if translations:
        languages = [language for _, language, _ in translations]
        X_extra = embed_texts(embedder, [text for text, _, _ in translations], languages)
        if args.align_translations:
            alignment = build_language_alignment(settings, embedder)
            if alignment is None:
                raise SystemExit("--align-translations: no language alignment for this encoder")
            X_extra = alignment.to_english(X_extra, languages)
        Y_extra = np.array([[label in row.labels for label in labels] for _, _, row in translations], dtype=np.int8)
        groups_extra = np.array([row.state for _, _, row in translations])
        copies = args.translation_copies
        X_train = np.concatenate([X_train, np.tile(X_extra, (copies, 1))])
        Y_train = np.concatenate([Y_train, np.tile(Y_extra, (copies, 1))])
        groups_train = np.concatenate([groups_train, np.tile(groups_extra, copies)])

    start = time.perf_counter()
    head = MultiLabelHead(hidden=args.hidden, seeds=args.seeds, threshold_folds=args.folds)
    head.fit(X_train, Y_train, groups_train)
    predicted = head.predict(X[test])
    metrics = {
        "test_micro_f1": float(f1_score(Y[test], predicted, average="micro")),
        "test_macro_f1": float(f1_score(Y[test], predicted, average="macro", zero_division=0)),
        "train_rows": int((~test).sum()),
        "translated_train_rows": len(translations),
        "translation_copies": args.translation_copies,
        "test_rows": int(test.sum()),
        "training_seconds": time.perf_counter() - start,
    }
    print(json.dumps(metrics, indent=2))

    folder = next_version(args.model_root)
    head.save(folder)
    dev_file = data_file(settings.data_dir, UPR_INFO_DEV)
    (folder / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=2) + "\n")
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    config = {
        "task": "upr-info-issues",
        "embedding_model": embedder.name,
        "embedding_dim": embedder.dim,
        "head": {"kind": "mlp", "hidden": args.hidden, "seeds": args.seeds, "threshold_folds": args.folds},
        "data_file": str(UPR_INFO_DEV),
        "data_sha256": hashlib.sha256(dev_file.read_bytes()).hexdigest(),
        "split": "test = states whose SHA-1(name as in the export) % 5 == 0",
        "translations": {
            "rows": len(translations) // 2,
            "extra_files": [str(path) for path in args.extra_translations],
            "copies": args.translation_copies,
            "through_alignment_created": (
                alignment.config.get("created") if args.align_translations and translations else None
            ),
        },
        "git_commit": git_commit(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"written {folder}")
    return folder


if __name__ == "__main__":
    main()
