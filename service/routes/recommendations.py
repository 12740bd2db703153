from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Query

from corpora.recommendation_files import RowError, build_recommendation
from nlp.importer import check_ids
from nlp.records import SourceRow
from nlp.store.listing import page_of
from service.auth import Coordinator, Reader
from service.deps import PipelineDep, ReferenceDep, SettingsDep, check_page_size, check_top_k
from service.presenters import details
from service.routes.filters import FilterDep, LabelLanguage
from service.schemas import (
    AddResult,
    MinistryCorrection,
    RecommendationBatch,
    RecommendationDetail,
    RecommendationIn,
    RecommendationPage,
    SearchResponse,
)

router = APIRouter(prefix="/recommendations", tags=["recommendations"])
TAG_FIELDS_CORRECTABLE = ("sdg_goals", "sdg_targets", "themes", "affected_persons", "upr_issues")


@router.post("", response_model=AddResult, status_code=201)
def add_recommendations(
    _: Coordinator,
    pipeline: PipelineDep,
    settings: SettingsDep,
    payload: Annotated[RecommendationIn | RecommendationBatch, Body(description="One, or {items: [...]}")],
) -> AddResult:
    """Add recommendations: each is tagged, mapped to ministries, indexed and clustered before the answer."""
    items = payload.items if isinstance(payload, RecommendationBatch) else [payload]
    if len(items) > settings.max_batch_size:
        raise HTTPException(422, f"items: at most {settings.max_batch_size} per request")
    rows = []
    for position, item in enumerate(items):
        built = build_recommendation(position + 1, item.model_dump(exclude_none=True), settings.max_text_chars)
        if isinstance(built, RowError):
            raise HTTPException(422, f"items[{position}].{built.field or 'text'}: {built.message}")
        rows.append(SourceRow(position + 1, built))
    conflicts = check_ids(pipeline.store, rows).conflicts
    if conflicts:
        raise HTTPException(409, f"items[{conflicts[0].line - 1}].id: {conflicts[0].message}")
    summary = pipeline.import_rows(rows, "api", "json")
    if summary.rejected:  # an id taken by another request since the check: the other items are stored
        first = summary.rejected[0]
        raise HTTPException(409, f"items[{first.line - 1}].{first.field}: {first.message}; the other items were stored")
    return AddResult(
        inserted=summary.inserted,
        already_stored=summary.already_stored,
        ids=[row.recommendation.id for row in rows],
    )


