"""Request and response schemas of the HTTP API, separate from the core's dataclasses."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: characters of a wrong value an error quotes back
QUOTED = 200


def shortened(value: Any, depth: int = 0) -> Any:
    """``value`` with every string cut to :data:`QUOTED` characters and containers to their first items, so that an
    error about a huge input stays small."""
    if isinstance(value, str):
        return value if len(value) <= QUOTED else value[:QUOTED] + "…"
    if depth >= 3:
        return "…"
    if isinstance(value, dict):
        return {str(k)[:QUOTED]: shortened(v, depth + 1) for k, v in list(value.items())[:20]}
    if isinstance(value, list | tuple):
        return [shortened(v, depth + 1) for v in value[:20]]
    return value


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


class ErrorResponse(BaseModel):
    """Every error: a message naming the field, row or resource at fault, or FastAPI's list of
    validation errors (each with its ``loc`` and ``msg``)."""

    detail: str | list[dict[str, Any]]


#: the error responses every keyed route may give, declared in the OpenAPI schema
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (400, "Malformed request body"),
        (401, "Missing, unknown or revoked API key"),
        (403, "The key's role is below the route's"),
        (404, "No such resource"),
        (409, "The resource is in a state that forbids the action"),
        (413, "Upload too large"),
        (422, "A field, row or limit is not respected (the message names it)"),
    )
}


# --- access ------------------------------------------------------------------------------------


class Me(BaseModel):
    name: str
    role: str


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"\S", description="Who or what uses the key.")
    role: Literal["reader", "coordinator", "admin"]


class KeyInfo(BaseModel):
    id: int
    name: str
    role: str
    prefix: str
    revoked: bool
    created_at: str


class KeyCreated(BaseModel):
    id: int
    name: str
    role: str
    key: str = Field(description="The key itself: shown once, only its hash is kept.")


# --- imports -----------------------------------------------------------------------------------


class RejectedRow(BaseModel):
    line: int
    field: str | None = None
    message: str


class DecisionResult(BaseModel):
    """What a file of ministry decisions did."""

    #: recommendations whose bodies the file set
    applied: int
    #: decisions already stored as they are (an unchanged proposal stays a proposal)
    unchanged: int
    rejected: list[RejectedRow] = Field(default_factory=list)


class ImportJob(BaseModel):
    id: int
    source: str
    format: str
    #: ``done`` once every stored row is searchable and its states re-clustered
    status: Literal["queued", "running", "done", "failed", "interrupted"]
    rows_total: int | None = None
    rows_read: int
    inserted: int
    already_stored: int
    rejected_count: int
    rejected: list[RejectedRow] = Field(default_factory=list)
    file_error: str | None = None
    resumable: bool = False
    started_at: str | None = None
    finished_at: str | None = None


# --- recommendations ---------------------------------------------------------------------------


class RecommendationIn(BaseModel):
    """One recommendation to add (the fields of the generic import format)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    id: str | None = Field(default=None, max_length=200)
    mechanism: str | None = None
    state_under_review: str | None = Field(default=None, max_length=200)
    recommending_state: str | None = Field(default=None, max_length=2000)
    cycle: int | None = Field(default=None, ge=1, le=20)
    session: int | None = Field(default=None, ge=1, le=200)
    year: int | None = Field(default=None, ge=1946, le=2100)
    document: str | None = Field(default=None, max_length=200)
    paragraph: str | None = Field(default=None, max_length=50)
    language: str | None = None
    response: str | None = Field(default=None, max_length=50)


class RecommendationBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[RecommendationIn] = Field(min_length=1)


class AddResult(BaseModel):
    inserted: int
    already_stored: int
    ids: list[str]


class TagPublic(BaseModel):
    code: str
    label: str | None = None
    score: float
    reason: str
    source: str = "auto"
    decided_by: str | None = Field(default=None, description="who set a coordinator's tag: the API key's name")


class BodyPublic(BaseModel):
    id: str
    name: str | None = None
    score: float = Field(
        description="the weighted evidence for the body in its role, on one scale for the three roles (the lead's "
        "lead score; a supporting body's or an alternative's the weighted mean of what proposed or ordered it); "
        "1 for a coordinator's bodies"
    )
    reason: str


class MinistriesPublic(BaseModel):
    lead: BodyPublic | None = None
    supporting: list[BodyPublic] = Field(default_factory=list)
    alternatives: list[BodyPublic] = Field(
        default_factory=list,
        description="other bodies that could lead, best first (the mapper's next choices for the lead that are "
        "not supporting; none once a coordinator set the bodies)",
    )
    source: str = Field(default="auto", description="'auto' (the mapper) or 'manual' (a coordinator's correction)")
    decided_by: str | None = Field(
        default=None, description="who set a coordinator's bodies: the API key's name, or the command line's user"
    )
    decided_at: str | None = Field(default=None, description="when a coordinator set them (UTC, ISO 8601)")


class RecommendationDetail(RecommendationPublic):
    tags: dict[str, list[TagPublic]] = Field(default_factory=dict)
    tags_corrected: list[str] = Field(
        default_factory=list, description="The tag fields a coordinator set (one set to no tag included)."
    )
    ministries: MinistriesPublic | None = None
    cluster_id: str | None = None


class SearchHitPublic(RecommendationDetail):
    score: float = Field(
        description="Cosine similarity between the query and the recommendation, less the ranking's small "
        "penalties among near-equal candidates (another commitment level or other key terms than the "
        "query's, a generic near-twin); a stored copy of the query scores 1."
    )
    duplicates: list[str] = Field(
        default_factory=list, description="Ids of stored recommendations with the same normalised text."
    )


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHitPublic]


class RecommendationPage(BaseModel):
    items: list[RecommendationDetail]
    page: int
    page_size: int
    total: int


class MinistryCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lead: str = Field(min_length=1, max_length=100)
    supporting: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=10)


class TagRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texts: list[str] = Field(min_length=1)
    languages: list[str | None] | None = None


class TextAnnotation(BaseModel):
    text: str
    language: str
    tags: dict[str, list[TagPublic]]
    ministries: MinistriesPublic | None = None


class TagResponse(BaseModel):
    results: list[TextAnnotation]


# --- clusters ----------------------------------------------------------------------------------


class ClusterPublic(BaseModel):
    id: str
    scope: str
    size: int
    cohesion: float
    confirmed: bool
    representative: dict[str, Any]
    members: list[dict[str, Any]]
    ministries: MinistriesPublic | None = Field(
        default=None, description="The bodies of the cluster: the aggregate of its members' (corrections included)."
    )


class ClusterPage(BaseModel):
    items: list[ClusterPublic]
    page: int
    page_size: int
    total: int


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cluster_id: str
    other_id: str


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recommendation_ids: list[str] = Field(min_length=1, max_length=500)


# --- reference and statistics ------------------------------------------------------------------


class LabelPublic(BaseModel):
    code: str
    label: str
    description: str | None = None
    group: str | None = None


class Count(BaseModel):
    key: str
    label: str | None = None
    count: int


class Stats(BaseModel):
    total: int
    per_sdg_goal: list[Count]
    per_theme: list[Count]
    per_ministry: list[Count]
    per_mechanism: list[Count]
    per_response: list[Count]
    cluster_sizes: list[Count]
