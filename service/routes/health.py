from fastapi import APIRouter

from service.deps import PipelineDep
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(pipeline: PipelineDep) -> Health:
    """Liveness and size of the store and index."""
    return Health(
        status="ok",
        recommendations=pipeline.store.count(),
        indexed=len(pipeline.index),
        embedding_model=pipeline.embedder.name,
    )
