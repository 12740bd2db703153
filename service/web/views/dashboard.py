"""The dashboard: recommendations per SDG goal, theme, ministry, mechanism and response; cluster sizes."""

from __future__ import annotations

from fastapi import APIRouter

from service.web.charts import Bar, bar_chart
from service.web.labels import RESPONSES
from service.web.views.clusters import states_of
from service.web.workspace import Workspace, WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)
#: (statistic, title key)
CHARTS = (
    ("per_sdg_goal", "dashboard.per_sdg"),
    ("per_theme", "dashboard.per_theme"),
    ("per_ministry", "dashboard.per_ministry"),
    ("per_mechanism", "dashboard.per_mechanism"),
    ("per_response", "dashboard.per_response"),
    ("cluster_sizes", "dashboard.cluster_sizes"),
)


def _label(page: Workspace, stat: str, row: dict) -> str:
    """A bar's label: the API's label in the reader's language, or a message of the workspace."""
    key = str(row.get("key") or "")
    if stat == "per_sdg_goal":
        return f"{key}. {row.get('label') or ''}".strip(" .")
    if stat == "per_response":
        return page.t(f"response.{key}") if key in RESPONSES else key or page.t("dashboard.no_response")
    if stat == "cluster_sizes":
        return page.t("dashboard.members", n=key)
    return row.get("label") or key


@router.get("/web/dashboard")
async def dashboard(page: WorkspaceDep, state: str = ""):
    stats = await page.api.get("/stats", state=state, label_lang=page.lang)
    charts = []
    for stat, title_key in CHARTS:
        title = page.t(title_key)
        bars = [Bar(_label(page, stat, row), int(row["count"])) for row in stats.get(stat, [])]
        charts.append({"id": stat, "title": title, "svg": bar_chart(bars, title, rtl=page.t.direction == "rtl")})
    return page.render("dashboard.html", stats=stats, charts=charts, states=await states_of(page), state=state)
