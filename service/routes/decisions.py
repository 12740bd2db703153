"""A file of coordinators' ministry decisions, read at once: what ``tawsiya decide --file`` does."""

import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool

from corpora.decision_files import read_ministry_decisions
from corpora.tables import TABLE_FORMATS, FileFormatError, guess_format
from service.auth import Coordinator
from service.deps import PipelineDep, SettingsDep
from service.routes.imports import save_upload
from service.schemas import DecisionResult

router = APIRouter(tags=["recommendations"])


@router.post("/ministry-decisions", response_model=DecisionResult)
async def read_decisions(
    who: Coordinator,
    pipeline: PipelineDep,
    settings: SettingsDep,
    file: Annotated[
        UploadFile,
        File(
            description="CSV, XLSX or JSON Lines: id, lead (or lead_ministry), supporting (or supporting_ministries)."
        ),
    ],
    format: Annotated[str, Form(description="auto, csv, xlsx or jsonl.")] = "auto",
    confirm_unchanged: Annotated[
        bool, Form(description="Rows repeating the mapper's proposal confirm it too.")
    ] = False,
) -> DecisionResult:
    """Store the lead and supporting bodies of many recommendations, as ``PUT /recommendations/{id}/ministries``
    does for one: the columns ``GET /exports/clusters`` writes, so an edited export reads back. Rows with an
    unknown recommendation or body are returned with their line and field; the others are stored."""
    if format not in ("auto", *TABLE_FORMATS):
        raise HTTPException(422, f"format: expected auto or one of {', '.join(TABLE_FORMATS)}")
    if pipeline.mapper is None:
        raise HTTPException(409, "ministry mapping is off on this service (TAWSIYA_MAP_ON_IMPORT=false)")
    known = set(pipeline.mapper.ids)
    # the upload's own name (errors name it, its extension gives the format), made safe for a path
    name = re.sub(r"[^\w.-]+", "_", Path(file.filename or "").name).lstrip(".") or "decisions"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        await save_upload(file, path, settings.max_upload_bytes)
        try:
            fmt = guess_format(path) if format == "auto" else format
            decisions = await run_in_threadpool(lambda: list(read_ministry_decisions(path, fmt, known)))
        except (FileFormatError, UnicodeDecodeError, ValueError) as error:
            raise HTTPException(422, f"file: {error}") from error
    if len(decisions) > settings.max_import_rows:
        raise HTTPException(422, f"file: {len(decisions)} rows, at most {settings.max_import_rows} at once")
    summary = await run_in_threadpool(pipeline.apply_ministry_decisions, decisions, confirm_unchanged, who.name)
    return DecisionResult(**summary.as_dict())
