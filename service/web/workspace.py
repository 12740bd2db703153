"""What every page needs: the reader's language, an API client with their key, and who they are."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from service.web.api_client import ApiClient, ApiError
from service.web.i18n import LANGUAGES, Translator, chosen_language

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def without_param(url: str, name: str) -> str:
    """``url`` without the query parameter ``name``, ready for one more: ``/p?a=1&`` or ``/p?``."""
    parts = urlsplit(url)
    kept = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in (name, "notice", "error")])
    return f"{parts.path}?{kept}&" if kept else f"{parts.path}?"


TEMPLATES.env.filters["basename"] = lambda path: Path(str(path or "")).name
TEMPLATES.env.filters["without_param"] = without_param
ROLES = ("reader", "coordinator", "admin")


def sign_in_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/web/sign-in?next={quote(here, safe='')}"


def safe_next(target: str | None, default: str = "/web/") -> str:
    """Only paths inside the workspace: never redirect elsewhere after a sign-in or a language change."""
    return target if target and target.startswith("/web/") and not target.startswith("//") else default


@dataclass
class Workspace:
    """The request, the translator, the API client and the signed-in key (``me``: name and role)."""

    request: Request
    t: Translator
    api: ApiClient | None = None
    me: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.t.lang

    def may(self, role: str) -> bool:
        """Whether the key's role reaches ``role`` (reader < coordinator < admin)."""
        mine = self.me.get("role", "reader")
        return ROLES.index(mine if mine in ROLES else "reader") >= ROLES.index(role)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        context.update(
            t=self.t,
            lang=self.lang,
            direction=self.t.direction,
            languages=LANGUAGES,
            me=self.me,
            may=self.may,
            here=self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else ""),
            notice=self.request.query_params.get("notice"),
            error=context.get("error") or self.request.query_params.get("error"),
        )
        return TEMPLATES.TemplateResponse(self.request, template, context, status_code=status_code)

    def back(self, target: str, anchor: str = "", **query: str) -> RedirectResponse:
        """Post/redirect/get: back to a workspace page (its own query kept), with a notice or an error."""
        parts = urlsplit(safe_next(target))
        kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("notice", "error", *query)]
        kept += [(k, v) for k, v in query.items() if v]
        location = parts.path + (f"?{urlencode(kept)}" if kept else "") + (f"#{anchor}" if anchor else "")
        return RedirectResponse(location, status_code=303)


class WorkspaceRoute(APIRoute):
    """A page route that answers an API refusal with a page in the reader's language, never a traceback."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                if error.status == 401:
                    return RedirectResponse(sign_in_url(request), status_code=303)
                page = Workspace(request, Translator(chosen_language(request)), me={"name": "", "role": "reader"})
                return page.render("error.html", status_code=error.status, error=error.detail, status=error.status)

        return guarded


async def open_workspace(request: Request) -> AsyncIterator[Workspace]:
    """The page's workspace; without a valid key the reader is sent to the sign-in page."""
    translator = Translator(chosen_language(request))
    async with ApiClient(request) as api:
        if not api.key:
            raise HTTPException(303, headers={"Location": sign_in_url(request)})
        try:
            me = await api.get("/me")
        except ApiError as error:
            if error.status == 401:
                raise HTTPException(303, headers={"Location": sign_in_url(request)}) from error
            raise
        yield Workspace(request, translator, api, me)


WorkspaceDep = Annotated[Workspace, Depends(open_workspace)]
