"""Learn the French and Arabic maps towards English: ``python -m training.alignment``.

Embeds paired translations (as at import: :func:`nlp.embedding_text.embed_texts`) and learns, per
language, the orthogonal map of :class:`nlp.language_alignment.LanguageAlignment`; writes a new
versioned folder ``models/language-alignment/vN/`` with ``fr.npy``, ``ar.npy`` and ``config.json``
(encoder, number of pairs, sources, git commit).

The pairs (7,398 by default): our French and Arabic translations of training rows
(:mod:`training.translations`: 520 rows of the issue head, 600, 2,100 and 2,700 more rows of
training states drawn for the alignment, 600 drawn for the French and Arabic head) and of the six
cross-lingual search sets already read as development sets. Never a row of the sets that measure it
(``MEASURING_SETS`` there): the tagging translations (the French and Arabic tests of
``evaluation.tagging``) and the fresh search sets (``FRESH_SETS`` of ``evaluation.search``, whose rows
of held-out states ``evaluation.tagging`` scores too).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from corpora.paths import PROJECT_ROOT
from nlp.embedding_text import embed_texts
from nlp.language_alignment import LanguageAlignment
from service.config import Settings
from service.factory import build_embedder
from training.themes import git_commit, next_version
from training.translations import DEVELOPMENT_SETS, LANGUAGES, TRANSLATION_FILES, read_pairs

MODEL_ROOT = PROJECT_ROOT / "models" / "language-alignment"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--translations", type=Path, nargs="+", default=list(TRANSLATION_FILES))
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = build_embedder(settings)
    pairs, sources = read_pairs(tuple(args.translations), DEVELOPMENT_SETS, settings.data_dir)
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
