"""Cluster matrices for national reports: one row per member, with its cluster and representative text."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from nlp.clustering import ClusterView
from nlp.records import METADATA_FIELDS

#: cluster fields, then the member's id, text and metadata
CLUSTER_COLUMNS = ("cluster_id", "cluster_size", "cohesion", "confirmed", "representative")
MEMBER_COLUMNS = ("id", "text", *METADATA_FIELDS)
EXPORT_COLUMNS = (*CLUSTER_COLUMNS, *MEMBER_COLUMNS)
EXPORT_FORMATS = ("csv", "xlsx")


def cluster_rows(views: Sequence[ClusterView]) -> list[list]:
    rows = []
    for view in views:
        for member in view.members:
            rows.append(
                [
                    view.cluster_id,
                    view.size,
                    round(view.cohesion, 4),
                    "yes" if view.confirmed else "no",
                    view.representative["text"],
                    *(member.get(column) for column in EXPORT_COLUMNS[5:]),
                ]
            )
    return rows


def write_clusters(views: Sequence[ClusterView], path: Path, fmt: str) -> int:
    """Write the matrix as CSV (UTF-8 with BOM, so spreadsheet programs read Arabic) or XLSX; return rows."""
    rows = cluster_rows(views)
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows(rows)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("clusters")
        sheet.append(list(EXPORT_COLUMNS))
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    return len(rows)
