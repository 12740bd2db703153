"""Dependencies injected into routes; tests replace them through ``app.dependency_overrides``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from nlp.clustering import ClusterManager
from nlp.pipeline import Pipeline
from service.config import Settings
from service.jobs import ImportJobs
from service.reference import Reference


def get_pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_reference(request: Request) -> Reference:
    return request.app.state.reference


def get_jobs(request: Request) -> ImportJobs:
    return request.app.state.jobs


def get_clusters(request: Request) -> ClusterManager:
    return request.app.state.clusters


#: an integer key of a stored row (SQLite integers are 64-bit)
StoredId = Annotated[int, Path(ge=1, le=2**63 - 1)]

PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ReferenceDep = Annotated[Reference, Depends(get_reference)]
JobsDep = Annotated[ImportJobs, Depends(get_jobs)]
ClustersDep = Annotated[ClusterManager, Depends(get_clusters)]


def check_page_size(settings: Settings, page_size: int | None, default: int = 50) -> int:
    """The page size asked for (at most the configured limit), or the default within the limit."""
    if page_size is None:
        return min(default, settings.max_page_size)
    if page_size > settings.max_page_size:
        raise HTTPException(422, f"page_size: at most {settings.max_page_size}")
    return page_size


def check_top_k(settings: Settings, k: int | None, default: int = 10) -> int:
    """The number of hits asked for (at most ``max_top_k``), or the default within the limit."""
    if k is None:
        return min(default, settings.max_top_k)
    if k > settings.max_top_k:
        raise HTTPException(422, f"k: at most {settings.max_top_k}")
    return k


LANGUAGES = ("ar", "fr", "en")
