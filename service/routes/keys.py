from fastapi import APIRouter, HTTPException

from service.auth import Admin, ApiKeys, Reader
from service.deps import PipelineDep, StoredId
from service.schemas import KeyCreate, KeyCreated, KeyInfo, Me

router = APIRouter(tags=["access"])


@router.get("/me", response_model=Me)
def me(principal: Reader) -> Me:
    """The calling key's name and role."""
    return Me(name=principal.name, role=principal.role)


@router.get("/keys", response_model=list[KeyInfo])
def list_keys(_: Admin, pipeline: PipelineDep) -> list[KeyInfo]:
    return [KeyInfo(**key) for key in ApiKeys(pipeline.store).list()]


@router.post("/keys", response_model=KeyCreated, status_code=201)
def create_key(_: Admin, pipeline: PipelineDep, body: KeyCreate) -> KeyCreated:
    """A new key; the answer is the only place the key itself appears."""
    try:
        key_id, key = ApiKeys(pipeline.store).create(body.name, body.role)
    except ValueError as error:
        raise HTTPException(422, str(error)) from error
    return KeyCreated(id=key_id, name=body.name, role=body.role, key=key)


@router.delete("/keys/{key_id}", status_code=204)
def revoke_key(principal: Admin, pipeline: PipelineDep, key_id: StoredId) -> None:
    if key_id == principal.key_id:
        raise HTTPException(422, "key_id: a key cannot revoke itself")
    if not ApiKeys(pipeline.store).revoke(key_id):
        raise HTTPException(404, f"key_id: no key {key_id}")
