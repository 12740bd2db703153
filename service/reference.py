"""The taxonomies and the ministry directory the service shows labels from, loaded once."""

from __future__ import annotations

from dataclasses import dataclass

from corpora.decision_files import unknown_bodies
from corpora.ministries import Directory
from corpora.taxonomies import Taxonomy, load_all, sdg_taxonomies
from service.config import Settings

#: taxonomy names of the API (``GET /taxonomies/{name}``) and the tag field each one labels
TAXONOMY_FIELDS = {
    "sdg-goals": "sdg_goals",
    "sdg-targets": "sdg_targets",
    "themes": "themes",
    "affected-persons": "affected_persons",
    "upr-issues": "upr_issues",
}


@dataclass(frozen=True)
class Reference:
    taxonomies: dict[str, Taxonomy]
    directory: Directory

    @classmethod
    def load(cls, settings: Settings) -> Reference:
        from service.factory import load_configured_directory

        loaded = load_all()
        goals, targets = sdg_taxonomies(settings.data_dir)
        by_field = {
            "sdg_goals": goals,
            "sdg_targets": targets,
            "themes": loaded["uhri_themes"],
            "affected_persons": loaded["affected_persons"],
            "upr_issues": loaded["upr_issues"],
        }
        return cls(by_field, load_configured_directory(settings))

    def label(self, field: str, code: str, language: str = "en") -> str | None:
        taxonomy = self.taxonomies.get(field)
        if taxonomy is None:
            return None
        try:
            return taxonomy[code].name(language)
        except KeyError:
            return None

    def body_name(self, body_id: str, language: str = "en") -> str | None:
        try:
            return self.directory[body_id].name(language)
        except KeyError:
            return None

    def unknown_bodies(self, lead: str, supporting: list[str]) -> str | None:
        """What is wrong with a coordinator's ``lead`` and ``supporting`` bodies (field first), or ``None``: the
        check of a decision file (:func:`corpora.decision_files.unknown_bodies`), naming the directory."""
        problem = unknown_bodies(lead, supporting, set(self.directory.ids()))
        if problem is None:
            return None
        field, message = problem
        return f"{field}: {message} in directory {self.directory.country}"

    def codes(self, field: str) -> set[str]:
        return set(self.taxonomies[field].codes())
