"""Responsible bodies: list the proposals, set or withdraw a coordinator's decisions, check a directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from corpora.tables import FileFormatError
from nlp.pipeline import Pipeline
from nlp.records import RowError
from service.cli.common import JsonOption, StoreOption, app, fail, open_pipeline, print_summary, settings_for
from service.config import Settings, get_settings


@app.command()
def assign(
    state: Annotated[str | None, typer.Option("--state", help="One state under review (default: every state).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 0,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Propose the bodies again, replacing the stored proposals (after a new directory or model); "
            "coordinators' decisions stay.",
        ),
    ] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Lead and supporting bodies of stored recommendations (a coordinator's correction wins).

    Recommendations stored before ministry mapping existed are mapped now, and the proposals kept; with
    --again every one selected is mapped again."""
    from nlp.store.listing import RecommendationFilter, matching_pks

    settings = settings_for(store)
    pipeline = open_pipeline(settings)
    if pipeline.mapper is None:
        fail("ministry mapping is off (TAWSIYA_MAP_ON_IMPORT=false)")
    pks = matching_pks(pipeline.store, RecommendationFilter(state=state))
    pks = pipeline.store.indexed_pks(pipeline.embedder.name) if pks is None else pks
    pks = [int(pk) for pk in (pks[:limit] if limit else pks)]
    mapped = pipeline.map_again(pks) if again else pipeline.map_missing(pks)
    records = pipeline.store.get_records(pks)
    bodies = pipeline.annotations.ministries(pks)
    pipeline.close()
    for pk in pks:
        found = bodies.get(pk)
        if found is None or found["lead"] is None:
            continue
        if as_json:
            payload = {
                "id": records[pk]["id"],
                "lead": found["lead"],
                "supporting": found["supporting"],
                "alternatives": found["alternatives"],
                "source": found["source"],
                "decided_by": found.get("decided_by"),
                "decided_at": found.get("decided_at"),
            }
            typer.echo(json.dumps(payload, ensure_ascii=False))
        else:
            others = ", ".join(body["id"] for body in found["supporting"]) or "-"
            alternatives = ", ".join(body["id"] for body in found["alternatives"]) or "-"
            typer.echo(
                f"{records[pk]['id']}: lead {found['lead']['id']} [{found['lead']['score']:.2f}]; "
                f"supporting {others}; could also lead {alternatives} ({found['source']})"
            )
    if not as_json:
        typer.echo(f"{len(pks)} recommendations ({mapped} mapped now)", err=True)


