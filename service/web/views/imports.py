"""Upload a file of recommendations, watch the import's progress, see the rows it rejected."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from service.web.api_client import ApiError
from service.web.workspace import WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)
FORMATS = ("generic", "upr-info", "ohchr")
RUNNING = ("queued", "running")


@router.get("/web/import")
async def import_page(page: WorkspaceDep):
    recent = await page.api.get("/imports")
    return page.render("import.html", recent=recent, formats=FORMATS)


@router.post("/web/import")
async def upload(page: WorkspaceDep, file: Annotated[UploadFile, File()], format: Annotated[str, Form()] = ""):
    content = await file.read()
    try:
        job = await page.api.post(
            "/imports",
            files={"file": (file.filename or "upload", content, file.content_type or "application/octet-stream")},
            data={"format": format} if format else {},
        )
    except ApiError as error:
        recent = await page.api.get("/imports")
        return page.render("import.html", status_code=error.status, recent=recent, formats=FORMATS, error=error.detail)
    return page.back(f"/web/imports/{job['id']}", notice="import_started")


@router.get("/web/imports/{import_id}")
async def import_job(page: WorkspaceDep, import_id: int):
    job = await page.api.get(f"/imports/{import_id}")
    return page.render("import_job.html", job=job, running=job["status"] in RUNNING)


@router.get("/web/imports/{import_id}/progress")
async def import_progress(page: WorkspaceDep, import_id: int):
    """The progress block alone, which the page's script swaps in while the import runs."""
    job = await page.api.get(f"/imports/{import_id}")
    return page.render("import_progress.html", job=job, running=job["status"] in RUNNING)


@router.post("/web/imports/{import_id}/resume")
async def resume(page: WorkspaceDep, import_id: int):
    try:
        await page.api.post(f"/imports/{import_id}/resume")
    except ApiError as error:
        return page.back(f"/web/imports/{import_id}", error=error.detail)
    return page.back(f"/web/imports/{import_id}", notice="import_resumed")
