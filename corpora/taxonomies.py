"""Label taxonomies (UHRI themes, affected persons, UPR Info issues, SDG goals and targets), validated on load.

Each label has a stable ``code``, names and a one-line description in Arabic, French and English,
and may list ``keywords``: phrases in all three languages that name the label outright (the
tagger's phrase rules, :mod:`nlp.tagging.rules`), with the taxonomy's ``keyword_exclude`` phrases
blanked out first.
The YAML files live in ``corpora/taxonomies/``; the SDG taxonomy is built from the official UN
texts in the data directory (never copied here). A broken file raises :class:`TaxonomyError`
naming the file, the label and the field.

Example:
    >>> themes = load_taxonomy("uhri_themes")
    >>> themes["prohibition-of-torture"].names["fr"][:28]
    'Interdiction de la torture e'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corpora.multilingual import LANGUAGES, trilingual
from corpora.sdg import load_sdg

TAXONOMY_DIR = Path(__file__).resolve().parent / "taxonomies"
TAXONOMIES = ("uhri_themes", "affected_persons", "upr_issues")


class TaxonomyError(ValueError):
    """A taxonomy file is malformed: the message names the file, the label and the field."""


@dataclass(frozen=True, slots=True)
class Label:
    code: str
    names: dict[str, str]
    description: dict[str, str]
    group: str | None = None
    aliases: tuple[str, ...] = ()
    #: phrases per language (ar, fr, en) that name the label outright; empty: no phrase rule
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: other fields of the label as written (crosswalk lists, legacy codes...)
    extra: dict[str, Any] = field(default_factory=dict)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    def text(self, language: str) -> str:
        """Name and description in ``language``: the text label-similarity taggers embed."""
        return f"{self.name(language)}: {self.description.get(language) or self.description['en']}"


@dataclass(frozen=True, slots=True)
class Taxonomy:
    name: str
    labels: tuple[Label, ...]
    groups: dict[str, dict[str, str]] = field(default_factory=dict)
    #: phrases removed from a text before its keywords are matched ("law enforcement")
    keyword_exclude: tuple[str, ...] = ()

    def __getitem__(self, code: str) -> Label:
        for label in self.labels:
            if label.code == code:
                return label
        raise KeyError(f"{self.name}: no label {code!r}")

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def codes(self) -> list[str]:
        return [label.code for label in self.labels]

    def keyword_rules(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Label code → language → keywords, for the labels that have keywords."""
        return {label.code: label.keywords for label in self.labels if label.keywords}


def _keywords(where: str, value: Any) -> dict[str, tuple[str, ...]]:
    """``keywords``: absent, or non-empty lists of phrases in each of ar, fr and en."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TaxonomyError(f"{where}: field 'keywords' must map ar/fr/en to lists of phrases")
    out = {}
    for lang in LANGUAGES:
        phrases = value.get(lang)
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise TaxonomyError(f"{where}: field 'keywords' has no phrases in {lang}")
        out[lang] = tuple(p.strip() for p in phrases)
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise TaxonomyError(f"{where}: field 'keywords' has unknown languages {unknown}")
    return out


def parse_taxonomy(data: Any, source: str) -> Taxonomy:
    """Validate the content of one taxonomy file (already parsed from YAML)."""
    if not isinstance(data, dict) or not isinstance(data.get("labels"), list) or not data["labels"]:
        raise TaxonomyError(f"{source}: expected a mapping with a non-empty 'labels' list")
    groups = {}
    for entry in data.get("groups") or []:
        code = str(entry.get("code", "")).strip()
        groups[code] = trilingual(f"{source}, group {code!r}", entry.get("names"), "names", TaxonomyError)
    labels, seen = [], set()
    for position, entry in enumerate(data["labels"], start=1):
        if not isinstance(entry, dict) or not str(entry.get("code") or "").strip():
            raise TaxonomyError(f"{source}, label #{position}: field 'code' is missing")
        code = str(entry["code"]).strip()
        where = f"{source}, label {code!r}"
        if code in seen:
            raise TaxonomyError(f"{where}: duplicate code")
        seen.add(code)
        group = entry.get("group")
        if group is not None and groups and group not in groups:
            raise TaxonomyError(f"{where}: field 'group' names unknown group {group!r}")
        known = {"code", "names", "description", "group", "aliases", "keywords"}
        labels.append(
            Label(
                code=code,
                names=trilingual(where, entry.get("names"), "names", TaxonomyError),
                description=trilingual(where, entry.get("description"), "description", TaxonomyError),
                group=group,
                aliases=tuple(entry.get("aliases") or ()),
                keywords=_keywords(where, entry.get("keywords")),
                extra={key: value for key, value in entry.items() if key not in known},
            )
        )
    exclude = data.get("keyword_exclude") or []
    if not isinstance(exclude, list) or not all(isinstance(p, str) and p.strip() for p in exclude):
        raise TaxonomyError(f"{source}: field 'keyword_exclude' must be a list of phrases")
    return Taxonomy(str(data.get("taxonomy") or source), tuple(labels), groups, tuple(p.strip() for p in exclude))


def load_taxonomy(name: str, folder: Path = TAXONOMY_DIR) -> Taxonomy:
    """Load ``uhri_themes``, ``affected_persons`` or ``upr_issues`` from ``corpora/taxonomies/``."""
    path = folder / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise TaxonomyError(f"{path}: cannot read: {error}") from error
    return parse_taxonomy(data, path.name)


def check_crosswalk(source: Taxonomy, field_name: str, target: Taxonomy) -> None:
    """Every code that ``source`` labels list under ``field_name`` must exist in ``target``."""
    codes = set(target.codes())
    for label in source:
        unknown = [code for code in label.extra.get(field_name) or () if code not in codes]
        if unknown:
            raise TaxonomyError(
                f"{source.name}, label {label.code!r}: field {field_name!r} names unknown {target.name} codes {unknown}"
            )


def load_all(folder: Path = TAXONOMY_DIR) -> dict[str, Taxonomy]:
    """The three label taxonomies, with their crosswalk references checked."""
    loaded = {name: load_taxonomy(name, folder) for name in TAXONOMIES}
    check_crosswalk(loaded["upr_issues"], "uhri_themes", loaded["uhri_themes"])
    check_crosswalk(loaded["upr_issues"], "affected_persons", loaded["affected_persons"])
    return loaded


def sdg_taxonomies(data_dir: str | Path | None = None) -> tuple[Taxonomy, Taxonomy]:
    """SDG goals and the 169 targets as taxonomies (official text as both name and description)."""
    entries = load_sdg(data_dir)

    def build(level: str, name: str) -> Taxonomy:
        return Taxonomy(
            name,
            tuple(
                Label(code=e.code, names=dict(e.text), description=dict(e.text), group=str(e.goal))
                for e in entries
                if e.level == level
            ),
        )

    return build("goal", "sdg-goals"), build("target", "sdg-targets")


def sdg_indicators(data_dir: str | Path | None = None) -> Taxonomy:
    """The SDG indicators (official text as name and description; ``group``: the indicator's goal)."""
    return Taxonomy(
        "sdg-indicators",
        tuple(
            Label(code=e.code, names=dict(e.text), description=dict(e.text), group=str(e.goal))
            for e in load_sdg(data_dir)
            if e.level == "indicator"
        ),
    )
