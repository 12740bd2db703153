"""Dependencies injected into routes; tests replace them through ``app.dependency_overrides``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nlp.pipeline import Pipeline
from service.config import Settings


def get_pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
