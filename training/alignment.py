"""Learn the French and Arabic maps towards English: ``python -m training.alignment``.

Embeds paired translations (as at import: :func:`nlp.embedding_text.embed_texts`) and learns, per
language, the orthogonal map of :class:`nlp.language_alignment.LanguageAlignment`; writes a new
versioned folder ``models/language-alignment/vN/`` with ``fr.npy``, ``ar.npy`` and ``config.json``
(encoder, number of pairs, sources, git commit).

The pairs (1,998 by default): our French and Arabic translations of 520 training rows of the issue
head (``training/data/issue_translations.jsonl``), of 600 more rows of training states drawn for the
alignment (``training/data/alignment_translations.jsonl``, seed 20261213) and of the six
cross-lingual search sets already read as development sets (:data:`ALIGNMENT_SETS`). Never a row of
the sets that measure it (:data:`MEASURING_SETS`): the tagging translations (the French and Arabic
tests of ``evaluation.tagging``) and the fresh search sets f, g and h (whose rows of held-out states
``evaluation.tagging`` scores too).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from corpora.paths import PROJECT_ROOT
from corpora.upr_info import dev_texts
from evaluation.common import EVAL_DATA, read_jsonl
from nlp.embedding_text import embed_texts
from nlp.language_alignment import LanguageAlignment
from service.config import Settings
from service.factory import build_embedder
from training.themes import TRANSLATIONS, git_commit, next_version

MODEL_ROOT = PROJECT_ROOT / "models" / "language-alignment"
#: translations of dev-set rows, ``{"row_id", "fr", "ar"}`` per line
TRANSLATION_FILES = (TRANSLATIONS, PROJECT_ROOT / "training" / "data" / "alignment_translations.jsonl")
#: translation sets of evaluation.search that were read for misses (development sets), used as pairs
ALIGNMENT_SETS = (
    "search_translations.jsonl",
    "search_translations_b.jsonl",
    "search_translations_holdout.jsonl",
    "search_translations_c.jsonl",
    "search_translations_d.jsonl",
    "search_translations_e.jsonl",
)
#: the sets that measure the alignment (evaluation.tagging): a row of theirs is never learnt from, even
#: when a set above holds it too (two rows of the first search set are tagging-translation rows)
MEASURING_SETS = (
    "tagging_translations.jsonl",
    "tagging_translations_b.jsonl",
    "search_translations_f.jsonl",
    "search_translations_g.jsonl",
    "search_translations_h.jsonl",
)
LANGUAGES = ("fr", "ar")


def read_pairs(translation_files: tuple[Path, ...], sets: tuple[str, ...], data_dir) -> tuple[list[dict], list[str]]:
    """``{"row_id", "en", "fr", "ar"}`` per pair (none of a row of :data:`MEASURING_SETS`), and the
    sources they came from."""
    measuring = {item["row_id"] for name in MEASURING_SETS for item in read_jsonl(EVAL_DATA / name)}
    pairs = []
    for path in translation_files:
        lines = read_jsonl(path)
        english = dev_texts({item["row_id"] for item in lines}, data_dir)
        missing = [item["row_id"] for item in lines if item["row_id"] not in english]
        if missing:
            raise ValueError(f"{path.name}: rows {missing[:5]} are not in the dev set")
        pairs += [{**item, "en": english[item["row_id"]]} for item in lines]
    for name in sets:
        pairs += [{key: item[key] for key in ("row_id", "en", *LANGUAGES)} for item in read_jsonl(EVAL_DATA / name)]
    pairs = [pair for pair in pairs if pair["row_id"] not in measuring]
    sources = [
        str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
        for path in translation_files
    ]
    return pairs, [*sources, *(f"evaluation/data/{name}" for name in sets)]


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--translations", type=Path, nargs="+", default=list(TRANSLATION_FILES))
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = build_embedder(settings)
    pairs, sources = read_pairs(tuple(args.translations), ALIGNMENT_SETS, settings.data_dir)
    vectors = {lang: embed_texts(embedder, [pair[lang] for pair in pairs], lang) for lang in ("en", *LANGUAGES)}
    alignment = LanguageAlignment.learn(
        vectors["en"],
        {lang: vectors[lang] for lang in LANGUAGES},
        embedder.name,
        sources=sources,
        git_commit=git_commit(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    for lang in LANGUAGES:
        before = float((vectors[lang] * vectors["en"]).sum(axis=1).mean())
        after = float((alignment.to_english(vectors[lang], [lang] * len(pairs)) * vectors["en"]).sum(axis=1).mean())
        print(f"{lang}: mean cosine of a translation to its English original {before:.3f} -> {after:.3f}")
    folder = next_version(MODEL_ROOT)
    alignment.save(folder)
    print(f"{len(pairs)} pairs; written {folder.relative_to(PROJECT_ROOT)}")
    return folder


if __name__ == "__main__":
    main()
