"""The FastAPI application. ``create_app(settings)`` builds it; nothing heavy runs at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from nlp.pipeline import Pipeline
from service.config import Settings, get_settings
from service.routes import health, search
from service.web import pages


def create_app(
    settings: Settings | None = None, pipeline_factory: Callable[[Settings], Pipeline] | None = None
) -> FastAPI:
    """Build the app; the lifespan loads the pipeline (model, store, index) once into ``app.state``."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if pipeline_factory is None:
            from service.factory import build_pipeline

            app.state.pipeline = build_pipeline(settings)
        else:
            app.state.pipeline = pipeline_factory(settings)
        app.state.settings = settings
        try:
            yield
        finally:
            app.state.pipeline.close()

    app = FastAPI(
        title="Tawsiya",
        version="0.1.0",
        lifespan=lifespan,
        description="Analysis of UN human-rights recommendations in Arabic, French and English.",
    )
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(pages.router)
    return app
