from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from service.deps import PipelineDep, SettingsDep
from service.schemas import SearchHitPublic, SearchResponse

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse)
def search(
    pipeline: PipelineDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, description="Query text in any supported language.")],
    k: Annotated[int, Query(ge=1, description="Number of results.")] = 10,
    lang: Annotated[str | None, Query(description="Only results in this language.")] = None,
    state: Annotated[str | None, Query(description="Only this state under review.")] = None,
    mechanism: Annotated[str | None, Query(description="Only this mechanism (UPR, CRC...).")] = None,
) -> SearchResponse:
    """Cross-lingual semantic search (a plain ``def``: the model runs in the thread pool)."""
    if k > settings.max_top_k:
        raise HTTPException(422, f"k: at most {settings.max_top_k}")
    if len(q) > settings.max_text_chars:
        raise HTTPException(422, f"q: at most {settings.max_text_chars} characters")
    hits = pipeline.search(q, k, language=lang, state_under_review=state, mechanism=mechanism)
    return SearchResponse(
        query=q, hits=[SearchHitPublic(score=hit.score, duplicates=list(hit.duplicates), **hit.record) for hit in hits]
    )
