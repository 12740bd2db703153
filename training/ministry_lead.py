"""Learn a country's lead classifier: ``python -m training.ministry_lead [--country ma] [--c 4 [8 ...]] [--jobs 2]``.

Fits :class:`nlp.lead_model.KernelLeadModel` on the example decisions shipped with the directory
(``corpora/ministries/<country>_examples.jsonl``) and the further decisions of
``training/data/ministry_decisions/<country>_examples.jsonl`` (texts read from the UPR Info dev set
in the data directory), and writes a new versioned folder ``models/ministry-lead-<country>/vN/``
with the sources, their SHA-256, the git commit and the cross-validated accuracy: each fifth of the
shipped example decisions (by a hash of the row) scored by a model learnt on the other decisions,
the further ones included. The ministry evaluation set and its recurring pairs are never read.

The mapper reads French and Arabic recommendations through the language alignment; the classifier
also learns them so (:class:`DecisionTranslations`): every decision whose row we translated
(:data:`training.translations.TRANSLATION_FILES`) is learnt a second and third time, as its French and
Arabic texts turned towards English, in the folds where the decision itself is learnt.
``--without-translations`` learns the English texts alone.

Beside it, a lexical model (:class:`nlp.lexical_lead.LexicalLeadModel`) learns the same decisions from
their words, the French and Arabic translations as they are written; the mapper reads the two blended
(:class:`nlp.lead_blend.BlendedLeadModel`), with the lexical model's share chosen by the same
cross-validation among ``--lexical-weights`` (0 ships the kernel classifier alone).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from corpora.ministries import DIRECTORY_DIR, load_directory
from corpora.ministry_examples import ExampleDecision, examples_path, load_example_decisions
from corpora.paths import PROJECT_ROOT, project_relative
from nlp.embedding_text import embed_texts
from nlp.lead_blend import BlendedLeadModel, mixed
from nlp.lead_model import KernelLeadModel
from nlp.lexical_lead import LexicalLeadModel
from nlp.model_folder import CONFIG
from service.config import Settings
from service.factory import build_embedder, build_language_alignment, lead_model_root
from training import TRAINING_DATA
from training.sdg_goals import sha256
from training.themes import git_commit, next_version
from training.translations import LANGUAGES, TRANSLATION_FILES, read_pairs

FURTHER_DECISIONS = TRAINING_DATA / "ministry_decisions"
FOLDS = 5
#: the lexical model's shares of the blend compared by cross-validation
LEXICAL_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5)
#: the lexical model's regularisation
LEXICAL_C = 5.0
#: the fold classifiers, kept by a digest of the decisions they learnt from (rows and leads, encoder, C): training
#: and ``evaluation.ministries`` learn the same ones (minutes each on 2 cores), so the second finds them here (not
#: shipped; the digest does not cover the vectors, whose last bits depend on how the texts were batched)
FOLD_CACHE = PROJECT_ROOT / ".cache" / "ministry-lead-folds"


class DecisionTranslations:
    """The French and Arabic texts of translated decision rows, as vectors turned towards English: each
    decision learnt brings its translations (:meth:`of`)."""

    def __init__(self, texts: dict[int, dict[str, str]], vectors: dict[tuple[int, str], np.ndarray]) -> None:
        self.texts, self.vectors = texts, vectors

    @classmethod
    def read(
        cls, decisions: Sequence[ExampleDecision], settings: Settings, embedder, alignment
    ) -> DecisionTranslations:
        """Those of the ``decisions`` among our translations, embedded and turned by ``alignment``."""
        rows = {d.row_id for d in decisions}
        pairs, _ = read_pairs(TRANSLATION_FILES, (), settings.data_dir)
        texts: dict[int, dict[str, str]] = {}
        for pair in pairs:  # a row translated twice keeps its first translation
            if pair["row_id"] in rows:
                texts.setdefault(pair["row_id"], {language: pair[language] for language in LANGUAGES})
        vectors, ids = {}, sorted(texts)
        for language in LANGUAGES:
            raw = embed_texts(embedder, [texts[row][language] for row in ids], language).reshape(len(ids), embedder.dim)
            turned = alignment.to_english(raw, [language] * len(ids))
            vectors.update({(row, language): vector for row, vector in zip(ids, turned, strict=True)})
        return cls(texts, vectors)

    def of(self, decisions: Sequence[ExampleDecision], dim: int) -> tuple[list[ExampleDecision], np.ndarray]:
        """The translated copies of those ``decisions`` that have translations, and their vectors."""
        copies = [
            dataclasses.replace(d, text=self.texts[d.row_id][language], language=language)
            for language in LANGUAGES
            for d in decisions
            if d.row_id in self.texts
        ]
        vectors = [self.vectors[(d.row_id, d.language)] for d in copies]
        return copies, np.array(vectors, dtype=np.float32).reshape(len(copies), dim)


def with_translations(
    vectors: np.ndarray, decisions: Sequence[ExampleDecision], translations: DecisionTranslations | None
) -> tuple[np.ndarray, list[ExampleDecision]]:
    """``vectors`` and ``decisions`` followed by the decisions' translated copies (none without ``translations``)."""
    if translations is None:
        return vectors, list(decisions)
    copies, copy_vectors = translations.of(decisions, vectors.shape[1])
    return np.vstack([vectors, copy_vectors]), [*decisions, *copies]


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
    translations: DecisionTranslations | None = None,
    lexical_weight: float = 0.0,
    jobs: int = 1,
) -> list[tuple[np.ndarray, BlendedLeadModel]]:
    """``(rows of fold k, model learnt without them)`` for each fold of the example decisions; the
    further decisions learn in every fold, and the ``translations`` of every decision learnt with it;
    with a ``lexical_weight``, the fold's lexical model is blended in. Those not in the cache are learnt
    ``jobs`` at a time (:func:`fitted_in_parallel`)."""
    rows, fits = fold_fits(examples, example_vectors, further, further_vectors, embedder_name, c, translations)
    if jobs > 1:
        fitted_in_parallel(fits, jobs, lexical=lexical_weight > 0)
    return [(scored, blended(arguments, lexical_weight)) for scored, arguments in zip(rows, fits, strict=True)]