@router.get("", response_model=RecommendationPage)
def list_recommendations(
    _: Reader,
    pipeline: PipelineDep,
    settings: SettingsDep,
    reference: ReferenceDep,
    where: FilterDep,
    label_lang: LabelLanguage = "en",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> RecommendationPage:
    """Stored recommendations matching every filter given, oldest first."""
    page_size = check_page_size(settings, page_size)
    pks, total = page_of(pipeline.store, where, page, page_size)
    return RecommendationPage(
        items=details(pipeline, reference, pks, label_lang), page=page, page_size=page_size, total=total
    )


def _pk(pipeline, rec_id: str) -> int:
    pk = pipeline.store.pk_of(rec_id)
    if pk is None:
        raise HTTPException(404, f"id: no recommendation {rec_id!r}")
    return pk


@router.get("/{rec_id}", response_model=RecommendationDetail)
def get_recommendation(
    _: Reader, pipeline: PipelineDep, reference: ReferenceDep, rec_id: str, label_lang: LabelLanguage = "en"
) -> RecommendationDetail:
    """A recommendation with its tags (automatic, or corrected), bodies and cluster."""
    return details(pipeline, reference, [_pk(pipeline, rec_id)], label_lang)[0]


@router.get("/{rec_id}/similar", response_model=SearchResponse)
def similar(
    _: Reader,
    pipeline: PipelineDep,
    settings: SettingsDep,
    reference: ReferenceDep,
    rec_id: str,
    k: Annotated[int | None, Query(ge=1)] = None,
    label_lang: LabelLanguage = "en",
) -> SearchResponse:
    """The stored recommendations nearest to this one, in any language."""
    from service.routes.search import hits_of

    k = check_top_k(settings, k)
    _pk(pipeline, rec_id)
    vector = pipeline.store.vectors_of([rec_id], pipeline.embedder.name).get(rec_id)
    if vector is None:
        raise HTTPException(409, f"id: {rec_id!r} has no vector from the configured model; run `tawsiya reindex`")
    hits = pipeline.similar_to(vector, k + 1)
    text = pipeline.store.get_by_id(rec_id)["text"]
    return SearchResponse(
        query=text, hits=hits_of(pipeline, [h for h in hits if h.record["id"] != rec_id][:k], reference, label_lang)
    )


@router.put("/{rec_id}/tags", response_model=RecommendationDetail)
def correct_tags(
    who: Coordinator,
    pipeline: PipelineDep,
    reference: ReferenceDep,
    rec_id: str,
    corrections: Annotated[dict[str, list[str]], Body(examples=[{"themes": ["prohibition-of-torture"]}])],
) -> RecommendationDetail:
    """Set a coordinator's tags by field; automatic tags never overwrite them (``[]`` means: none)."""
    pk = _pk(pipeline, rec_id)
    for field, codes in corrections.items():
        if field not in TAG_FIELDS_CORRECTABLE:
            raise HTTPException(422, f"{field}: unknown tag field; expected one of {', '.join(TAG_FIELDS_CORRECTABLE)}")
        unknown = sorted(set(codes) - reference.codes(field))
        if unknown:
            raise HTTPException(422, f"{field}: unknown codes {unknown}")
        if len(codes) > 50:
            raise HTTPException(422, f"{field}: at most 50 codes")
    pipeline.annotations.correct_tags(pk, corrections, who.name)
    return details(pipeline, reference, [pk])[0]


@router.delete("/{rec_id}/tags", response_model=RecommendationDetail)
def withdraw_tags(
    _: Coordinator,
    pipeline: PipelineDep,
    reference: ReferenceDep,
    rec_id: str,
    field: Annotated[list[str] | None, Query(description="Fields to withdraw (default: every field).")] = None,
) -> RecommendationDetail:
    """Withdraw the coordinator's tags of the fields named: their automatic tags stand again."""
    pk = _pk(pipeline, rec_id)
    unknown = sorted(set(field or []) - set(TAG_FIELDS_CORRECTABLE))
    if unknown:
        raise HTTPException(422, f"field: unknown tag fields {unknown}; expected {', '.join(TAG_FIELDS_CORRECTABLE)}")
    pipeline.annotations.withdraw_tags(pk, field or TAG_FIELDS_CORRECTABLE)
    return details(pipeline, reference, [pk])[0]


@router.put("/{rec_id}/ministries", response_model=RecommendationDetail)
def correct_ministries(
    who: Coordinator, pipeline: PipelineDep, reference: ReferenceDep, rec_id: str, correction: MinistryCorrection
) -> RecommendationDetail:
    """Set the lead and supporting bodies; the mapper learns from it at once for similar recommendations."""
    pk = _pk(pipeline, rec_id)
    problem = reference.unknown_bodies(correction.lead, correction.supporting)
    if problem:
        raise HTTPException(422, problem)
    pipeline.correct_ministries(rec_id, correction.lead, correction.supporting, who.name)
    return details(pipeline, reference, [pk])[0]


@router.delete("/{rec_id}/ministries", response_model=RecommendationDetail)
def withdraw_ministries(
    _: Coordinator, pipeline: PipelineDep, reference: ReferenceDep, rec_id: str
) -> RecommendationDetail:
    """Withdraw a coordinator's bodies: the mapper's proposal stands again, and the mapper forgets the decision
    (nothing happens when there was none)."""
    pk = _pk(pipeline, rec_id)
    pipeline.withdraw_ministry_decisions([rec_id])
    return details(pipeline, reference, [pk])[0]
