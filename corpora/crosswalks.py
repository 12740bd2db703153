"""Crosswalks between taxonomies kept in ``corpora/crosswalks/`` (human-rights themes and instruments → SDG targets)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from corpora.taxonomies import TaxonomyError

CROSSWALK_DIR = Path(__file__).resolve().parent / "crosswalks"
LANGUAGES = ("ar", "fr", "en")


@dataclass(frozen=True, slots=True)
class Instrument:
    """A named instrument or commitment, the SDG targets it takes, and the phrases that name it per language."""

    code: str
    sdg_targets: tuple[str, ...]
    match: dict[str, tuple[str, ...]]


def _read(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: cannot read: {error}") from error


def instruments_to_sdg_targets(valid_targets: set[str], folder: Path = CROSSWALK_DIR) -> list[Instrument]:
    """The ``instruments:`` of ``themes_to_sdg.yaml``, each with match phrases in ar, fr and en (empty when absent)."""
    path = folder / "themes_to_sdg.yaml"
    if not path.exists():
        return []
    out = []
    for position, entry in enumerate(_read(path).get("instruments") or [], start=1):
        code = str(entry.get("instrument") or "").strip()
        where = f"{path.name}, instrument #{position} ({code!r})"
        if not code:
            raise TaxonomyError(f"{where}: field 'instrument' is missing")
        targets = tuple(str(t) for t in entry.get("sdg_targets") or [])
        unknown = [t for t in targets if t not in valid_targets]
        if unknown or not targets:
            raise TaxonomyError(f"{where}: unknown or no SDG targets {unknown}")
        match = entry.get("match") or {}
        missing = [lang for lang in LANGUAGES if not match.get(lang)]
        if missing:
            raise TaxonomyError(f"{where}: field 'match' has no phrases in {', '.join(missing)}")
        out.append(Instrument(code, targets, {lang: tuple(match[lang]) for lang in LANGUAGES}))
    return out


def themes_to_sdg_targets(valid_targets: set[str], folder: Path = CROSSWALK_DIR) -> dict[str, list[str]]:
    """UHRI theme code → SDG target codes, from ``themes_to_sdg.yaml`` (empty when the file is absent)."""
    path = folder / "themes_to_sdg.yaml"
    if not path.exists():
        return {}
    data = _read(path)
    mapping: dict[str, list[str]] = {}
    for position, entry in enumerate(data.get("entries") or [], start=1):
        theme = entry.get("theme")
        targets = [str(t) for t in entry.get("sdg_targets") or []]
        unknown = [t for t in targets if t not in valid_targets]
        if not theme or unknown:
            raise TaxonomyError(
                f"{path.name}, entry #{position} ({theme!r}): unknown SDG targets {unknown}"
                if unknown
                else f"{path.name}, entry #{position}: field 'theme' is missing"
            )
        mapping[theme] = targets
    return mapping