def blended(arguments: tuple, lexical_weight: float) -> BlendedLeadModel:
    """The kernel classifier of :func:`cached_fit` ``arguments``, with the lexical model of the same
    decisions when ``lexical_weight`` is above 0."""
    kernel = cached_fit(*arguments)
    if not lexical_weight:
        return BlendedLeadModel(kernel)
    return BlendedLeadModel(kernel, cached_lexical_fit(arguments[1]), lexical_weight)


def fold_fits(examples, example_vectors, further, further_vectors, embedder_name: str, c: float, translations=None):
    """``(rows of each fold, the arguments of :func:`cached_fit` for the model learnt without them)``."""
    fold, rows, fits = example_folds(examples), [], []
    for k in range(FOLDS):
        known = np.flatnonzero(fold != k)
        rows.append(np.flatnonzero(fold == k))
        vectors, decisions = with_translations(
            np.vstack([example_vectors[known], further_vectors]),
            [examples[i] for i in known] + list(further),
            translations,
        )
        fits.append((vectors, decisions, embedder_name, c))
    return rows, fits


def fitted_in_parallel(fits: Sequence[tuple], jobs: int, lexical: bool = False) -> None:
    """:func:`cached_fit` on each argument tuple of ``fits`` (and with ``lexical``, :func:`cached_lexical_fit`
    on its decisions) not already in the cache, ``jobs`` at a time (one process each; a fit keeps one core busy
    for minutes)."""
    tasks = [(cached_fit, arguments) for arguments in fits if not is_cached(kernel_folder(*arguments[1:]))]
    if lexical:
        tasks += [
            (cached_lexical_fit, (arguments[1],)) for arguments in fits if not is_cached(lexical_folder(arguments[1]))
        ]
    if jobs <= 1 or len(tasks) <= 1:
        for fit, arguments in tasks:
            fit(*arguments)
        return
    from joblib import Parallel, delayed

    # the processes import this module afresh: they are told the cache the caller sees
    Parallel(n_jobs=min(jobs, len(tasks)))(delayed(fit)(*arguments, cache=FOLD_CACHE) for fit, arguments in tasks)


def decisions_digest(decisions: Sequence[ExampleDecision], *settings: str) -> str:
    """A digest of the decisions' rows, leads and languages and of the ``settings`` they are learnt with."""
    # an English decision keeps the line it had before translations were learnt (and so its cached folds)
    lines = (f"{d.row_id} {d.lead}" + ("" if d.language == "en" else f" {d.language}") for d in decisions)
    return hashlib.sha1("\n".join([*settings, *lines]).encode()).hexdigest()


def kernel_folder(
    decisions: Sequence[ExampleDecision], embedder_name: str, c: float, cache: Path | None = None
) -> Path:
    """Where :func:`cached_fit` keeps the kernel classifier of these ``decisions``."""
    return (cache or FOLD_CACHE) / decisions_digest(decisions, embedder_name, str(c))


def lexical_folder(decisions: Sequence[ExampleDecision], cache: Path | None = None) -> Path:
    """Where :func:`cached_lexical_fit` keeps the lexical model of these ``decisions``."""
    return (cache or FOLD_CACHE) / decisions_digest(decisions, "lexical", str(LEXICAL_C))


