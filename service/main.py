"""The FastAPI application. ``create_app(settings)`` builds it; nothing heavy runs at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from nlp.pipeline import Pipeline
from service.config import Settings, get_settings
from service.routes import (
    clusters,
    decisions,
    exports,
    health,
    imports,
    keys,
    recommendations,
    reference,
    search,
    tagging,
)
from service.schemas import ERROR_RESPONSES, shortened
from service.web import pages

logger = logging.getLogger(__name__)
ROUTERS = (health, keys, imports, recommendations, decisions, search, tagging, clusters, reference, exports)


def create_app(
    settings: Settings | None = None, pipeline_factory: Callable[[Settings], Pipeline] | None = None
) -> FastAPI:
    """Build the app; the lifespan loads the pipeline (model, store, index), the taxonomies and the
    import worker once into ``app.state``; imports a previous process left unfinished are marked
    ``interrupted`` (resumable)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from nlp.threads import limit_threads_per_call
        from service.factory import build_cluster_manager, build_pipeline, keep_out_of_garbage_collection
        from service.jobs import ImportJobs
        from service.reference import Reference

        service_settings = settings
        if pipeline_factory is None and settings.encoder_threads is None:
            # concurrent requests already fill the cores: one BLAS thread per encoder call
            service_settings = settings.model_copy(update={"encoder_threads": settings.service_encoder_threads})
        pipeline = (pipeline_factory or build_pipeline)(service_settings)
        limit_threads_per_call(settings.service_encoder_threads)
        pipeline.warm_up()
        pipeline.batch_searches(settings.search_batch_window_ms / 1000, workers=settings.search_workers)
        interrupted = pipeline.store.imports.interrupt_unfinished()
        if interrupted:
            logger.warning(
                "imports %s were cut short by a stop; resume them with POST /imports/{id}/resume", interrupted
            )
        app.state.settings = settings
        app.state.pipeline = pipeline
        app.state.reference = Reference.load(settings)
        app.state.clusters = pipeline.clusters or build_cluster_manager(settings, pipeline)
        # a worker process builds its pipeline from the settings: not possible for one built by hand
        in_process = pipeline_factory is not None or not settings.import_worker_process
        app.state.jobs = ImportJobs(pipeline, service_settings, in_process=in_process)
        # what was built since the pipeline (warm-up, reference data) lives as long as the service too;
        # full collections would otherwise stall requests for a large part of a second
        keep_out_of_garbage_collection()
        try:
            yield
        finally:
            app.state.jobs.shutdown()
            pipeline.close()

    app = FastAPI(
        title="Tawsiya",
        version="0.2.0",
        lifespan=lifespan,
        description=(
            "Analysis of UN human-rights recommendations in Arabic, French and English: import with automatic "
            "tagging and ministry mapping, cross-lingual search, duplicate clusters with coordinator review. "
            "Every route but /health needs an API key (X-API-Key header)."
        ),
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type"],
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        """FastAPI's 422 with each wrong input quoted shortened (a 1 MB field is not sent back whole)."""
        errors = [
            {**entry, "input": shortened(entry["input"])} if "input" in entry else entry for entry in error.errors()
        ]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": f"internal error: {type(error).__name__}"}, status_code=500)

    for module in ROUTERS:
        app.include_router(module.router, responses=None if module is health else ERROR_RESPONSES)
    app.include_router(pages.router)
    return app
