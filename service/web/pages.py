"""Pages of the web workspace (filled in by the workspace's own change)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
