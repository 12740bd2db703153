"""Per-country directories of the bodies recommendations are assigned to, validated on load.

A directory is a YAML file in ``corpora/ministries/`` (``ma.yaml`` for Morocco, ``tn.yaml`` for
Tunisia): a country code, and for each body an id, its kind, names and a short mandate in Arabic,
French and English, an optional ``lead_prior`` in (0, 1] (default 1) and optional rules (UPR Info
issues, UHRI themes, SDG targets, specific keyword phrases in any language). A broken file raises
:class:`DirectoryError` naming the file, the body and the field.

Example:
    >>> directory = load_directory("ma")
    >>> directory["didh"].names["fr"]
    "Délégation interministérielle aux droits de l'Homme"
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corpora.multilingual import LANGUAGES, trilingual

DIRECTORY_DIR = Path(__file__).resolve().parent / "ministries"
KINDS = ("ministry", "delegation", "institution", "parliament", "judiciary", "independent_body")


class DirectoryError(ValueError):
    """A ministry directory is malformed: the message names the file, the body and the field."""


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    kind: str
    names: dict[str, str]
    mandate: dict[str, str]
    acronym: str | None = None
    upr_issues: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: how readily the body leads when concerned: 1 for line ministries, lower for bodies that lead
    #: only on their own functioning (independent and judicial bodies, Parliament) or never
    lead_prior: float = 1.0

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    def text(self, language: str) -> str:
        """The mandate in ``language``: the text the mapper compares recommendations with."""
        return self.mandate[language]


@dataclass(frozen=True, slots=True)
class Directory:
    country: str
    names: dict[str, str]
    bodies: tuple[Body, ...]

    def __getitem__(self, body_id: str) -> Body:
        for body in self.bodies:
            if body.id == body_id:
                return body
        raise KeyError(f"directory {self.country}: no body {body_id!r}")

    def __iter__(self) -> Iterator[Body]:
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)

    def ids(self) -> list[str]:
        return [body.id for body in self.bodies]


def _checked(where: str, name: str, values: Any, allowed: set[str] | None) -> tuple[str, ...]:
    values = tuple(str(v) for v in values or ())
    if allowed is not None:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise DirectoryError(f"{where}: field {name!r} names unknown values {unknown}")
    return values


def parse_directory(
    data: Any,
    source: str,
    upr_issues: set[str] | None = None,
    themes: set[str] | None = None,
    sdg_targets: set[str] | None = None,
) -> Directory:
    """Validate a directory; the optional sets are the known issue labels, theme codes and targets."""
    if not isinstance(data, dict) or not str(data.get("country") or "").strip():
        raise DirectoryError(f"{source}: field 'country' is missing")
    if not isinstance(data.get("bodies"), list) or not data["bodies"]:
        raise DirectoryError(f"{source}: expected a non-empty 'bodies' list")
    bodies, seen = [], set()
    for position, entry in enumerate(data["bodies"], start=1):
        body_id = str((entry or {}).get("id") or "").strip()
        if not body_id:
            raise DirectoryError(f"{source}, body #{position}: field 'id' is missing")
        where = f"{source}, body {body_id!r}"
        if body_id in seen:
            raise DirectoryError(f"{where}: duplicate id")
        seen.add(body_id)
        if entry.get("kind") not in KINDS:
            raise DirectoryError(f"{where}: field 'kind' is {entry.get('kind')!r}; expected one of {', '.join(KINDS)}")
        rules = entry.get("rules") or {}
        keywords = rules.get("keywords") or {}
        if not isinstance(keywords, dict) or set(keywords) - set(LANGUAGES):
            raise DirectoryError(f"{where}: field 'rules.keywords' must map ar/fr/en to lists")
        lead_prior = entry.get("lead_prior", 1.0)
        if isinstance(lead_prior, bool) or not isinstance(lead_prior, int | float) or not 0 < lead_prior <= 1:
            raise DirectoryError(f"{where}: field 'lead_prior' is {lead_prior!r}; expected a number in (0, 1]")
        bodies.append(
            Body(
                id=body_id,
                kind=entry["kind"],
                names=trilingual(where, entry.get("names"), "names", DirectoryError),
                mandate=trilingual(where, entry.get("mandate"), "mandate", DirectoryError),
                acronym=entry.get("acronym") or None,
                upr_issues=_checked(where, "rules.upr_issues", rules.get("upr_issues"), upr_issues),
                themes=_checked(where, "rules.themes", rules.get("themes"), themes),
                sdg_targets=_checked(where, "rules.sdg_targets", rules.get("sdg_targets"), sdg_targets),
                keywords={lang: tuple(words or ()) for lang, words in keywords.items()},
                lead_prior=float(lead_prior),
            )
        )
    return Directory(
        str(data["country"]).strip().upper(),
        trilingual(source, data.get("names"), "names", DirectoryError),
        tuple(bodies),
    )


def load_directory(
    country: str,
    folder: Path = DIRECTORY_DIR,
    upr_issues: set[str] | None = None,
    themes: set[str] | None = None,
    sdg_targets: set[str] | None = None,
) -> Directory:
    """Load ``<country>.yaml`` (e.g. ``ma``) from the directories folder, validated."""
    path = folder / f"{country.lower()}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DirectoryError(f"{path}: cannot read: {error}") from error
    return parse_directory(data, path.name, upr_issues, themes, sdg_targets)


def rule_vocabularies(data_dir: str | Path | None = None) -> dict[str, set[str]]:
    """What a directory's rules may name, as :func:`load_directory`'s keyword arguments: the UPR Info issue
    labels, the UHRI theme codes and the 169 SDG targets (read from the data directory)."""
    from corpora.taxonomies import load_taxonomy, sdg_taxonomies

    _, targets = sdg_taxonomies(data_dir)
    return {
        "upr_issues": {label.names["en"] for label in load_taxonomy("upr_issues")},
        "themes": set(load_taxonomy("uhri_themes").codes()),
        "sdg_targets": set(targets.codes()),
    }
