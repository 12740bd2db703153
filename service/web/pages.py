"""The coordinator's web workspace: every page router, included by ``create_app``."""

from fastapi import APIRouter

from service.web.views import clusters, dashboard, exports, imports, recommendations, search, session

router = APIRouter(include_in_schema=False)
for module in (session, dashboard, imports, clusters, recommendations, search, exports):
    router.include_router(module.router)
