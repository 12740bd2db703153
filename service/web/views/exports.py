"""Export of the cluster matrix (XLSX or CSV), straight from the API's ``/exports/clusters``."""

from __future__ import annotations

from fastapi import APIRouter

from service.web.views.clusters import states_of
from service.web.workspace import WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)


@router.get("/web/export")
async def export_page(page: WorkspaceDep, state: str = ""):
    return page.render("export.html", states=await states_of(page), state=state)
