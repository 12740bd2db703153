"""Counts of stored recommendations for the dashboard (effective tags and bodies: corrections win)."""

from __future__ import annotations

from sqlalchemy import func, select

from nlp.pipeline import Pipeline
from nlp.store.annotation_repository import effective_body, effective_tag
from nlp.store.cluster_repository import ClusterRepository
from nlp.store.listing import RecommendationFilter
from nlp.store.schema import MinistryAssignmentRow, RecommendationRow, TagRow
from service.reference import Reference
from service.schemas import Count, Stats


def statistics(
    pipeline: Pipeline, reference: Reference, clusters: ClusterRepository, where: RecommendationFilter, lang: str
) -> Stats:
    conditions = where.conditions()
    selected = select(RecommendationRow.pk).where(*conditions)
    with pipeline.store.session() as session:
        total = session.scalar(select(func.count()).select_from(RecommendationRow).where(*conditions)) or 0

        def by_column(column) -> list[Count]:
            query = select(column, func.count()).where(*conditions).group_by(column).order_by(func.count().desc())
            return [Count(key=str(key or "unknown"), count=n) for key, n in session.execute(query)]

        def by_tag(field: str) -> list[Count]:
            query = (
                select(TagRow.code, func.count(func.distinct(TagRow.rec_pk)))
                .where(
                    TagRow.field == field,
                    TagRow.code != "",
                    TagRow.rec_pk.in_(selected),
                    effective_tag(),
                )
                .group_by(TagRow.code)
                .order_by(func.count(func.distinct(TagRow.rec_pk)).desc())
            )
            return [
                Count(key=code, label=reference.label(field, code, lang), count=n) for code, n in session.execute(query)
            ]

        lead_query = (
            select(MinistryAssignmentRow.body_id, func.count())
            .where(
                MinistryAssignmentRow.role == "lead",
                MinistryAssignmentRow.rec_pk.in_(selected),
                effective_body(),
            )
            .group_by(MinistryAssignmentRow.body_id)
            .order_by(func.count().desc())
        )
        per_ministry = [
            Count(key=body, label=reference.body_name(body, lang), count=n) for body, n in session.execute(lead_query)
        ]
        per_goal = sorted(by_tag("sdg_goals"), key=lambda c: int(c.key) if c.key.isdigit() else 99)
        result = Stats(
            total=total,
            per_sdg_goal=per_goal,
            per_theme=by_tag("themes"),
            per_ministry=per_ministry,
            per_mechanism=by_column(RecommendationRow.mechanism),
            per_response=by_column(RecommendationRow.response),
            cluster_sizes=[],
        )
    sizes = clusters.size_counts(where.state)
    result.cluster_sizes = [Count(key=str(size), count=n) for size, n in sorted(sizes.items())]
    return result
