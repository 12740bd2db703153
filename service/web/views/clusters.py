"""Clusters of a state under review: read them, confirm one, merge two, move a member out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form

from service.web.api_client import ApiError
from service.web.labels import taxonomy
from service.web.workspace import WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)
PAGE_SIZE = 20
MIN_SIZES = (1, 2, 3, 5)


async def states_of(page) -> list[dict]:
    """States under review with their counts, as ``{"state", "count"}``, most recommendations first."""
    return [{"state": row["key"], "count": row["count"]} for row in await page.api.get("/states")]


@router.get("/web/clusters")
async def clusters_page(page: WorkspaceDep, state: str = "", min_size: int = 2, page_number: int = 1):
    states = await states_of(page)
    body = await page.api.get(
        "/clusters",
        state=state,
        min_size=min_size,
        lang=page.lang,
        label_lang=page.lang,
        page=page_number,
        page_size=PAGE_SIZE,
    )
    last_page = max(1, -(-body.get("total", 0) // PAGE_SIZE))
    return page.render(
        "clusters.html",
        states=states,
        state=state,
        min_size=min_size,
        min_sizes=MIN_SIZES,
        clusters=body["items"],
        total=body.get("total", len(body["items"])),
        page_number=page_number,
        last_page=last_page,
        ministries=await taxonomy(page.api, "ministries", page.lang) if page.may("coordinator") else [],
    )


async def _decide(
    page, return_to: str, path: str, body: dict | None, cluster_id: str, notice: str, method: str = "POST"
):
    """Send one decision to the API and go back to the page, at the cluster, with a notice or the error."""
    try:
        await page.api.call(method, path, json=body)
    except ApiError as error:
        return page.back(return_to, error=error.detail)
    return page.back(return_to, anchor=f"cluster-{cluster_id}", notice=notice)


@router.post("/web/clusters/{cluster_id}/confirm")
async def confirm(page: WorkspaceDep, cluster_id: str, return_to: Annotated[str, Form()] = "/web/clusters"):
    return await _decide(page, return_to, f"/clusters/{cluster_id}/confirm", None, cluster_id, "confirmed")


@router.post("/web/clusters/{cluster_id}/ministries")
async def decide_ministries(
    page: WorkspaceDep,
    cluster_id: str,
    lead: Annotated[str, Form()],
    supporting: Annotated[list[str], Form()] = (),  # noqa: B006 (FastAPI reads the default, never mutates it)
    return_to: Annotated[str, Form()] = "/web/clusters",
):
    """The same lead and supporting bodies for every member of the cluster."""
    body = {"lead": lead, "supporting": [code for code in dict.fromkeys(supporting) if code != lead]}
    path = f"/clusters/{cluster_id}/ministries"
    return await _decide(page, return_to, path, body, cluster_id, "ministries_saved", method="PUT")


@router.post("/web/clusters/{cluster_id}/ministries/withdraw")
async def withdraw_ministries(page: WorkspaceDep, cluster_id: str, return_to: Annotated[str, Form()] = "/web/clusters"):
    """The coordinators' bodies of every member withdrawn: the mapper's proposals stand again."""
    path = f"/clusters/{cluster_id}/ministries"
    return await _decide(page, return_to, path, None, cluster_id, "ministries_withdrawn", method="DELETE")


@router.post("/web/clusters/merge")
async def merge(
    page: WorkspaceDep,
    cluster: Annotated[list[str], Form()] = (),  # noqa: B006 (FastAPI reads the default, never mutates it)
    return_to: Annotated[str, Form()] = "/web/clusters",
):
    """Merge the clusters ticked on the page, two or more, into the first one."""
    chosen = list(dict.fromkeys(cluster))
    if len(chosen) < 2:
        return page.back(return_to, error=page.t("clusters.merge_needs_two"))
    kept = chosen[0]
    try:
        for other in chosen[1:]:
            merged = await page.api.post("/clusters/merge", json={"cluster_id": kept, "other_id": other})
            kept = merged.get("id", kept)
    except ApiError as error:
        return page.back(return_to, error=error.detail)
    return page.back(return_to, anchor=f"cluster-{kept}", notice="merged")


@router.post("/web/clusters/{cluster_id}/split")
async def move_out(
    page: WorkspaceDep,
    cluster_id: str,
    recommendation_id: Annotated[str, Form()],
    return_to: Annotated[str, Form()] = "/web/clusters",
):
    body = {"recommendation_ids": [recommendation_id]}
    return await _decide(page, return_to, f"/clusters/{cluster_id}/split", body, cluster_id, "moved_out")
