"""Crosswalks between taxonomies kept in ``corpora/crosswalks/`` (human-rights themes → SDG targets)."""

from __future__ import annotations

from pathlib import Path

import yaml

from corpora.taxonomies import TaxonomyError

CROSSWALK_DIR = Path(__file__).resolve().parent / "crosswalks"


def themes_to_sdg_targets(valid_targets: set[str], folder: Path = CROSSWALK_DIR) -> dict[str, list[str]]:
    """UHRI theme code → SDG target codes, from ``themes_to_sdg.yaml`` (empty when the file is absent)."""
    path = folder / "themes_to_sdg.yaml"
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: cannot read: {error}") from error
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
