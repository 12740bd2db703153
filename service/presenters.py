"""Stored recommendations, clusters and annotations turned into the API's response schemas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nlp.annotation import Annotation
from nlp.cluster_bodies import aggregate
from nlp.clustering import ClusterView
from nlp.pipeline import Pipeline
from nlp.store.cluster_repository import ClusterRepository
from service.reference import Reference
from service.schemas import (
    BodyPublic,
    ClusterPublic,
    MinistriesPublic,
    RecommendationDetail,
    TagPublic,
)

GLOBAL_SCOPE = "*"


def details(
    pipeline: Pipeline,
    reference: Reference,
    pks: Sequence[int],
    language: str = "en",
    records: dict[int, dict[str, Any]] | None = None,
) -> list[RecommendationDetail]:
    """Recommendations with their effective tags, bodies and cluster, in the order of ``pks``
    (``records``: the stored records when the caller has them already)."""
    records = records if records is not None else pipeline.store.get_records(pks)
    tags = pipeline.store.get_tags(pks)
    corrected = pipeline.annotations.corrected_tag_fields(pks)
    bodies = pipeline.annotations.ministries(pks)
    clusters = ClusterRepository(pipeline.store).cluster_ids_of(list(pks))
    out = []
    for pk in pks:
        record = records.get(pk)
        if record is None:
            continue
        scopes = clusters.get(pk, {})
        out.append(
            RecommendationDetail(
                **record,
                tags=_tags(reference, tags.get(pk, {}), language),
                tags_corrected=corrected.get(pk, []),
                ministries=_ministries(reference, bodies.get(pk), language),
                cluster_id=scopes.get(record.get("state_under_review") or "") or scopes.get(GLOBAL_SCOPE),
            )
        )
    return out


def _tags(reference: Reference, by_field: dict[str, list[dict[str, Any]]], language: str) -> dict[str, list[TagPublic]]:
    return {
        field: [TagPublic(label=reference.label(field, tag["code"], language), **tag) for tag in tags]
        for field, tags in by_field.items()
    }


def _ministries(reference: Reference, found: dict[str, Any] | None, language: str) -> MinistriesPublic | None:
    if not found:
        return None

    def body(entry: dict[str, Any]) -> BodyPublic:
        return BodyPublic(name=reference.body_name(entry["id"], language), **entry)

    return MinistriesPublic(
        lead=body(found["lead"]) if found["lead"] else None,
        supporting=[body(entry) for entry in found["supporting"]],
        alternatives=[body(entry) for entry in found.get("alternatives", [])],
        source=found["source"],
        decided_by=found.get("decided_by"),
        decided_at=found.get("decided_at"),
    )


def annotation_tags(reference: Reference, annotation: Annotation, language: str) -> dict[str, list[TagPublic]]:
    return {
        field: [
            TagPublic(
                code=t.code,
                label=reference.label(field, t.code, language) or t.label,
                score=round(t.score, 4),
                reason=t.reason,
            )
            for t in tags
        ]
        for field, tags in annotation.tags.items()
    }


def annotation_ministries(reference: Reference, annotation: Annotation, language: str) -> MinistriesPublic | None:
    assignment = annotation.assignment
    if assignment is None:
        return None

    def body(score) -> BodyPublic:
        return BodyPublic(
            id=score.id, name=reference.body_name(score.id, language), score=round(score.score, 4), reason=score.reason
        )

    return MinistriesPublic(
        lead=body(assignment.lead),
        supporting=[body(s) for s in assignment.supporting],
        alternatives=[body(s) for s in assignment.alternatives],
    )


def cluster(
    view: ClusterView, pipeline: Pipeline | None = None, reference: Reference | None = None, language: str = "en"
) -> ClusterPublic:
    """A cluster; with the pipeline and reference, also the aggregate of its members' bodies."""
    bodies = None
    if pipeline is not None and reference is not None:
        pks = list(pipeline.store.pks_of(m["id"] for m in view.members).values())
        found = pipeline.annotations.ministries(pks)
        bodies = _ministries(reference, aggregate([found.get(pk) for pk in pks]), language)
    return ClusterPublic(
        ministries=bodies,
        id=view.cluster_id,
        scope=view.scope,
        size=view.size,
        cohesion=round(view.cohesion, 4),
        confirmed=view.confirmed,
        representative=view.representative,
        members=view.members,
    )
