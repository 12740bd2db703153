from typing import Literal

from fastapi import APIRouter
from sqlalchemy import func, select

from nlp.store.schema import RecommendationRow
from service.auth import Reader
from service.deps import ClustersDep, PipelineDep, ReferenceDep
from service.reference import TAXONOMY_FIELDS
from service.routes.filters import FilterDep, LabelLanguage
from service.schemas import Count, LabelPublic, Stats
from service.statistics import statistics

router = APIRouter(tags=["reference"])
TaxonomyName = Literal["sdg-goals", "sdg-targets", "themes", "affected-persons", "upr-issues", "ministries"]


@router.get("/taxonomies/{name}", response_model=list[LabelPublic])
def taxonomy(_: Reader, reference: ReferenceDep, name: TaxonomyName, lang: LabelLanguage = "en") -> list[LabelPublic]:
    """Codes and labels of a taxonomy (or the bodies of the ministry directory) in Arabic, French or English."""
    if name == "ministries":
        return [
            LabelPublic(code=body.id, label=body.name(lang), description=body.mandate.get(lang), group=body.kind)
            for body in reference.directory
        ]
    return [
        LabelPublic(code=label.code, label=label.name(lang), description=label.description.get(lang), group=label.group)
        for label in reference.taxonomies[TAXONOMY_FIELDS[name]]
    ]


@router.get("/states", response_model=list[Count])
def states(_: Reader, pipeline: PipelineDep) -> list[Count]:
    """States under review with the number of stored recommendations, most first."""
    query = (
        select(RecommendationRow.state_under_review, func.count())
        .where(RecommendationRow.state_under_review.is_not(None))
        .group_by(RecommendationRow.state_under_review)
        .order_by(func.count().desc(), RecommendationRow.state_under_review)
    )
    with pipeline.store.session() as session:
        return [Count(key=state, count=count) for state, count in session.execute(query)]


@router.get("/stats", response_model=Stats)
def stats(
    _: Reader,
    pipeline: PipelineDep,
    reference: ReferenceDep,
    clusters: ClustersDep,
    where: FilterDep,
    label_lang: LabelLanguage = "en",
) -> Stats:
    """Counts for the dashboard over the recommendations matching the filters: per SDG goal, theme,
    ministry (lead), mechanism, response; clusters by size (of the state filtered on, or all)."""
    return statistics(pipeline, reference, clusters.repository, where, label_lang)
