"""The web service: its API keys, and serving it."""

from __future__ import annotations

from typing import Annotated

import typer

from service.cli.common import StoreOption, app, fail, settings_for
from service.config import Settings

keys = typer.Typer(help="API keys of the web service (stored hashed; a key is shown once).")
app.add_typer(keys, name="keys")


@keys.command("create")
def create_key(
    role: Annotated[str, typer.Option("--role", help="reader, coordinator or admin.")],
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key.")] = "key",
    store: StoreOption = None,
) -> None:
    """Create a key and print it (the only time it is shown)."""
    from nlp.store import Store
    from service.auth import ApiKeys

    try:
        key_id, key = ApiKeys(Store.open(settings_for(store).home)).create(name, role)
    except ValueError as error:
        fail(str(error))
    typer.echo(key)
    typer.echo(f"key {key_id} ({role}) created for {name!r}; keep it: only its hash is stored", err=True)


@keys.command("list")
def list_keys(store: StoreOption = None) -> None:
    from nlp.store import Store
    from service.auth import ApiKeys

    for key in ApiKeys(Store.open(settings_for(store).home)).list():
        state = "revoked" if key["revoked"] else "active"
        typer.echo(f"{key['id']}\t{key['role']}\t{key['prefix']}…\t{state}\t{key['name']}")


@keys.command("revoke")
def revoke_key(key_id: int, store: StoreOption = None) -> None:
    from nlp.store import Store
    from service.auth import ApiKeys

    if not ApiKeys(Store.open(settings_for(store).home)).revoke(key_id):
        fail(f"no key {key_id}")
    typer.echo(f"key {key_id} revoked")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOption = None,
) -> None:
    """Start the HTTP API (FastAPI, served by uvicorn)."""
    import uvicorn

    from service.main import create_app

    settings = settings_for(store)
    _first_admin_key(settings)
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)


def _first_admin_key(settings: Settings) -> None:
    """On a store with no key yet, create an admin key and print it once: the API needs a key."""
    from nlp.store import Store
    from service.auth import ApiKeys

    store = Store.open(settings.home)
    keys = ApiKeys(store)
    if not any(not key["revoked"] for key in keys.list()):
        _, key = keys.create("first admin", "admin")
        typer.echo(
            f"No API key existed: created an admin key (shown once; only its hash is kept):\n\n    {key}\n\n"
            "Send it as the X-API-Key header, or sign in with it at /web. "
            "More keys: tawsiya keys create --role reader|coordinator|admin",
            err=True,
        )
    store.close()
