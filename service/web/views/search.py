"""Search the past: a query in any language, or filters alone (state, mechanism, cycle, SDG...)."""

from __future__ import annotations

from fastapi import APIRouter

from service.web.api_client import ApiError
from service.web.labels import taxonomy
from service.web.views.clusters import states_of
from service.web.workspace import WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)
FILTERS = ("state", "mechanism", "cycle", "sdg", "theme", "ministry", "lang", "response")
PAGE_SIZE = 20


async def filter_options(page) -> dict:
    """Choices of every filter, labelled in the reader's language."""
    stats = await page.api.get("/stats", label_lang=page.lang)
    goals = await taxonomy(page.api, "sdg-goals", page.lang)
    targets = await taxonomy(page.api, "sdg-targets", page.lang)
    return {
        "states": await states_of(page),
        "mechanisms": sorted(row["key"] for row in stats["per_mechanism"] if row.get("key")),
        "goals": [(goal, [t for t in targets if t["code"].split(".")[0] == goal["code"]]) for goal in goals],
        "themes": await taxonomy(page.api, "themes", page.lang),
        "ministries": await taxonomy(page.api, "ministries", page.lang),
    }


@router.get("/web/search")
async def search_page(page: WorkspaceDep, q: str = "", k: int | None = None, page_number: int = 1):
    chosen = {name: page.request.query_params.get(name, "") for name in FILTERS}
    hits, total, error, searched = [], 0, None, bool(q.strip()) or any(chosen.values())
    try:
        if q.strip():
            hits = (await page.api.get("/search", q=q.strip(), k=k, label_lang=page.lang, **chosen))["hits"]
            total = len(hits)
        elif searched:
            body = await page.api.get(
                "/recommendations", page=page_number, page_size=PAGE_SIZE, label_lang=page.lang, **chosen
            )
            hits, total = body["items"], body["total"]
    except ApiError as error_answer:
        error = error_answer.detail
    return page.render(
        "search.html",
        q=q,
        chosen=chosen,
        options=await filter_options(page),
        hits=hits,
        total=total,
        searched=searched,
        error=error,
        page_number=page_number,
        last_page=1 if q.strip() else max(1, -(-total // PAGE_SIZE)),
    )
