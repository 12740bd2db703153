"""Labelled example recommendations for the theme, affected-persons and SDG taggers.

``corpora/taxonomies/tagging_examples.jsonl`` holds one example per line::

    {"row_id": 152, "themes": ["rights-name-identity-nationality"], "sdg_goals": ["16"],
     "sdg_targets": ["16.9"], "affected_persons": ["children"]}

``row_id`` is a row of the UPR Info dev set (its text is read from the data directory, not copied);
the labels follow ``evaluation/data/tagging_guideline.md``. No example comes from a state of the
held-out split or from the evaluation set. A broken line raises :class:`TaggingExampleError` naming
the line and the field; without the file, or without the dev set, there are no examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from corpora.taxonomies import TAXONOMY_DIR
from corpora.upr_info import parse_row_reference, read_row_references

EXAMPLES_FILE = TAXONOMY_DIR / "tagging_examples.jsonl"
FIELDS = ("themes", "sdg_goals", "sdg_targets", "affected_persons")


class TaggingExampleError(ValueError):
    """A line of the examples file is malformed: the message names the file, the line and the field."""


@dataclass(frozen=True, slots=True)
class TaggingExample:
    row_id: int
    text: str
    labels: dict[str, tuple[str, ...]]


def _parse(line: str, where: str, codes: Mapping[str, set[str]]) -> tuple[int, dict[str, tuple[str, ...]]]:
    entry, row_id = parse_row_reference(line, where, TaggingExampleError)
    labels = {}
    for field in FIELDS:
        values = entry.get(field) or []
        if not isinstance(values, list):
            raise TaggingExampleError(f"{where}: field {field!r} must be a list of codes")
        values = tuple(str(value) for value in values)
        unknown = [value for value in values if field in codes and value not in codes[field]]
        if unknown:
            raise TaggingExampleError(f"{where}: field {field!r} names unknown codes {unknown}")
        labels[field] = values
    missing_goals = {target.split(".")[0] for target in labels["sdg_targets"]} - set(labels["sdg_goals"])
    if missing_goals:
        raise TaggingExampleError(f"{where}: field 'sdg_goals' lacks the goals of its targets: {sorted(missing_goals)}")
    return row_id, labels


def load_tagging_examples(
    codes: Mapping[str, set[str]], data_dir: str | Path | None = None, path: Path = EXAMPLES_FILE
) -> list[TaggingExample]:
    """The labelled examples with their texts, validated against ``codes`` (field → known codes)."""
    rows = read_row_references(path, lambda line, where: _parse(line, where, codes), TaggingExampleError, data_dir)
    return [TaggingExample(row_id, text, labels) for row_id, text, labels in rows]
