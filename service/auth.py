"""API keys with roles: created on the server, stored as SHA-256 hashes, checked on every request.

A key is sent as the ``X-API-Key`` header, or held in the ``tawsiya_key`` cookie that the web
workspace's sign-in sets. Roles are ordered: ``reader`` < ``coordinator`` < ``admin``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import select, update

from nlp.store import Store
from nlp.store.schema import ApiKeyRow

ROLES = ("reader", "coordinator", "admin")
KEY_HEADER = "X-API-Key"
KEY_COOKIE = "tawsiya_key"
_KEY_PREFIX = "tw_"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id, name and role."""

    key_id: int
    name: str
    role: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKeys:
    """Creates, checks, lists and revokes the keys kept in the store.

    Checks are remembered for ``CHECK_TTL_S`` seconds per process (a search should not pay a query
    for its key); a revocation through this class takes effect at once, one made by another process
    (``tawsiya keys revoke``) within that time."""

    CHECK_TTL_S = 30.0
    _checked: dict[tuple[str, str], tuple[float, Principal | None]] = {}

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, name: str, role: str) -> tuple[int, str]:
        """A new key for ``role``; returns its id and the key itself (shown once, never stored)."""
        if role not in ROLES:
            raise ValueError(f"role: expected one of {', '.join(ROLES)}, got {role!r}")
        name = name.strip()
        if not name or len(name) > 100:
            raise ValueError("name: between 1 and 100 characters")
        key = _KEY_PREFIX + secrets.token_urlsafe(32)
        with self.store.session() as session, session.begin():
            row = ApiKeyRow(name=name, role=role, key_hash=_hash(key), prefix=key[:10])
            session.add(row)
            session.flush()
            return row.id, key

    def check(self, key: str) -> Principal | None:
        cache_key = (self.store.url, _hash(key))
        remembered = self._checked.get(cache_key)
        if remembered is not None and remembered[0] > time.monotonic():
            return remembered[1]
        with self.store.session() as session:
            row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == cache_key[1], ~ApiKeyRow.revoked))
            principal = Principal(row.id, row.name, row.role) if row else None
        if principal is not None:  # unknown keys are not remembered: they cost a query each time
            self._checked[cache_key] = (time.monotonic() + self.CHECK_TTL_S, principal)
        return principal

    def list(self) -> list[dict]:
        with self.store.session() as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
            return [
                {
                    "id": r.id,
                    "name": r.name,
                    "role": r.role,
                    "prefix": r.prefix,
                    "revoked": r.revoked,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ]

    def revoke(self, key_id: int) -> bool:
        with self.store.session() as session, session.begin():
            result = session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(revoked=True))
        for cache_key, (_, principal) in list(self._checked.items()):
            if principal is not None and principal.key_id == key_id and cache_key[0] == self.store.url:
                del self._checked[cache_key]
        return bool(result.rowcount)


_header_scheme = APIKeyHeader(name=KEY_HEADER, auto_error=False, description="An API key (tawsiya keys create).")


def require(role: str) -> Callable[[Request], Principal]:
    """A dependency admitting keys of ``role`` or above: 401 without a valid key, 403 below the role."""

    def dependency(request: Request, header_key: Annotated[str | None, Security(_header_scheme)] = None) -> Principal:
        key = header_key or request.cookies.get(KEY_COOKIE)
        if not key:
            raise HTTPException(
                401, f"missing API key: send the {KEY_HEADER} header", headers={"WWW-Authenticate": "ApiKey"}
            )
        principal = ApiKeys(request.app.state.pipeline.store).check(key)
        if principal is None:
            raise HTTPException(401, "unknown or revoked API key", headers={"WWW-Authenticate": "ApiKey"})
        if not principal.may(role):
            raise HTTPException(403, f"this route needs the {role} role; the key has {principal.role}")
        return principal

    dependency.__name__ = f"require_{role}"
    return dependency


Reader = Annotated[Principal, Depends(require("reader"))]
Coordinator = Annotated[Principal, Depends(require("coordinator"))]
Admin = Annotated[Principal, Depends(require("admin"))]