def is_cached(folder: Path) -> bool:
    return (folder / CONFIG).exists()


def cached_fit(
    vectors: np.ndarray,
    decisions: Sequence[ExampleDecision],
    embedder_name: str,
    c: float,
    cache: Path | None = None,
) -> KernelLeadModel:
    """:meth:`KernelLeadModel.fit` on the ``decisions`` (``vectors`` their texts'), read from ``cache``
    (:data:`FOLD_CACHE` by default) when the same decisions were learnt before."""
    folder = kernel_folder(decisions, embedder_name, c, cache)
    if is_cached(folder):
        return KernelLeadModel.load(folder)
    model = KernelLeadModel.fit(vectors, [decision.lead for decision in decisions], embedder_name, c)
    model.save(folder)
    return model


def cached_lexical_fit(decisions: Sequence[ExampleDecision], cache: Path | None = None) -> LexicalLeadModel:
    """:meth:`LexicalLeadModel.fit` on the ``decisions``' texts (the translated copies' in their language),
    read from ``cache`` when the same decisions were learnt before."""
    folder = lexical_folder(decisions, cache)
    if is_cached(folder):
        return LexicalLeadModel.load(folder)
    model = LexicalLeadModel.fit([d.text for d in decisions], [d.lead for d in decisions], LEXICAL_C)
    model.save(folder)
    return model


def cross_validated(
    examples,
    example_vectors,
    further,
    further_vectors,
    embedder_name: str,
    c: float,
    translations=None,
    translated=None,
    lexical_weights: Sequence[float] = (0.0,),
) -> dict[float, dict]:
    """Per share of the lexical model in ``lexical_weights``: lead accuracy at ranks 1 and 3 on the example
    decisions, each fold scored by its fold model (which learnt the ``translations``); with ``translated``,
    also on the French and Arabic texts of the example rows it holds (``"fr"`` and ``"ar"``, and ``"en"`` on
    the same rows), scored by the same fold models. Each fold model is applied once for all the shares."""
    gold = np.array([e.lead for e in examples])
    folds = fold_models(
        examples, example_vectors, further, further_vectors, embedder_name, c, translations, max(lexical_weights)
    )
    texts = [e.text for e in examples]
    hits = fold_hits(folds, np.arange(len(examples)), example_vectors, texts, gold, lexical_weights)
    rows = np.array([i for i, e in enumerate(examples) if translated and e.row_id in translated.texts], dtype=np.int64)
    by_language = {}
    if len(rows):  # no translated example: nothing to score by language
        for language in LANGUAGES:
            vectors = np.array([translated.vectors[(examples[i].row_id, language)] for i in rows])
            written = [translated.texts[examples[i].row_id][language] for i in rows]
            by_language[language] = fold_hits(folds, rows, vectors, written, gold[rows], lexical_weights)
    scores = {}
    for weight in lexical_weights:
        at1, at3 = hits[weight]
        scores[weight] = accuracies(at1, at3)
        if len(rows):
            scores[weight]["en"] = accuracies(at1[rows], at3[rows])
            for language, language_hits in by_language.items():
                scores[weight][language] = accuracies(*language_hits[weight])
            scores[weight]["translated_rows"] = len(rows)
    return scores


def accuracies(at1: np.ndarray, at3: np.ndarray) -> dict[str, float]:
    """Lead accuracy at ranks 1 and 3 from per-text hits (:func:`ranked_hits`)."""
    return {"lead_accuracy@1": float(at1.mean()), "lead_accuracy@3": float(at3.mean())}


def fold_hits(
    folds, rows: np.ndarray, vectors: np.ndarray, texts: Sequence[str], gold: np.ndarray, lexical_weights
) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Per share in ``lexical_weights``, :func:`ranked_hits` of the example decisions ``rows`` (``vectors``,
    ``texts`` and ``gold`` in their order), each scored by the model of its fold (``folds`` as
    :func:`fold_models` gives them), its kernel and lexical parts mixed at that share."""
    hits = {w: (np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)) for w in lexical_weights}
    for fold_rows, model in folds:
        mine = np.isin(rows, fold_rows)
        kernel, lexical = model.parts(vectors[mine], [text for text, keep in zip(texts, mine, strict=True) if keep])
        for weight, (at1, at3) in hits.items():
            at1[mine], at3[mine] = ranked_hits(model.body_ids, mixed(kernel, lexical, weight), gold[mine])
    return hits


def lead_hits(
    model: BlendedLeadModel, vectors: np.ndarray, texts: Sequence[str], gold: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per text, whether its ``gold`` lead is the ``model``'s first body, and whether it is among its first three."""
    return ranked_hits(model.body_ids, model.probabilities(vectors, texts), gold)


