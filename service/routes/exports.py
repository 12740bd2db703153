import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.auth import Reader
from service.deps import ClustersDep, PipelineDep
from service.exports import member_annotations, write_clusters
from service.presenters import GLOBAL_SCOPE

router = APIRouter(prefix="/exports", tags=["exports"])
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/clusters", response_class=Response, responses={200: {"content": {m: {} for m in _MEDIA.values()}}})
def export_clusters(
    _: Reader,
    clusters: ClustersDep,
    pipeline: PipelineDep,
    format: Literal["csv", "xlsx"] = "xlsx",
    state: Annotated[str | None, Query(max_length=200)] = None,
    lang: Annotated[str | None, Query(max_length=8)] = None,
    min_size: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """The cluster matrix: one row per member, with its cluster, cohesion, representative text, and its
    lead and supporting ministries and tags (corrections win)."""
    scopes = [state] if state else [s for s in clusters.repository.scopes() if s != GLOBAL_SCOPE]
    views = [view for scope in scopes for view in clusters.clusters(scope, min_size, lang)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"clusters.{format}"
        write_clusters(views, path, format, member_annotations(pipeline, views))
        content = path.read_bytes()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"tawsiya-clusters-{state or 'all'}.{format}")
    return Response(
        content, media_type=_MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