@app.command()
def decide(
    rec_id: Annotated[str | None, typer.Argument(help="Id of a stored recommendation.")] = None,
    lead: Annotated[str | None, typer.Option("--lead", help="Id of the lead body in the directory.")] = None,
    supporting: Annotated[
        list[str] | None,
        typer.Option("--supporting", help="Id of a supporting body (repeat it, or separate ids with ';' or ',')."),
    ] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", help="Decide for every member of this cluster.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="CSV, XLSX or JSON Lines file: id, lead, supporting columns.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, csv, xlsx or jsonl.")] = "auto",
    encoding: Annotated[str | None, typer.Option(help="Text encoding of a CSV/JSONL file (default: UTF-8).")] = None,
    confirm_unchanged: Annotated[
        bool, typer.Option("--confirm-unchanged", help="Rows that repeat the mapper's proposal confirm it too.")
    ] = False,
    withdraw: Annotated[
        bool,
        typer.Option(
            "--withdraw", help="Withdraw the decision on ID (or --cluster): the mapper's proposal stands again."
        ),
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", help="Who decides, kept with the decision (default: your user name).")
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set a coordinator's lead and supporting bodies: for one recommendation, every member of a cluster,
    or from a file; or withdraw the decisions on one recommendation or a cluster's members (--withdraw).

    A file holds one decision per row: id, lead (or lead_ministry) and supporting (or
    supporting_ministries, ids separated by ';'), the columns `tawsiya export` writes. Decisions are
    stored as corrections: the mapper never overwrites them and learns from them at once. A row that
    repeats the mapper's proposal leaves it a proposal (unless --confirm-unchanged); a decision given
    on the command line always confirms it. Rejected rows are reported with their line number and
    reason; the other rows are kept."""
    from corpora.tables import TABLE_FORMATS

    if sum(target is not None for target in (rec_id, cluster, file)) != 1:
        fail("give one of: a recommendation ID, --cluster ID (both with --lead), or --file FILE")
    if fmt not in ("auto", *TABLE_FORMATS):
        fail(f"unknown format {fmt!r}; expected auto or one of {', '.join(TABLE_FORMATS)}")
    if file is not None and not file.is_file():
        fail(f"no file {file}")
    if withdraw and (file is not None or lead is not None or supporting):
        fail("--withdraw takes a recommendation ID or --cluster ID alone")
    settings = settings_for(store)
    pipeline = open_pipeline(settings)
    if pipeline.mapper is None:
        fail("ministry mapping is off (TAWSIYA_MAP_ON_IMPORT=false)")
    if file is not None:
        decisions = _file_decisions(file, fmt, encoding, set(pipeline.mapper.ids))
    else:
        ids = [rec_id] if rec_id is not None else _cluster_members(settings, pipeline, cluster)
        if withdraw:
            _withdraw(pipeline, ids, as_json)
            return
        decisions = _given_decisions(ids, lead, supporting or [], set(pipeline.mapper.ids))
    summary = pipeline.apply_ministry_decisions(
        decisions, confirm_proposals=file is None or confirm_unchanged, decided_by=by or _user()
    )
    pipeline.close()
    if file is None and summary.rejected:
        error = summary.rejected[0]
        fail(f"{error.field}: {error.message}")
    print_summary(
        summary,
        as_json,
        f"decisions: {len(summary.applied)} stored, {summary.unchanged} unchanged (as already stored), "
        f"{len(summary.rejected)} rejected",
    )


def _user() -> str:
    """The user running the command, as a decision records it."""
    import getpass

    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no user name in this environment
        return "command line"


def _withdraw(pipeline: Pipeline, ids: list[str], as_json: bool) -> None:
    try:
        withdrawn = pipeline.withdraw_ministry_decisions(ids)
    except KeyError as error:
        fail(f"id: no stored recommendation {error.args[0]!r}")
    finally:
        pipeline.close()
    if as_json:
        typer.echo(json.dumps({"withdrawn": withdrawn, "without_decision": [i for i in ids if i not in withdrawn]}))
    else:
        typer.echo(f"decisions withdrawn: {len(withdrawn)}; without a decision: {len(ids) - len(withdrawn)}")


def _file_decisions(path: Path, fmt: str, encoding: str | None, known: set[str]) -> list:
    from corpora.decision_files import read_ministry_decisions
    from corpora.tables import guess_format

    try:
        return list(read_ministry_decisions(path, guess_format(path) if fmt == "auto" else fmt, known, encoding))
    except (FileFormatError, OSError) as error:
        fail(str(error))


def _given_decisions(ids: list[str], lead: str | None, supporting: list[str], known: set[str]) -> list:
    """The decision given on the command line, for each of ``ids``, checked as a file's row is."""
    from corpora.decision_files import parse_decision

    columns = {"id": "id", "lead": "lead", "supporting": "supporting"}
    return [
        parse_decision(0, {"id": rec, "lead": lead or "", "supporting": supporting}, columns, known)
        or RowError(0, "give the lead body with --lead", "lead")
        for rec in ids
    ]


def _cluster_members(settings: Settings, pipeline: Pipeline, cluster_id: str | None) -> list[str]:
    from nlp.clustering import ClusterNotFoundError
    from service.factory import build_cluster_manager

    try:
        return [member["id"] for member in build_cluster_manager(settings, pipeline).cluster(cluster_id).members]
    except ClusterNotFoundError:
        fail(f"no cluster {cluster_id!r}")


@app.command("directory")
def check_directory(
    source: Annotated[
        str | None, typer.Argument(help="A country code of corpora/ministries/ or a YAML path (default: the one set).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check a ministry directory as the service loads it (names and mandates in AR/FR/EN, kinds, unique ids,
    rules naming known UPR Info issues, UHRI themes and SDG targets) and summarise it."""
    from collections import Counter

    from corpora.ministries import DirectoryError
    from service.factory import load_configured_directory

    settings = get_settings()
    if source:
        settings = settings.model_copy(update={"ministry_directory": source})
    try:
        directory = load_configured_directory(settings)
    except DirectoryError as error:
        fail(str(error))
    summary = {
        "country": directory.country,
        "bodies": len(directory),
        "kinds": dict(Counter(body.kind for body in directory)),
        "rules": {
            "upr_issues": sum(len(body.upr_issues) for body in directory),
            "themes": sum(len(body.themes) for body in directory),
            "sdg_targets": sum(len(body.sdg_targets) for body in directory),
        },
        "keyword_phrases": {
            language: sum(len(body.keywords.get(language, ())) for body in directory) for language in ("ar", "fr", "en")
        },
        "bodies_without_rules": [
            body.id
            for body in directory
            if not (body.upr_issues or body.themes or body.sdg_targets or any(body.keywords.values()))
        ],
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    kinds = ", ".join(f"{kind} {count}" for kind, count in summary["kinds"].items())
    rules = ", ".join(f"{count} {name}" for name, count in summary["rules"].items())
    phrases = ", ".join(f"{language} {count}" for language, count in summary["keyword_phrases"].items())
    typer.echo(f"{directory.country}: {len(directory)} bodies ({kinds}); rules name {rules}; keyword phrases {phrases}")
    if summary["bodies_without_rules"]:
        typer.echo(f"without rules (mandate and decisions only): {', '.join(summary['bodies_without_rules'])}")