def ranked_hits(body_ids: Sequence[str], probabilities: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``probabilities`` (columns in ``body_ids`` order), whether its ``gold`` lead ranks first, and
    whether among the first three."""
    ranked = np.array(body_ids)[np.argsort(-probabilities, axis=1, kind="stable")[:, :3]]
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


def saved_version(model, root: Path, country: str, config: dict) -> Path:
    """``model`` written in the next ``vN`` folder under ``root``, its config told ``config`` and what a model
    learnt on ``country``'s decisions records: the country, the decision files' SHA-256, the git commit and
    the time."""
    paths = [examples_path(country, DIRECTORY_DIR), examples_path(country, FURTHER_DECISIONS)]
    model.config.update(
        {
            "country": country,
            "sources": {project_relative(path): sha256(path) for path in paths if path.exists()},
            **config,
            "git_commit": git_commit(),
            "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
    )
    folder = next_version(root)
    model.save(folder)
    return folder


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
    parser.add_argument(
        "--without-translations", action="store_true", help="learn the English texts of the decisions alone"
    )
    parser.add_argument(
        "--lexical-weights",
        type=float,
        nargs="+",
        default=list(LEXICAL_WEIGHTS),
        help="the lexical model's shares of the blend compared by cross-validation (0: the kernel classifier alone)",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = build_embedder(settings)
    examples, example_vectors, further, further_vectors = decisions_and_vectors(args.country, settings, embedder)
    if not examples:
        raise SystemExit(f"no example decisions for {args.country}: nothing to learn from")
    alignment = build_language_alignment(settings, embedder)
    # the example decisions' translations are scored in every case, learnt unless --without-translations
    translated = None
    if alignment is not None:
        translated = DecisionTranslations.read([*examples, *further], settings, embedder, alignment)
    translations = None if args.without_translations else translated
    print(
        f"{len(examples)} shipped example decisions, {len(further)} further decisions, "
        f"{len(translations.texts) if translations else 0} of them learnt in French and Arabic too"
    )
    all_vectors, all_decisions = with_translations(
        np.vstack([example_vectors, further_vectors]), [*examples, *further], translations
    )
    # the fold classifiers of every C (and the final one, when there is one C) learn first, --jobs at a time
    fits = [
        fit
        for c in args.c
        for fit in fold_fits(examples, example_vectors, further, further_vectors, embedder.name, c, translations)[1]
    ]
    final = [(all_vectors, all_decisions, embedder.name, args.c[0])] if len(args.c) == 1 else []
    fitted_in_parallel(fits + final, args.jobs, lexical=any(args.lexical_weights))
    scores = {}
    for c in args.c:
        by_weight = cross_validated(
            examples,
            example_vectors,
            further,
            further_vectors,
            embedder.name,
            c,
            translations,
            translated,
            args.lexical_weights,
        )
        scores.update({(c, weight): score for weight, score in by_weight.items()})
    for (c, weight), score in scores.items():
        print(
            f"C={c}, lexical weight {weight}: cross-validated lead accuracy on the shipped example decisions "
            f"({FOLDS} folds): {score['lead_accuracy@1']:.4f} at rank 1, {score['lead_accuracy@3']:.4f} at rank 3"
        )
        if "translated_rows" in score:
            print(
                f"  on the {score['translated_rows']} of them we translated, at ranks 1 / 3: "
                + ", ".join(
                    f"{language} {score[language]['lead_accuracy@1']:.4f} / {score[language]['lead_accuracy@3']:.4f}"
                    for language in ("en", *LANGUAGES)
                )
            )
    # the best at rank 1, then at rank 3; ties to the stronger regularisation and the smaller lexical share
    chosen, weight = max(
        scores, key=lambda k: (scores[k]["lead_accuracy@1"], scores[k]["lead_accuracy@3"], -k[0], -k[1])
    )
    model = blended((all_vectors, all_decisions, embedder.name, chosen), weight)
    config = {
        "cross_validation": {
            "folds": FOLDS,
            "scored": len(examples),
            "lead_accuracy": scores[chosen, weight]["lead_accuracy@1"],
            "by_c_and_lexical_weight": {f"{c} {w}": score for (c, w), score in scores.items()},
        },
        "translations": None
        if translations is None
        else {
            "decisions": len(translations.texts),
            "languages": list(LANGUAGES),
            "sources": [project_relative(path) for path in TRANSLATION_FILES],
            "alignment_created": alignment.config.get("created"),
        },
    }
    folder = saved_version(model, lead_model_root(args.country), args.country, config)
    print(f"{len(model.kernel.support_vectors)} support vectors, lexical weight {weight}; written {folder}")
    return folder


if __name__ == "__main__":
    main()
