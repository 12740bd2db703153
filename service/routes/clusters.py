from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from nlp.clustering import ClusterNotFoundError, ClusterView
from nlp.records import MinistryDecision
from service.auth import Coordinator, Reader
from service.deps import ClustersDep, PipelineDep, ReferenceDep, SettingsDep, check_page_size
from service.presenters import GLOBAL_SCOPE, cluster
from service.routes.filters import LabelLanguage
from service.schemas import ClusterPage, ClusterPublic, MergeRequest, MinistryCorrection, SplitRequest

router = APIRouter(prefix="/clusters", tags=["clusters"])
RepresentativeLanguage = Annotated[
    str | None, Query(max_length=8, description="Representative text in this language when a member has it.")
]


@router.get("", response_model=ClusterPage)
def list_clusters(
    _: Reader,
    clusters: ClustersDep,
    pipeline: PipelineDep,
    reference: ReferenceDep,
    settings: SettingsDep,
    state: Annotated[str | None, Query(max_length=200, description="State under review; '*' the global scope.")] = None,
    min_size: Annotated[int, Query(ge=1, le=10_000)] = 2,
    lang: RepresentativeLanguage = None,
    label_lang: LabelLanguage = "en",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> ClusterPage:
    """Clusters of one state (or of every state), largest first."""
    page_size = check_page_size(settings, page_size)
    scopes = [state] if state else [s for s in clusters.repository.scopes() if s != GLOBAL_SCOPE]
    total, views = clusters.page(scopes, min_size, lang, start=(page - 1) * page_size, count=page_size)
    return ClusterPage(
        items=[cluster(view, pipeline, reference, label_lang) for view in views],
        page=page,
        page_size=page_size,
        total=total,
    )


def _view(clusters, cluster_id: str, lang: str | None = None) -> ClusterView:
    try:
        return clusters.cluster(cluster_id, language=lang)
    except ClusterNotFoundError as error:
        raise HTTPException(404, f"cluster_id: no cluster {cluster_id!r}") from error


@router.get("/{cluster_id}", response_model=ClusterPublic)
def get_cluster(
    _: Reader,
    clusters: ClustersDep,
    pipeline: PipelineDep,
    reference: ReferenceDep,
    cluster_id: str,
    lang: RepresentativeLanguage = None,
    label_lang: LabelLanguage = "en",
) -> ClusterPublic:
    """One cluster with its members and the aggregate of their bodies."""
    return cluster(_view(clusters, cluster_id, lang), pipeline, reference, label_lang)


@router.post("/{cluster_id}/confirm", response_model=ClusterPublic)
def confirm(_: Coordinator, clusters: ClustersDep, pipeline: PipelineDep, cluster_id: str) -> ClusterPublic:
    """The coordinator agrees these members are one commitment; kept at every re-clustering."""
    _view(clusters, cluster_id)
    with pipeline.cluster_lock:
        return cluster(clusters.confirm(cluster_id))


@router.put("/{cluster_id}/ministries", response_model=ClusterPublic)
def decide_ministries(
    who: Coordinator,
    clusters: ClustersDep,
    pipeline: PipelineDep,
    reference: ReferenceDep,
    cluster_id: str,
    correction: MinistryCorrection,
) -> ClusterPublic:
    """Set the lead and supporting bodies of every member, as ``PUT /recommendations/{id}/ministries`` does for
    one; a later decision on one member replaces it for that member."""
    view = _view(clusters, cluster_id)
    problem = reference.unknown_bodies(correction.lead, correction.supporting)
    if problem:
        raise HTTPException(422, problem)
    decisions = [
        MinistryDecision(0, member["id"], correction.lead, tuple(correction.supporting)) for member in view.members
    ]
    pipeline.apply_ministry_decisions(decisions, confirm_proposals=True, decided_by=who.name)
    return cluster(_view(clusters, cluster_id), pipeline, reference)


@router.delete("/{cluster_id}/ministries", response_model=ClusterPublic)
def withdraw_ministries(
    _: Coordinator, clusters: ClustersDep, pipeline: PipelineDep, reference: ReferenceDep, cluster_id: str
) -> ClusterPublic:
    """Withdraw the coordinators' bodies of every member: the mapper's proposals stand again."""
    view = _view(clusters, cluster_id)
    pipeline.withdraw_ministry_decisions([member["id"] for member in view.members])
    return cluster(_view(clusters, cluster_id), pipeline, reference)


@router.post("/merge", response_model=ClusterPublic)
def merge(_: Coordinator, clusters: ClustersDep, pipeline: PipelineDep, body: MergeRequest) -> ClusterPublic:
    """Merge ``other_id`` into ``cluster_id`` (both of one state)."""
    if body.cluster_id == body.other_id:
        raise HTTPException(422, "other_id: the same cluster as cluster_id")
    first, second = _view(clusters, body.cluster_id), _view(clusters, body.other_id)
    if first.scope != second.scope:
        raise HTTPException(422, f"other_id: in scope {second.scope!r}, cluster_id in {first.scope!r}")
    with pipeline.cluster_lock:
        return cluster(clusters.merge(body.cluster_id, body.other_id))


@router.post("/{cluster_id}/split", response_model=list[ClusterPublic])
def split(
    _: Coordinator, clusters: ClustersDep, pipeline: PipelineDep, cluster_id: str, body: SplitRequest
) -> list[ClusterPublic]:
    """Move members out: each leaves into a cluster of its own and stays apart from its former companions.

    Answers the remaining cluster first, then the clusters of the members moved out."""
    view = _view(clusters, cluster_id)
    members = {member["id"] for member in view.members}
    strangers = [rec_id for rec_id in body.recommendation_ids if rec_id not in members]
    if strangers:
        raise HTTPException(422, f"recommendation_ids: not members of {cluster_id}: {strangers}")
    if len(set(body.recommendation_ids)) >= len(members):
        raise HTTPException(422, "recommendation_ids: at least one member must stay")
    staying = next(m["id"] for m in view.members if m["id"] not in body.recommendation_ids)
    with pipeline.cluster_lock:
        moved = [
            clusters.move_out(clusters.cluster_of(view.scope, rec_id).cluster_id, rec_id)
            for rec_id in dict.fromkeys(body.recommendation_ids)
        ]
        remaining = clusters.cluster_of(view.scope, staying)
    return [cluster(remaining)] + [cluster(clusters.cluster_of(view.scope, m.members[0]["id"])) for m in moved]
