"""Sign-in with an API key, sign-out, the language switch and the workspace's static files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from service.web.api_client import KEY_COOKIE, ApiClient, ApiError
from service.web.i18n import LANGUAGE_COOKIE, LANGUAGES, Translator, chosen_language
from service.web.workspace import Workspace, safe_next

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"
_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@router.get("/")
@router.get("/web")
@router.get("/web/")
def home() -> RedirectResponse:
    return RedirectResponse("/web/dashboard", status_code=303)


@router.get("/web/static/{name}")
def static_file(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or not path.is_file() or path.suffix not in _STATIC_TYPES:
        raise HTTPException(404, f"no static file {name!r}")
    return FileResponse(path, media_type=_STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})


@router.get("/web/language/{code}")
def switch_language(code: str, next: str | None = None) -> RedirectResponse:
    if code not in LANGUAGES:
        raise HTTPException(404, f"no language {code!r}; expected one of {', '.join(LANGUAGES)}")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="strict", path="/")
    return response


@router.get("/web/sign-in")
def sign_in_page(request: Request, next: str | None = None):
    page = Workspace(request, Translator(chosen_language(request)))
    return page.render("sign_in.html", next=safe_next(next))


@router.post("/web/sign-in")
async def sign_in(request: Request, key: Annotated[str, Form()], next: Annotated[str, Form()] = "/web/"):
    """Check the key against ``GET /me``; if it is good, keep it in an HttpOnly, same-site cookie."""
    key = key.strip()
    async with ApiClient(request, key=key) as api:
        try:
            await api.get("/me")
        except ApiError as error:
            page = Workspace(request, Translator(chosen_language(request)))
            message = page.t("sign_in.refused") if error.status in (401, 403) else error.detail
            return page.render("sign_in.html", status_code=401, next=safe_next(next), error=message)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        KEY_COOKIE,
        key,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=12 * 3600,
        path="/",
    )
    return response


@router.post("/web/sign-out")
def sign_out() -> RedirectResponse:
    response = RedirectResponse("/web/sign-in", status_code=303)
    response.delete_cookie(KEY_COOKIE, path="/")
    return response
