"""Example assignments shipped beside a country's directory: the past decisions the mapper starts from.

``corpora/ministries/<country>_examples.jsonl`` holds one decision per line::

    {"row_id": 1157, "lead": "justice", "supporting": ["parliament"], "note": "reason in a few words"}

``row_id`` is a row of the UPR Info dev set (``upr_info_2018_dev.csv`` in the data directory), whose
text is read from there, not copied; ``lead`` and ``supporting`` (0 to 3 ids, never the lead) are ids
of the directory. The mapper weighs these decisions below a coordinator's own corrections. A file
with a broken line raises :class:`corpora.ministries.DirectoryError` naming the file, the line and
the field; a country without a file, or a data directory without the dev set, has no examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpora.ministries import DIRECTORY_DIR, Directory, DirectoryError
from corpora.upr_info import parse_row_reference, read_row_references

MAX_SUPPORTING = 3


@dataclass(frozen=True, slots=True)
class ExampleDecision:
    row_id: int
    text: str
    lead: str
    supporting: tuple[str, ...]
    note: str
    #: the language of ``text``: a dev-set row is English; training also learns our translations of some
    language: str = "en"


def examples_path(country: str, folder: Path = DIRECTORY_DIR) -> Path:
    return folder / f"{country.lower()}_examples.jsonl"


def checked_bodies(entry: dict, where: str, known: set[str]) -> tuple[str, tuple[str, ...]]:
    """The ``lead`` and ``supporting`` ids of a decision ``entry``, checked against the ``known`` body ids;
    a wrong one raises :class:`DirectoryError` naming ``where`` and the field."""
    lead = entry.get("lead")
    if lead not in known:
        raise DirectoryError(f"{where}: field 'lead' names unknown body {lead!r}")
    supporting = entry.get("supporting") or []
    if not isinstance(supporting, list) or len(supporting) > MAX_SUPPORTING:
        raise DirectoryError(f"{where}: field 'supporting' must be a list of at most {MAX_SUPPORTING} ids")
    unknown = [body for body in supporting if body not in known]
    if unknown:
        raise DirectoryError(f"{where}: field 'supporting' names unknown bodies {unknown}")
    if lead in supporting:
        raise DirectoryError(f"{where}: field 'supporting' repeats the lead {lead!r}")
    return lead, tuple(supporting)


def _parse_line(line: str, where: str, known: set[str]) -> tuple[int, str, tuple[str, ...], str]:
    entry, row_id = parse_row_reference(line, where, DirectoryError)
    lead, supporting = checked_bodies(entry, where, known)
    return row_id, lead, supporting, str(entry.get("note") or "")


def load_example_decisions(
    directory: Directory, data_dir: str | Path | None = None, folder: Path = DIRECTORY_DIR
) -> list[ExampleDecision]:
    """The shipped example decisions of ``directory``'s country, with their texts (validated)."""
    path = examples_path(directory.country, folder)
    known = set(directory.ids())

    def parse(line: str, where: str) -> tuple[int, tuple[str, tuple[str, ...], str]]:
        row_id, lead, supporting, note = _parse_line(line, where, known)
        return row_id, (lead, supporting, note)

    return [
        ExampleDecision(row_id, text, lead, supporting, note)
        for row_id, text, (lead, supporting, note) in read_row_references(path, parse, DirectoryError, data_dir)
    ]
