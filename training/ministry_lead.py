"""Learn a country's lead classifier: ``python -m training.ministry_lead [--country ma] [--c 4 [8 ...]] [--jobs 2]``.

Fits :class:`nlp.lead_model.KernelLeadModel` on the example decisions shipped with the directory
(``corpora/ministries/<country>_examples.jsonl``) and the further decisions of
``training/data/ministry_decisions/<country>_examples.jsonl`` (texts read from the UPR Info dev set
in the data directory), and writes a new versioned folder ``models/ministry-lead-<country>/vN/``
with the sources, their SHA-256, the git commit and the cross-validated accuracy: each fifth of the
shipped example decisions (by a hash of the row) scored by a model learnt on the other decisions,
the further ones included. The ministry evaluation set and its recurring pairs are never read.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from corpora.ministries import DIRECTORY_DIR, load_directory
from corpora.ministry_examples import ExampleDecision, examples_path, load_example_decisions
from corpora.paths import PROJECT_ROOT, project_relative
from nlp.embedding_text import embed_texts
from nlp.lead_model import KernelLeadModel
from nlp.model_folder import CONFIG
from service.config import Settings
from service.factory import build_embedder, lead_model_root
from training import TRAINING_DATA
from training.sdg_goals import sha256
from training.themes import git_commit, next_version

FURTHER_DECISIONS = TRAINING_DATA / "ministry_decisions"
FOLDS = 5
#: the fold classifiers, kept by a digest of the decisions they learnt from (rows and leads, encoder, C): training
#: and ``evaluation.ministries`` learn the same ones (minutes each on 2 cores), so the second finds them here (not
#: shipped; the digest does not cover the vectors, whose last bits depend on how the texts were batched)
FOLD_CACHE = PROJECT_ROOT / ".cache" / "ministry-lead-folds"


def example_folds(examples: Sequence[ExampleDecision], folds: int = FOLDS) -> np.ndarray:
    """Each example decision's fold, by a hash of its row (the split ``evaluation.ministries`` tunes on)."""
    return np.array([hashlib.sha1(f"f{e.row_id}".encode()).digest()[0] % folds for e in examples])


def fold_models(
    examples: Sequence[ExampleDecision],
    example_vectors: np.ndarray,
    further: Sequence[ExampleDecision],
    further_vectors: np.ndarray,
    embedder_name: str,
    c: float,
) -> list[tuple[np.ndarray, KernelLeadModel]]:
    """``(rows of fold k, model learnt without them)`` for each fold of the example decisions; the
    further decisions learn in every fold."""
    rows, fits = fold_fits(examples, example_vectors, further, further_vectors, embedder_name, c)
    return [(scored, cached_fit(*arguments)) for scored, arguments in zip(rows, fits, strict=True)]


def fold_fits(examples, example_vectors, further, further_vectors, embedder_name: str, c: float):
    """``(rows of each fold, the arguments of :func:`cached_fit` for the model learnt without them)``."""
    fold, rows, fits = example_folds(examples), [], []
    for k in range(FOLDS):
        known = np.flatnonzero(fold != k)
        rows.append(np.flatnonzero(fold == k))
        decisions = [examples[i] for i in known] + list(further)
        fits.append((np.vstack([example_vectors[known], further_vectors]), decisions, embedder_name, c))
    return rows, fits


def fitted_in_parallel(fits: Sequence[tuple], jobs: int) -> list[KernelLeadModel]:
    """:func:`cached_fit` on each argument tuple of ``fits``, ``jobs`` at a time (one process each; a fit
    keeps one core busy for minutes)."""
    if jobs <= 1 or len(fits) <= 1:
        return [cached_fit(*arguments) for arguments in fits]
    from joblib import Parallel, delayed

    # the processes import this module afresh: they are told the cache the caller sees
    return Parallel(n_jobs=min(jobs, len(fits)))(
        delayed(cached_fit)(*arguments, cache=FOLD_CACHE) for arguments in fits
    )


def cached_fit(
    vectors: np.ndarray,
    decisions: Sequence[ExampleDecision],
    embedder_name: str,
    c: float,
    cache: Path | None = None,
) -> KernelLeadModel:
    """:meth:`KernelLeadModel.fit` on the ``decisions`` (``vectors`` their texts'), read from ``cache``
    (:data:`FOLD_CACHE` by default) when the same decisions were learnt before."""
    leads = [decision.lead for decision in decisions]
    digest = hashlib.sha1("\n".join([embedder_name, str(c), *(f"{d.row_id} {d.lead}" for d in decisions)]).encode())
    folder = (cache or FOLD_CACHE) / digest.hexdigest()
    if (folder / CONFIG).exists():
        return KernelLeadModel.load(folder)
    model = KernelLeadModel.fit(vectors, leads, embedder_name, c)
    model.save(folder)
    return model


