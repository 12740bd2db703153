"""Duplicate clusters: group, list, the coordinator's decisions on them, the cluster matrix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import JsonOption, StoreOption, app, fail, open_pipeline, settings_for


@app.command()
def cluster(
    state: Annotated[str | None, typer.Option("--state", help="One state under review (default: every state).")] = None,
    everything: Annotated[bool, typer.Option("--global", help="One scope over everything stored.")] = False,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Similarity threshold.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Representative text in this language if any.")] = None,
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Smallest cluster shown.")] = 2,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Group duplicate recommendations (per state under review by default) and list the clusters."""
    from nlp.store.cluster_repository import GLOBAL_SCOPE
    from service.factory import build_cluster_manager

    settings = settings_for(store)
    pipeline = open_pipeline(settings)
    manager = build_cluster_manager(settings, pipeline, threshold)
    scopes = [GLOBAL_SCOPE] if everything else [state] if state else manager.repository.scopes()
    if state and state not in manager.repository.scopes():
        fail(f"no recommendation is stored for state under review {state!r}")
    for scope in scopes:
        manager.recluster(scope)
    views = [view for scope in scopes for view in manager.clusters(scope, min_size, lang)]
    pipeline.close()
    if as_json:
        typer.echo(json.dumps([view.as_dict() for view in views], ensure_ascii=False))
        return
    for view in views:
        mark = " ✓" if view.confirmed else ""
        typer.echo(f"{view.cluster_id} [{view.scope}] {view.size} members, cohesion {view.cohesion:.2f}{mark}")
        typer.echo(f"    {view.representative['text']}")
    typer.echo(f"{len(views)} clusters of {min_size}+ members in {len(scopes)} scope(s)")


decisions = typer.Typer(help="Coordinator decisions on clusters: confirm, merge, move a member out.")
app.add_typer(decisions, name="clusters")


def _decide(store: Path | None, action) -> None:
    from nlp.clustering import ClusterNotFoundError
    from service.factory import build_cluster_manager

    settings = settings_for(store)
    pipeline = open_pipeline(settings)
    try:
        view = action(build_cluster_manager(settings, pipeline))
    except ClusterNotFoundError as error:
        fail(f"no cluster or recommendation {error.args[0]!r}")
    except ValueError as error:
        fail(str(error))
    finally:
        pipeline.close()
    typer.echo(json.dumps(view.as_dict(), ensure_ascii=False))


@decisions.command("confirm")
def confirm_cluster(cluster_id: str, store: StoreOption = None) -> None:
    """Confirm a cluster: its members stay together from now on."""
    _decide(store, lambda manager: manager.confirm(cluster_id))


@decisions.command("merge")
def merge_clusters(cluster_id: str, other_id: str, store: StoreOption = None) -> None:
    """Merge OTHER_ID into CLUSTER_ID (which keeps its id)."""
    _decide(store, lambda manager: manager.merge(cluster_id, other_id))


@decisions.command("move-out")
def move_out(cluster_id: str, recommendation_id: str, store: StoreOption = None) -> None:
    """Take a recommendation out of a cluster; it stays apart from those members from now on."""
    _decide(store, lambda manager: manager.move_out(cluster_id, recommendation_id))


exports = typer.Typer(help="Export results for national reports.")
app.add_typer(exports, name="export")


@exports.command("clusters")
def export_clusters(
    out: Annotated[Path, typer.Argument(help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "xlsx",
    state: Annotated[str | None, typer.Option("--state", help="One state under review (default: every state).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Representative text in this language if any.")] = None,
    min_size: Annotated[int, typer.Option("--min-size", min=1)] = 1,
    store: StoreOption = None,
) -> None:
    """Write the cluster matrix: one row per member with its cluster id and representative text."""
    from service.exports import EXPORT_FORMATS, member_annotations, write_clusters
    from service.factory import build_cluster_manager

    if fmt not in EXPORT_FORMATS:
        fail(f"unknown format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    settings = settings_for(store)
    pipeline = open_pipeline(settings)
    manager = build_cluster_manager(settings, pipeline)
    scopes = [state] if state else manager.repository.scopes()
    views = [view for scope in scopes for view in manager.clusters(scope, min_size, lang)]
    annotations = member_annotations(pipeline, views)
    pipeline.close()
    rows = write_clusters(views, out, fmt, annotations)
    typer.echo(f"wrote {rows} rows ({len(views)} clusters) to {out}")
