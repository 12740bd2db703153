"""Export of the cluster matrix (XLSX or CSV), straight from the API's ``/exports/clusters``, and the
matrix read back with a coordinator's ministry decisions (the API's ``/ministry-decisions``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from service.web.api_client import ApiError
from service.web.views.clusters import states_of
from service.web.workspace import WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)


@router.get("/web/export")
async def export_page(page: WorkspaceDep, state: str = ""):
    return page.render("export.html", states=await states_of(page), state=state)


@router.post("/web/export/decisions")
async def read_decisions(
    page: WorkspaceDep, file: Annotated[UploadFile, File()], confirm_unchanged: Annotated[bool, Form()] = False
):
    """The decisions of an edited export stored; the page shows what was stored and the rows rejected."""
    content = await file.read()
    states = await states_of(page)
    try:
        result = await page.api.post(
            "/ministry-decisions",
            files={"file": (file.filename or "decisions", content, file.content_type or "application/octet-stream")},
            data={"confirm_unchanged": "true" if confirm_unchanged else "false"},
        )
    except ApiError as error:
        return page.render("export.html", status_code=error.status, states=states, state="", error=error.detail)
    return page.render("export.html", states=states, state="", result=result)
