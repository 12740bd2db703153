"""Cluster matrices for national reports: one row per member, with its cluster and representative text."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from nlp.clustering import ClusterView
from nlp.pipeline import Pipeline
from nlp.records import METADATA_FIELDS

#: cluster fields, then the member's id, text and metadata, then its effective bodies and tags
CLUSTER_COLUMNS = ("cluster_id", "cluster_size", "cohesion", "confirmed", "representative")
MEMBER_COLUMNS = ("id", "text", *METADATA_FIELDS)
#: a coordinator's decision names who made it; a proposal of the mapper leaves ``ministries_decided_by`` empty
MINISTRY_COLUMNS = ("lead_ministry", "supporting_ministries", "ministries_decided_by")
TAG_COLUMNS = ("sdg_goals", "sdg_targets", "themes", "affected_persons")
ANNOTATION_COLUMNS = (*MINISTRY_COLUMNS, *TAG_COLUMNS)
EXPORT_COLUMNS = (*CLUSTER_COLUMNS, *MEMBER_COLUMNS, *ANNOTATION_COLUMNS)
EXPORT_FORMATS = ("csv", "xlsx")


def member_annotations(pipeline: Pipeline, views: Sequence[ClusterView]) -> dict[str, dict[str, str]]:
    """The effective bodies and tags of every member (corrections win), as ``; ``-joined codes by id."""
    pks = pipeline.store.pks_of(member["id"] for view in views for member in view.members)
    tags = pipeline.store.get_tags(list(pks.values()))
    bodies = pipeline.annotations.ministries(list(pks.values()))
    out = {}
    for rec_id, pk in pks.items():
        found = bodies.get(pk) or {}
        row = {
            "lead_ministry": (found.get("lead") or {}).get("id", ""),
            "supporting_ministries": "; ".join(b["id"] for b in found.get("supporting", [])),
            "ministries_decided_by": found.get("decided_by") or "",
        }
        for field in TAG_COLUMNS:
            row[field] = "; ".join(tag["code"] for tag in tags.get(pk, {}).get(field, []))
        out[rec_id] = row
    return out


def cluster_rows(views: Sequence[ClusterView], annotations: dict[str, dict[str, str]] | None = None) -> list[list]:
    rows = []
    for view in views:
        for member in view.members:
            extra = (annotations or {}).get(member["id"], {})
            rows.append(
                [
                    view.cluster_id,
                    view.size,
                    round(view.cohesion, 4),
                    "yes" if view.confirmed else "no",
                    view.representative["text"],
                    *(member.get(column) for column in MEMBER_COLUMNS),
                    *(extra.get(column, "") for column in ANNOTATION_COLUMNS),
                ]
            )
    return rows


def write_clusters(
    views: Sequence[ClusterView], path: Path, fmt: str, annotations: dict[str, dict[str, str]] | None = None
) -> int:
    """Write the matrix as CSV (UTF-8 with BOM, so spreadsheet programs read Arabic) or XLSX; return rows."""
    rows = cluster_rows(views, annotations)
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows(rows)
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook(write_only=True)
        sheet = book.create_sheet("clusters")
        sheet.append(list(EXPORT_COLUMNS))
        for row in rows:  # a store from before control characters were dropped may still hold some
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        book.save(path)
    else:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    return len(rows)
