from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from nlp.pipeline import Pipeline
from nlp.records import SearchHit
from nlp.store.listing import matching_pks
from service.auth import Reader
from service.deps import PipelineDep, ReferenceDep, SettingsDep, check_top_k
from service.presenters import details
from service.reference import Reference
from service.routes.filters import FilterDep, LabelLanguage
from service.schemas import SearchHitPublic, SearchResponse

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse)
def search(
    _: Reader,
    pipeline: PipelineDep,
    settings: SettingsDep,
    reference: ReferenceDep,
    where: FilterDep,
    q: Annotated[str, Query(min_length=1, description="Query text in any supported language.")],
    k: Annotated[int | None, Query(ge=1, description="Number of results (default 10).")] = None,
    label_lang: LabelLanguage = "en",
) -> SearchResponse:
    """Cross-lingual semantic search (a plain ``def``: the model runs in the thread pool).

    Each hit has its score, text, language, tags, bodies and cluster id."""
    k = check_top_k(settings, k)
    if len(q) > settings.max_text_chars:
        raise HTTPException(422, f"q: at most {settings.max_text_chars} characters")
    # language, state and mechanism are served by the store's in-memory snapshot; the rest by SQL
    rest = replace(where, language=None, state=None, mechanism=None)
    allowed = matching_pks(pipeline.store, rest)
    hits = pipeline.search(
        q, k, language=where.language, state_under_review=where.state, mechanism=where.mechanism, allowed_ids=allowed
    )
    return SearchResponse(query=q, hits=hits_of(pipeline, hits, reference, label_lang))


def hits_of(
    pipeline: Pipeline, hits: list[SearchHit], reference: Reference, label_lang: str = "en"
) -> list[SearchHitPublic]:
    known = {hit.pk: hit.record for hit in hits if hit.pk is not None}
    detailed = {d.id: d for d in details(pipeline, reference, list(known), label_lang, known)}
    return [
        SearchHitPublic(
            score=round(hit.score, 4),
            duplicates=list(hit.duplicates),
            **(detailed[hit.record["id"]].model_dump() if hit.record["id"] in detailed else hit.record),
        )
        for hit in hits
    ]
