"""What every ``tawsiya`` command shares: the app, the ``--store`` and ``--json`` options, settings, the
pipeline, errors and import-like summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from nlp.pipeline import Pipeline
from nlp.records import DecisionSummary, ImportSummary
from service.config import Settings, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Tawsiya: analyse UN human-rights recommendations.")

StoreOption = Annotated[
    Path | None, typer.Option("--store", help="Store folder (database and index); default $TAWSIYA_HOME.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def settings_for(store: Path | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"home": store.expanduser()}) if store else settings


def open_pipeline(settings: Settings) -> Pipeline:
    from service.factory import build_pipeline

    return build_pipeline(settings)


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def print_summary(summary: ImportSummary | DecisionSummary, as_json: bool, line: str, shown: int = 50) -> None:
    """The summary as JSON, or ``line`` and the first ``shown`` rejected rows (on stderr)."""
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
        return
    typer.echo(line)
    for error in summary.rejected[:shown]:
        typer.echo(f"  rejected {error}", err=True)
    if len(summary.rejected) > shown:
        typer.echo(f"  ... and {len(summary.rejected) - shown} more (see --json)", err=True)
