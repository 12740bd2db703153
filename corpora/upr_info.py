"""The UPR Info dev set as labelled data for the issue classifier, with its state-grouped test split.

The split is by state under review: a state is in the test split when the SHA-1 of its name, as
written in the export, is 0 modulo 5 (32 of the 161 states, 9,460 labelled rows). Session 27 rows
carry no labels and are left out.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpora.paths import UPR_INFO_DEV, UPR_INFO_ISSUES, data_file
from nlp.text import clean_display

logger = logging.getLogger(__name__)


def is_test_state(raw_state: str) -> bool:
    """Whether a state (its name exactly as in the export) belongs to the held-out test split."""
    return int(hashlib.sha1(raw_state.encode("utf-8")).hexdigest(), 16) % 5 == 0


@dataclass(frozen=True, slots=True)
class LabelledRecommendation:
    row_id: int
    text: str
    state: str
    labels: tuple[str, ...]
    test: bool


def load_issue_vocabulary(data_dir: str | Path | None = None) -> list[str]:
    """The 56 UPR Info issue labels, most frequent first."""
    with data_file(data_dir, UPR_INFO_ISSUES).open(encoding="utf-8", newline="") as handle:
        return [row["issue"] for row in csv.DictReader(handle)]


def load_labelled(data_dir: str | Path | None = None) -> list[LabelledRecommendation]:
    """Every dev-set recommendation that has at least one issue label."""
    vocabulary = set(load_issue_vocabulary(data_dir))
    rows = []
    with data_file(data_dir, UPR_INFO_DEV).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labels = tuple(label for label in row["issues"].split("|") if label)
            if not labels:
                continue
            unknown = set(labels) - vocabulary
            if unknown:
                raise ValueError(f"row {row['row_id']}: labels not in the vocabulary: {sorted(unknown)}")
            rows.append(
                LabelledRecommendation(
                    int(row["row_id"]),
                    clean_display(row["recommendation"]),
                    clean_display(row["state_under_review"]),
                    labels,
                    is_test_state(row["state_under_review"]),
                )
            )
    return rows


def dev_texts(row_ids: set[int], data_dir: str | Path | None = None) -> dict[int, str]:
    """The display texts of the dev-set rows ``row_ids`` (rows not in the file are absent)."""
    with data_file(data_dir, UPR_INFO_DEV).open(encoding="utf-8", newline="") as handle:
        return {
            int(row["row_id"]): clean_display(row["recommendation"])
            for row in csv.DictReader(handle)
            if int(row["row_id"]) in row_ids
        }


def parse_row_reference(line: str, where: str, error: type[ValueError]) -> tuple[dict, int]:
    """A JSON Lines line naming a dev-set row (``{"row_id": …, …}``): the object and its row id;
    a malformed line raises ``error`` naming ``where`` and the field."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as decode_error:
        raise error(f"{where}: not valid JSON: {decode_error.msg}") from decode_error
    if not isinstance(entry, dict):
        raise error(f"{where}: expected a JSON object")
    row_id = entry.get("row_id")
    if isinstance(row_id, bool) or not isinstance(row_id, int):
        raise error(f"{where}: field 'row_id' is {row_id!r}; expected an integer")
    return entry, row_id


def read_row_references(
    path: Path, parse: Callable[[str, str], tuple[int, Any]], error: type[ValueError], data_dir: str | Path | None
) -> list[tuple[int, str, Any]]:
    """``(row_id, text, parsed)`` for every line of a JSON Lines file whose lines name dev-set rows.

    ``parse(line, where)`` checks one line and gives ``(row_id, parsed)``; a row named twice, or
    not in the dev set, raises ``error`` naming the line. Without the file, or when the dev set
    cannot be read (logged), there is nothing.
    """
    if not path.exists():
        return []
    parsed, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, line {number}"
        row_id, value = parse(line, where)
        if row_id in seen:
            raise error(f"{where}: field 'row_id' repeats row {row_id}")
        seen.add(row_id)
        parsed.append((where, row_id, value))
    try:
        texts = dev_texts(seen, data_dir)
    except OSError as read_error:
        logger.warning("%s left out: the UPR Info dev set cannot be read (%s)", path.name, read_error)
        return []
    for where, row_id, _ in parsed:
        if row_id not in texts:
            raise error(f"{where}: field 'row_id' is not a row of {UPR_INFO_DEV}")
    return [(row_id, texts[row_id], value) for _, row_id, value in parsed]
