"""The 17 SDGs, 169 targets and their indicators in Arabic, French and English (official UN text).

Source: ``sdg/sdg_goals_targets_multilingual.csv`` in the data directory (A/RES/70/1 wording,
flattened from open-sdg/sdg-translations). Arabic text is kept as published; matching code
normalises it (tatweel, diacritics) through :mod:`nlp.text`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from corpora.paths import SDG_MULTILINGUAL, data_file
from nlp.text import clean_display

LANGUAGES = ("ar", "fr", "en")
LEVELS = ("goal", "target", "indicator")


@dataclass(frozen=True, slots=True)
class SdgEntry:
    level: str
    code: str
    goal: int
    text: dict[str, str]

    def in_language(self, language: str) -> str:
        """The text in ``language``, falling back to English."""
        return self.text.get(language) or self.text["en"]


class SdgFileError(ValueError):
    """The SDG file is missing a column, a language or a goal/target."""


def load_sdg(data_dir: str | Path | None = None) -> list[SdgEntry]:
    """Load goals, targets and indicators; validates that all 17 goals and 169 targets are present."""
    path = data_file(data_dir, SDG_MULTILINGUAL)
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"level", "code", "goal"} | {f"text_{lang}" for lang in LANGUAGES}
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise SdgFileError(f"{path}: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            if row["level"] not in LEVELS:
                raise SdgFileError(f"{path}, line {line}: unknown level {row['level']!r}")
            # tatweel (U+0640) in the Arabic is typographic stretching, not content
            texts = {lang: clean_display(row[f"text_{lang}"]).replace("\u0640", "") for lang in LANGUAGES}
            empty = [lang for lang, text in texts.items() if not text]
            if empty:
                raise SdgFileError(f"{path}, line {line}: no text in {', '.join(empty)} for {row['code']}")
            entries.append(SdgEntry(row["level"], row["code"].strip(), int(row["goal"]), texts))
    goals = [e for e in entries if e.level == "goal"]
    targets = [e for e in entries if e.level == "target"]
    if len(goals) != 17 or len(targets) != 169:
        raise SdgFileError(f"{path}: expected 17 goals and 169 targets, found {len(goals)} and {len(targets)}")
    return entries
