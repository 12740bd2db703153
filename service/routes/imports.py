from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool

from corpora.recommendation_files import FORMATS, FileFormatError
from service.auth import Coordinator, Reader
from service.deps import JobsDep, PipelineDep, SettingsDep, StoredId
from service.schemas import ImportJob

router = APIRouter(tags=["imports"])
_CHUNK = 1024 * 1024


@router.post("/imports", response_model=ImportJob, status_code=202)
async def start_import(
    _: Coordinator,
    pipeline: PipelineDep,
    settings: SettingsDep,
    jobs: JobsDep,
    file: Annotated[UploadFile, File(description="CSV, XLSX or JSON Lines (any format `tawsiya import` reads).")],
    format: Annotated[str, Form(description=f"One of: {', '.join(FORMATS)}.")] = "auto",
) -> ImportJob:
    """Keep the upload and start importing it in the background; poll ``GET /imports/{id}``."""
    if format not in FORMATS:
        raise HTTPException(422, f"format: expected one of {', '.join(FORMATS)}")
    path = jobs.upload_path(file.filename or "upload")
    await save_upload(file, path, settings.max_upload_bytes)
    try:
        # counting reads the whole file: not on the event loop, which serves everyone
        rows = await run_in_threadpool(jobs.count_rows, path, format)
    except (FileFormatError, UnicodeDecodeError, ValueError) as error:
        path.unlink(missing_ok=True)
        raise HTTPException(422, f"file: {error}") from error
    if rows > settings.max_import_rows:
        path.unlink(missing_ok=True)
        raise HTTPException(422, f"file: {rows} rows, at most {settings.max_import_rows} per import")
    source = file.filename or path.name
    import_id = await run_in_threadpool(pipeline.store.imports.queue, source, format, str(path), rows)
    jobs.submit(import_id, path, source, format)
    return ImportJob(**await run_in_threadpool(pipeline.store.imports.get, import_id))


async def save_upload(file: UploadFile, path: Path, limit: int) -> None:
    """Write the upload to ``path``; one over ``limit`` bytes or empty is refused (nothing kept)."""
    size = 0
    with path.open("wb") as out:
        while chunk := await file.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise HTTPException(413, f"file: larger than {limit} bytes")
            out.write(chunk)
    if size == 0:
        path.unlink(missing_ok=True)
        raise HTTPException(422, "file: empty upload")


@router.get("/imports", response_model=list[ImportJob])
def list_imports(_: Reader, pipeline: PipelineDep, jobs: JobsDep) -> list[ImportJob]:
    """The latest imports, newest first (rejected rows: see each import)."""
    return [ImportJob(**jobs.as_seen(job)) for job in pipeline.store.imports.recent()]


@router.get("/imports/{import_id}", response_model=ImportJob)
def get_import(_: Reader, pipeline: PipelineDep, jobs: JobsDep, import_id: StoredId) -> ImportJob:
    """Progress, rejected rows (line, field, reason) and outcome of an import; ``done`` once its rows
    are searchable and clustered."""
    job = pipeline.store.imports.get(import_id)
    if job is None:
        raise HTTPException(404, f"import_id: no import {import_id}")
    return ImportJob(**jobs.as_seen(job))


@router.post("/imports/{import_id}/resume", response_model=ImportJob, status_code=202)
def resume_import(_: Coordinator, pipeline: PipelineDep, jobs: JobsDep, import_id: StoredId) -> ImportJob:
    """Run an interrupted or failed import again from its kept upload; stored rows are skipped."""
    job = pipeline.store.imports.get(import_id)
    if job is None:
        raise HTTPException(404, f"import_id: no import {import_id}")
    running = jobs.futures.get(import_id)
    if running is not None and not running.done():
        raise HTTPException(409, f"import_id: import {import_id} is already queued or running")
    path = pipeline.store.imports.upload_of(import_id)
    if not job["resumable"] or path is None or not Path(path).is_file():
        raise HTTPException(409, f"import_id: import {import_id} is {job['status']} and cannot be resumed")
    jobs.submit(import_id, Path(path), job["source"], job["format"])
    return ImportJob(**{**job, "status": "queued"})
