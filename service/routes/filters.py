"""Query parameters shared by the listing, search and statistics routes."""

from typing import Annotated, Literal

from fastapi import Depends, Query

from nlp.store.listing import RecommendationFilter

LabelLanguage = Annotated[
    Literal["ar", "fr", "en"], Query(description="Language of the taxonomy labels and body names.")
]


def recommendation_filter(
    state: Annotated[str | None, Query(max_length=200, description="State under review.")] = None,
    mechanism: Annotated[str | None, Query(max_length=16, description="UPR, CRC, CEDAW, CAT, ...")] = None,
    cycle: Annotated[int | None, Query(ge=1, le=20)] = None,
    lang: Annotated[str | None, Query(max_length=8, description="Language of the recommendation.")] = None,
    response: Annotated[str | None, Query(max_length=50, description="Response (supported, noted).")] = None,
    sdg: Annotated[str | None, Query(max_length=8, description="SDG goal (4) or target (4.1).")] = None,
    theme: Annotated[str | None, Query(max_length=100, description="UHRI theme code.")] = None,
    persons: Annotated[str | None, Query(max_length=100, description="Affected-persons code.")] = None,
    ministry: Annotated[str | None, Query(max_length=100, description="Body id (lead or supporting).")] = None,
) -> RecommendationFilter:
    return RecommendationFilter(state, mechanism, cycle, lang, response, sdg, theme, persons, ministry)


FilterDep = Annotated[RecommendationFilter, Depends(recommendation_filter)]