def cross_validated(examples, example_vectors, further, further_vectors, embedder_name: str, c: float) -> dict:
    """Lead accuracy at ranks 1 and 3 on the example decisions, each fold scored by its fold model."""
    gold = np.array([e.lead for e in examples])
    at1, at3 = np.zeros(len(examples), dtype=bool), np.zeros(len(examples), dtype=bool)
    for rows, model in fold_models(examples, example_vectors, further, further_vectors, embedder_name, c):
        at1[rows], at3[rows] = lead_hits(model, example_vectors[rows], gold[rows])
    return {"lead_accuracy@1": float(at1.mean()), "lead_accuracy@3": float(at3.mean())}


def lead_hits(model: KernelLeadModel, vectors: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per text, whether its ``gold`` lead is the ``model``'s first body, and whether it is among its first three."""
    ranked = np.array(model.body_ids)[np.argsort(-model.probabilities(vectors), axis=1, kind="stable")[:, :3]]
    return ranked[:, 0] == gold, (ranked == gold[:, None]).any(axis=1)


def further_decisions(directory, settings: Settings, embedder) -> tuple[list[ExampleDecision], np.ndarray]:
    """The further decisions of ``directory``'s country and their embeddings (``0 x dim`` without any)."""
    further = load_example_decisions(directory, settings.data_dir, folder=FURTHER_DECISIONS)
    return further, embed_texts(embedder, [d.text for d in further], "en").reshape(len(further), embedder.dim)


def decisions_and_vectors(country: str, settings: Settings, embedder):
    """The shipped and further decisions of ``country`` with their embeddings."""
    directory = load_directory(country)
    examples = load_example_decisions(directory, settings.data_dir)
    further, further_vectors = further_decisions(directory, settings, embedder)
    shared = {e.row_id for e in examples} & {d.row_id for d in further}
    if shared:
        raise ValueError(f"further decisions repeat rows of the shipped examples: {sorted(shared)[:5]}")
    return examples, embed_texts(embedder, [e.text for e in examples], "en"), further, further_vectors


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--country", default="ma")
    parser.add_argument(
        "--c",
        type=float,
        nargs="+",
        default=[4.0],
        help="the support-vector machine's regularisation; with several, the best cross-validated one is kept",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="classifiers learnt at once, each in its own process (a core each)"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = build_embedder(settings)
    examples, example_vectors, further, further_vectors = decisions_and_vectors(args.country, settings, embedder)
    if not examples:
        raise SystemExit(f"no example decisions for {args.country}: nothing to learn from")
    print(f"{len(examples)} shipped example decisions, {len(further)} further decisions")
    all_vectors, all_decisions = np.vstack([example_vectors, further_vectors]), list(examples) + list(further)
    # the fold classifiers of every C (and the final one, when there is one C) learn first, --jobs at a time
    fits = [
        fit
        for c in args.c
        for fit in fold_fits(examples, example_vectors, further, further_vectors, embedder.name, c)[1]
    ]
    fitted_in_parallel(
        fits + ([(all_vectors, all_decisions, embedder.name, args.c[0])] if len(args.c) == 1 else []), args.jobs
    )
    scores = {}
    for c in args.c:
        scores[c] = cross_validated(examples, example_vectors, further, further_vectors, embedder.name, c)
        print(
            f"C={c}: cross-validated lead accuracy on the shipped example decisions ({FOLDS} folds): "
            f"{scores[c]['lead_accuracy@1']:.4f} at rank 1, {scores[c]['lead_accuracy@3']:.4f} at rank 3"
        )
    chosen = max(args.c, key=lambda c: (scores[c]["lead_accuracy@1"], scores[c]["lead_accuracy@3"], -c))
    paths = [examples_path(args.country, DIRECTORY_DIR), examples_path(args.country, FURTHER_DECISIONS)]
    model = cached_fit(all_vectors, all_decisions, embedder.name, chosen)
    model.config.update(
        {
            "country": args.country,
            "sources": {project_relative(path): sha256(path) for path in paths if path.exists()},
            "cross_validation": {
                "folds": FOLDS,
                "scored": len(examples),
                "lead_accuracy": scores[chosen]["lead_accuracy@1"],
                "by_c": {str(c): score for c, score in scores.items()},
            },
            "git_commit": git_commit(),
            "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
    )
    folder = next_version(lead_model_root(args.country))
    model.save(folder)
    print(f"{len(model.support_vectors)} support vectors; written {folder}")
    return folder


if __name__ == "__main__":
    main()
