"""Our French and Arabic translations of dev-set rows that training may learn from.

- ``training/data/issue_translations.jsonl``: 520 training rows of the issue head;
- ``training/data/alignment_translations.jsonl``: 600 more rows of training states (seed 20261213);
- ``training/data/head_translations.jsonl``: 600 more labelled rows of training states (seed 20261216);
- ``training/data/alignment_translations_b.jsonl``: 2,100 more rows of training states (seed 20261224);
- ``training/data/alignment_translations_c.jsonl``: 2,700 more rows of training states (seed 20261226);
- the six cross-lingual search sets already read as development sets (:data:`DEVELOPMENT_SETS`).

Never a row of the sets that measure what is learnt (:data:`MEASURING_SETS`): the tagging translations
(the French and Arabic tests of ``evaluation.tagging``) and the fresh search sets f, g and h (whose
rows of held-out states ``evaluation.tagging`` scores too). The language alignment
(``training.alignment``) and the French and Arabic issue head (``training.themes``) read them here.
"""

from __future__ import annotations

from pathlib import Path

from corpora.paths import project_relative
from corpora.upr_info import dev_texts
from evaluation.common import EVAL_DATA, read_jsonl
from evaluation.search import FRESH_SETS
from training import TRAINING_DATA

ISSUE_TRANSLATIONS = TRAINING_DATA / "issue_translations.jsonl"
#: more translations of labelled training rows, drawn for the French and Arabic issue head (seed 20261216)
HEAD_TRANSLATIONS = TRAINING_DATA / "head_translations.jsonl"
#: translations of dev-set rows, ``{"row_id", "fr", "ar"}`` per line
TRANSLATION_FILES = (
    ISSUE_TRANSLATIONS,
    TRAINING_DATA / "alignment_translations.jsonl",
    HEAD_TRANSLATIONS,
    TRAINING_DATA / "alignment_translations_b.jsonl",
    TRAINING_DATA / "alignment_translations_c.jsonl",
)
#: translation sets of evaluation.search that were read for misses (development sets), used as pairs
DEVELOPMENT_SETS = (
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
    "tagging_translations_c.jsonl",
    "tagging_translations_d.jsonl",
    "tagging_translations_e.jsonl",
    "tagging_translations_f.jsonl",
    "tagging_translations_g.jsonl",
    *FRESH_SETS,  # the fresh search sets, whose rows of held-out states evaluation.tagging scores too
)
LANGUAGES = ("fr", "ar")


def read_pairs(translation_files: tuple[Path, ...], sets: tuple[str, ...], data_dir) -> tuple[list[dict], list[str]]:
    """``{"row_id", "en", "fr", "ar"}`` per pair (none of a row of :data:`MEASURING_SETS`), and the
    sources they came from."""
    measuring = {item["row_id"] for name in MEASURING_SETS for item in read_jsonl(EVAL_DATA / name)}
    lines = {path: read_jsonl(path) for path in translation_files}
    english = dev_texts({item["row_id"] for items in lines.values() for item in items}, data_dir)  # one read
    pairs = []
    for path, items in lines.items():
        missing = [item["row_id"] for item in items if item["row_id"] not in english]
        if missing:
            raise ValueError(f"{path.name}: rows {missing[:5]} are not in the dev set")
        pairs += [{**item, "en": english[item["row_id"]]} for item in items]
    for name in sets:
        pairs += [{key: item[key] for key in ("row_id", "en", *LANGUAGES)} for item in read_jsonl(EVAL_DATA / name)]
    pairs = [pair for pair in pairs if pair["row_id"] not in measuring]
    sources = [project_relative(path) for path in translation_files]
    return pairs, [*sources, *(f"evaluation/data/{name}" for name in sets)]
