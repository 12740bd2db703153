"""Request and response schemas of the HTTP API, separate from the core's dataclasses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    recommendations: int
    indexed: int
    embedding_model: str


class RecommendationPublic(BaseModel):
    id: str
    text: str
    language: str
    mechanism: str | None = None
    state_under_review: str | None = None
    recommending_state: str | None = None
    cycle: int | None = None
    session: int | None = None
    year: int | None = None
    document: str | None = None
    paragraph: str | None = None
    response: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class SearchHitPublic(RecommendationPublic):
    score: float = Field(description="Cosine similarity between the query and the recommendation.")
    duplicates: list[str] = Field(
        default_factory=list, description="Ids of stored recommendations with the same normalised text."
    )


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHitPublic]


class ErrorResponse(BaseModel):
    detail: str
