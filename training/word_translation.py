"""Learn the word translation tables of cross-lingual search: ``python -m training.word_translation``.

IBM model 1 (:mod:`nlp.word_translation`), both ways between English and French and between English
and Arabic, on our translations of training rows (:data:`training.translations.TRANSLATION_FILES`,
6,520 pairs: ``models/word-translation/v1``). Never a row of an evaluation set: not the search sets
read as development sets (the search weight of the tables is chosen on them, see
``evaluation.search``), nor those that measure (``MEASURING_SETS``). Writes a new versioned folder
``models/word-translation/vN/`` with ``tables.json.gz`` and ``config.json`` (pairs, sources,
iterations, git commit).

``training/data/word_translations.jsonl`` holds 2,400 more translated training rows (seed 20261229),
drawn for the tables: with them (``--translations`` naming every file, 8,920 pairs) the development
sets found no more originals (4,272 hits at rank 1 and in the top 10 against 4,273), so the shipped
tables do not use them.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from corpora.paths import PROJECT_ROOT
from nlp.word_translation import WordTranslation
from service.config import Settings
from training.themes import git_commit, next_version
from training.translations import LANGUAGES, TRANSLATION_FILES, read_pairs

MODEL_ROOT = PROJECT_ROOT / "models" / "word-translation"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--translations", type=Path, nargs="+", default=list(TRANSLATION_FILES))
    parser.add_argument("--iterations", type=int, default=8)
    parser.add_argument("--min-probability", type=float, default=0.01, help="pairs below it are not shipped")
    args = parser.parse_args(argv)
    pairs, sources = read_pairs(tuple(args.translations), (), Settings().data_dir)
    tables = WordTranslation.learn(
        pairs,
        LANGUAGES,
        iterations=args.iterations,
        min_probability=args.min_probability,
        pair_count=len(pairs),
        sources=sources,
        git_commit=git_commit(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    folder = next_version(MODEL_ROOT)
    tables.save(folder)
    sizes = ", ".join(f"{a}|{b} {len(table)} words" for (a, b), table in tables.tables.items())
    print(f"{len(pairs)} pairs; {sizes}; written {folder.relative_to(PROJECT_ROOT)}")
    return folder


if __name__ == "__main__":
    main()
