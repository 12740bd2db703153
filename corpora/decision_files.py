"""Coordinators' ministry decisions read from a file: which body leads on each stored recommendation.

A CSV, XLSX or JSON Lines file with a header (or keys) naming:

- ``id``: the stored recommendation's id (required);
- ``lead`` or ``lead_ministry``: the id of the lead body in the country's directory;
- ``supporting`` or ``supporting_ministries`` (optional): ids of supporting bodies, separated by ``;``,
  ``,`` or ``|`` (a JSON list in JSON Lines).

These are the columns ``tawsiya export`` writes, so a coordinator can export, change the lead and
supporting bodies in a spreadsheet and read the file back. A row whose lead and supporting cells are
both empty says nothing and is skipped; a row with an unknown body, a supporting body without a lead,
or the lead among its supporting bodies is rejected with its line and field, and the other rows are
read. A file without an ``id`` or lead column raises :class:`corpora.tables.FileFormatError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence, Set
from pathlib import Path
from typing import Any

from corpora.tables import Columns, FileFormatError, read_table
from nlp.records import MinistryDecision, RowError

#: column names read, by field (the first found wins)
DECISION_COLUMNS = {
    "id": ("id",),
    "lead": ("lead", "lead_ministry"),
    "supporting": ("supporting", "supporting_ministries"),
}
#: supporting bodies a decision may name (as the API allows)
MAX_SUPPORTING = 10
_SEPARATORS = re.compile(r"[;,|]")


#: characters of a wrong value quoted in an error (a 1 MB cell is not echoed back)
SHOWN = 60


def _shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN else value[:SHOWN] + "…")


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _bodies(value: Any) -> list[str]:
    """The body ids of a cell or of a list of them (a JSON array, or repeated ``--supporting``), each of which
    may hold several separated by ``;``, ``,`` or ``|``."""
    cells = value if isinstance(value, list) else [value]
    return [body.strip() for cell in cells for body in _SEPARATORS.split(_cell(cell)) if body.strip()]


def _columns(names: Set[str], path: Path) -> dict[str, str]:
    """``{field: column}`` for the fields found among ``names``; the id and lead columns are required."""
    found = {
        field: next(column for column in candidates if column in names)
        for field, candidates in DECISION_COLUMNS.items()
        if any(column in names for column in candidates)
    }
    missing = [field for field in ("id", "lead") if field not in found]
    if missing:
        expected = "; ".join(" or ".join(repr(c) for c in DECISION_COLUMNS[field]) for field in missing)
        raise FileFormatError(
            f"{path.name}: no {' and no '.join(missing)} column; expected {expected} "
            f"(found: {', '.join(repr(c) for c in sorted(names)) or 'none'})"
        )
    return found


def unknown_bodies(lead: str, supporting: Sequence[str], known: Set[str]) -> tuple[str, str] | None:
    """``(field, message)`` for the first of ``lead`` and ``supporting`` that names no ``known`` body, or
    ``None``: the check of a decision read from a file and of one sent to the API alike."""
    if lead not in known:
        return "lead", f"unknown body {_shown(lead)}"
    unknown = [body for body in supporting if body not in known]
    if unknown:
        return "supporting", f"unknown bodies [{', '.join(_shown(body) for body in unknown[:5])}]"
    return None


def parse_decision(
    line: int, row: dict[str, Any], columns: dict[str, str], known: Set[str]
) -> MinistryDecision | RowError | None:
    """The decision of one row, a :class:`RowError` naming its field, or ``None`` for a row without one."""
    rec_id, lead = _cell(row.get(columns["id"])), _cell(row.get(columns["lead"]))
    supporting = _bodies(row.get(columns["supporting"])) if "supporting" in columns else []
    if not lead and not supporting:
        return None
    if not rec_id:
        return RowError(line, "no recommendation id", "id")
    if not lead:
        return RowError(line, "supporting bodies without a lead", "lead")
    problem = unknown_bodies(lead, supporting, known)
    if problem:
        field, message = problem
        return RowError(line, message, field)
    if lead in supporting:
        return RowError(line, f"the lead {lead!r} is also named as supporting", "supporting")
    supporting = list(dict.fromkeys(supporting))
    if len(supporting) > MAX_SUPPORTING:
        return RowError(line, f"{len(supporting)} supporting bodies; at most {MAX_SUPPORTING}", "supporting")
    return MinistryDecision(line, rec_id, lead, tuple(supporting))


def read_ministry_decisions(
    path: Path, fmt: str, known: Set[str], encoding: str | None = None
) -> Iterator[MinistryDecision | RowError]:
    """Each decision of the file at ``path`` (``fmt``: csv, xlsx or jsonl) checked against the ``known``
    body ids, or a :class:`RowError` for a row that cannot be read or names a wrong body."""
    header: dict[str, str] | None = None
    for item in read_table(path, fmt, encoding):
        if isinstance(item, RowError):
            yield item
            continue
        if isinstance(item, Columns):
            header = _columns(set(item.names), path)
            continue
        line, row = item
        columns = header
        if columns is None:  # a JSON Lines row names its own keys
            try:
                columns = _columns(set(row), path)
            except FileFormatError as error:
                yield RowError(line, str(error).split(": ", 1)[1])
                continue
        decision = parse_decision(line, row, columns, known)
        if decision is not None:
            yield decision
