"""Calls from the pages to the service's own JSON API, in process, with the reader's key.

The pages hold no privileges of their own: every read and every decision goes through the API
routes with the key from the sign-in cookie, so roles apply to the workspace exactly as to any
other client.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

KEY_COOKIE = "tawsiya_key"
_BASE_URL = "http://tawsiya.internal"


class ApiError(Exception):
    """An answer other than 2xx; ``detail`` is the API's message, flattened to text."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", response.text)
    except (ValueError, AttributeError):
        return response.text
    if isinstance(detail, list):
        return "; ".join(f"{'.'.join(str(p) for p in item.get('loc', []))}: {item.get('msg', '')}" for item in detail)
    return str(detail)


class ApiClient:
    """A thin async client over the app itself (``httpx.ASGITransport``)."""

    def __init__(self, request: Request, key: str | None = None) -> None:
        self.key = key if key is not None else request.cookies.get(KEY_COOKIE, "")
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=request.app),
            base_url=_BASE_URL,
            headers={"X-API-Key": self.key},
            timeout=None,
        )

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self._client.aclose()

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON answer; raises :class:`ApiError` for any non-2xx status."""
        if "params" in kwargs:
            kwargs["params"] = {k: v for k, v in kwargs["params"].items() if v not in (None, "")}
        response = await self._client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise ApiError(response.status_code, _detail(response))
        return response.json() if response.content else None

    async def get(self, path: str, **params: Any) -> Any:
        return await self.call("GET", path, params=params)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return await self.call("POST", path, json=json, **kwargs)

    async def put(self, path: str, json: Any) -> Any:
        return await self.call("PUT", path, json=json)

    async def delete(self, path: str) -> Any:
        return await self.call("DELETE", path)
