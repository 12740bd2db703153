"""Learn a country's supporting-body classifier: ``python -m training.ministry_supporting [--country ma]``.

Fits :class:`nlp.supporting_model.SupportingModel` on the decisions the lead classifier learns (the
example decisions shipped with the directory and the further decisions of
``training/data/ministry_decisions/``, with the French and Arabic texts of those we translated turned
towards English by the language alignment) and writes ``models/ministry-supporting-<country>/vN/``
with its sources' SHA-256, the git commit and its cross-validation: each fifth of the shipped example
decisions (the folds of ``training.ministry_lead``) scored by a model learnt on the other decisions,
given the annotated lead, against the lead's usual partners alone. The ministry evaluation sets are
never read.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from corpora.ministries import load_directory
from evaluation.mapping_bench import supporting_f1
from nlp.decision_memory import DecisionMemory
from nlp.supporting_model import SupportingModel
from service.config import Settings
from service.factory import build_embedder, build_language_alignment, supporting_model_root
from training.ministry_lead import (
    FOLDS,
    DecisionTranslations,
    decisions_and_vectors,
    example_folds,
    saved_version,
    with_translations,
)

#: the cross-validation proposes the bodies at this probability or more (up to three)
PROPOSED_FROM = 0.35


def proposed(probabilities: np.ndarray, body_ids: Sequence[str], at_least: float = PROPOSED_FROM) -> list[set[str]]:
    """Per row, the (up to three) bodies of highest probability at ``at_least`` or more."""
    return [{body_ids[b] for b in np.argsort(-row, kind="stable")[:3] if row[b] >= at_least} for row in probabilities]


def partners_alone(decisions, body_ids: Sequence[str], leads: Sequence[str], at_least: float) -> list[set[str]]:
    """Per lead in ``leads``, the bodies that supported it in at least ``at_least`` of its ``decisions`` (up to
    three): what the lead's usual partners propose without reading the text."""
    memory = DecisionMemory(body_ids, 1)  # the shares the mapper reads, with no vector to compare
    memory.add(np.zeros((len(decisions), 1)), [d.lead for d in decisions], [list(d.supporting) for d in decisions])
    return proposed(memory.partner_shares()[[memory.position[lead] for lead in leads]], body_ids, at_least)


def cross_validated(examples, example_vectors, further, further_vectors, translations, body_ids, embedder_name, c):
    """Supporting F1 on the example decisions, each fold scored by a model learnt without it, given the
    annotated lead; and the lead's usual partners alone on the same folds."""
    fold = example_folds(examples)
    gold = [set(e.supporting) for e in examples]
    model_sets: list[set[str]] = [set()] * len(examples)
    partner_sets: list[set[str]] = [set()] * len(examples)
    for k in range(FOLDS):
        known, scored = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        vectors, decisions = with_translations(
            np.vstack([example_vectors[known], further_vectors]),
            [examples[i] for i in known] + list(further),
            translations,
        )
        model = learn(vectors, decisions, body_ids, embedder_name, c)
        leads = [examples[i].lead for i in scored]
        for i, found in zip(
            scored, proposed(model.probabilities(example_vectors[scored], leads), body_ids), strict=True
        ):
            model_sets[i] = found
        for i, found in zip(scored, partners_alone(decisions, body_ids, leads, 0.2), strict=True):
            partner_sets[i] = found
        print(f"fold {k + 1} of {FOLDS}: {len(decisions)} decisions learnt", flush=True)
    return {"model": supporting_f1(model_sets, gold), "partners_alone": supporting_f1(partner_sets, gold)}


def learn(vectors: np.ndarray, decisions, body_ids: Sequence[str], embedder_name: str, c: float) -> SupportingModel:
    return SupportingModel.fit(
        vectors,
        [d.lead for d in decisions],
        [list(d.supporting) for d in decisions],
        body_ids,
        c,
        {"embedder": embedder_name, "dim": int(vectors.shape[1])},
    )


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--country", default="ma")
    parser.add_argument("--c", type=float, default=4.0, help="the logistic regressions' regularisation")
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = build_embedder(settings)
    directory = load_directory(args.country)
    examples, example_vectors, further, further_vectors = decisions_and_vectors(args.country, settings, embedder)
    if not examples:
        raise SystemExit(f"no example decisions for {args.country}: nothing to learn from")
    alignment = build_language_alignment(settings, embedder)
    translations = (
        DecisionTranslations.read([*examples, *further], settings, embedder, alignment)
        if alignment is not None
        else None
    )
    body_ids = directory.ids()
    scores = cross_validated(
        examples, example_vectors, further, further_vectors, translations, body_ids, embedder.name, args.c
    )
    print(
        f"cross-validated supporting F1 on the {len(examples)} shipped example decisions, the annotated lead given "
        f"(bodies at probability {PROPOSED_FROM} or more, up to three): {scores['model']:.4f}; the lead's usual "
        f"partners alone (those supporting it in 20% of its decisions or more): {scores['partners_alone']:.4f}"
    )
    vectors, decisions = with_translations(
        np.vstack([example_vectors, further_vectors]), [*examples, *further], translations
    )
    model = learn(vectors, decisions, body_ids, embedder.name, args.c)
    config = {
        "translated_decisions": len(translations.texts) if translations else 0,
        "cross_validation": {"folds": FOLDS, "scored": len(examples), "proposed_from": PROPOSED_FROM, **scores},
    }
    folder = saved_version(model, supporting_model_root(args.country), args.country, config)
    print(f"{len(decisions)} decisions learnt; written {folder}")
    return folder


if __name__ == "__main__":
    main()
