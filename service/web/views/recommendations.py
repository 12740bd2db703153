"""One recommendation: its tags with scores and reasons, its ministries; corrections; similar ones."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request

from service.web.api_client import ApiError
from service.web.labels import EDITABLE_FIELDS, TAXONOMY_OF_FIELD, label_maps, taxonomy
from service.web.workspace import WorkspaceDep, WorkspaceRoute

router = APIRouter(route_class=WorkspaceRoute)


def _effective_codes(tags: list[dict]) -> list[str]:
    return [tag["code"] for tag in tags if tag.get("code")]


@router.get("/web/recommendations/{rec_id:path}")
async def recommendation_page(page: WorkspaceDep, rec_id: str):
    path = f"/recommendations/{quote(rec_id, safe='')}"
    rec = await page.api.get(path, label_lang=page.lang)
    similar = await page.api.get(f"{path}/similar", label_lang=page.lang)
    return page.render(
        "recommendation.html",
        rec=rec,
        similar=similar["hits"],
        labels=await label_maps(page.api, page.lang, tuple(TAXONOMY_OF_FIELD[f] for f in EDITABLE_FIELDS)),
        taxonomy_of=TAXONOMY_OF_FIELD,
        editable=EDITABLE_FIELDS,
        ministries=await taxonomy(page.api, "ministries", page.lang),
        tags_corrected=bool(rec.get("tags_corrected")),
    )


async def _withdraw(page, rec_id: str, section: str):
    """Withdraw the coordinator's ``section`` (tags or ministries) and go back to it, with a notice or the error."""
    here = f"/web/recommendations/{quote(rec_id, safe='')}"
    try:
        await page.api.delete(f"/recommendations/{quote(rec_id, safe='')}/{section}")
    except ApiError as error:
        return page.back(here, anchor=section, error=error.detail)
    return page.back(here, anchor=section, notice=f"{section}_withdrawn")


@router.post("/web/recommendations/{rec_id:path}/tags/withdraw")
async def withdraw_tags(page: WorkspaceDep, rec_id: str):
    """Every tag correction withdrawn: the automatic tags stand again."""
    return await _withdraw(page, rec_id, "tags")


@router.post("/web/recommendations/{rec_id:path}/tags")
async def correct_tags(page: WorkspaceDep, request: Request, rec_id: str):
    """Send only the fields whose codes changed: an untouched field keeps its automatic tags."""
    form = await request.form()
    here = f"/web/recommendations/{quote(rec_id, safe='')}"
    rec = await page.api.get(f"/recommendations/{quote(rec_id, safe='')}")
    changes = {}
    for field in EDITABLE_FIELDS:
        chosen = [code for code in form.getlist(field) if code]
        added = form.get(f"{field}__add")
        if added:
            chosen.append(str(added))
        chosen = list(dict.fromkeys(str(code) for code in chosen))
        if sorted(chosen) != sorted(_effective_codes(rec.get("tags", {}).get(field, []))):
            changes[field] = chosen
    if not changes:
        return page.back(here, anchor="tags", notice="nothing_changed")
    try:
        await page.api.put(f"/recommendations/{quote(rec_id, safe='')}/tags", json=changes)
    except ApiError as error:
        return page.back(here, anchor="tags", error=error.detail)
    return page.back(here, anchor="tags", notice="tags_saved")


@router.post("/web/recommendations/{rec_id:path}/ministries/withdraw")
async def withdraw_ministries(page: WorkspaceDep, rec_id: str):
    """The coordinator's bodies withdrawn: the mapper's proposal stands again."""
    return await _withdraw(page, rec_id, "ministries")


@router.post("/web/recommendations/{rec_id:path}/ministries")
async def correct_ministries(page: WorkspaceDep, request: Request, rec_id: str):
    form = await request.form()
    here = f"/web/recommendations/{quote(rec_id, safe='')}"
    lead = str(form.get("lead") or "")
    supporting = [str(code) for code in form.getlist("supporting") if code and code != lead]
    try:
        await page.api.put(
            f"/recommendations/{quote(rec_id, safe='')}/ministries", json={"lead": lead, "supporting": supporting}
        )
    except ApiError as error:
        return page.back(here, anchor="ministries", error=error.detail)
    return page.back(here, anchor="ministries", notice="ministries_saved")
