"""The ``tawsiya`` command line: import files, search, serve the API, rebuild the index.

Every command takes ``--store DIR`` (default ``$TAWSIYA_HOME`` or ``~/.local/share/tawsiya``).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from corpora.recommendation_files import FORMATS, read_recommendations
from corpora.tables import FileFormatError
from nlp.pipeline import Pipeline
from nlp.records import DecisionSummary, ImportSummary, RowError, SearchHit, SourceRow
from service.config import Settings, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Tawsiya: analyse UN human-rights recommendations.")

StoreOption = Annotated[
    Path | None, typer.Option("--store", help="Store folder (database and index); default $TAWSIYA_HOME.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _settings(store: Path | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"home": store.expanduser()}) if store else settings


def _pipeline(settings: Settings) -> Pipeline:
    from service.factory import build_pipeline

    return build_pipeline(settings)


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="CSV, XLSX or JSON Lines file of recommendations.")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")] = "auto",
    encoding: Annotated[str | None, typer.Option(help="Text encoding of a CSV/JSONL file (default: UTF-8).")] = None,
    cluster: Annotated[bool, typer.Option(help="Re-cluster the states the import touched.")] = True,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import recommendations: normalise, detect language, embed, store, index and cluster them.

    Rejected rows are reported with their line number and reason; the other rows are kept.
    """
    settings = _settings(store).model_copy(update={"cluster_on_import": cluster})
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    try:
        rows: list[SourceRow | RowError] = list(
            read_recommendations(path, fmt, encoding=encoding, max_text_chars=settings.max_text_chars)
        )
    except FileFormatError as error:
        _fail(str(error))
    pipeline = _pipeline(settings)
    total = sum(1 for row in rows if isinstance(row, SourceRow))
    summary = _run_import(pipeline, rows, str(path), fmt, total, show_progress=not as_json)
    pipeline.close()
    _print_summary(
        summary,
        as_json,
        f"import {summary.import_id}: {summary.rows_read} rows read, {summary.inserted} new, "
        f"{summary.already_stored} already stored, {len(summary.rejected)} rejected",
    )


def _print_summary(summary: ImportSummary | DecisionSummary, as_json: bool, line: str, shown: int = 50) -> None:
    """The summary as JSON, or ``line`` and the first ``shown`` rejected rows (on stderr)."""
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
        return
    typer.echo(line)
    for error in summary.rejected[:shown]:
        typer.echo(f"  rejected {error}", err=True)
    if len(summary.rejected) > shown:
        typer.echo(f"  ... and {len(summary.rejected) - shown} more (see --json)", err=True)


def _run_import(
    pipeline: Pipeline, rows: list[SourceRow | RowError], source: str, fmt: str, total: int, show_progress: bool
) -> ImportSummary:
    from tqdm import tqdm

    with tqdm(total=total, unit="rec", desc="importing", disable=not show_progress, file=sys.stderr) as bar:

        def progress(summary: ImportSummary) -> None:
            bar.update(summary.rows_read - bar.n)
            bar.set_postfix(new=summary.inserted, stored=summary.already_stored, rejected=len(summary.rejected))

        return pipeline.import_rows(rows, source, fmt, on_progress=progress)


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    return {"score": round(hit.score, 4), **hit.record, "duplicates": list(hit.duplicates)}


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="Text to search for, in any supported language.")] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, help="Number of results.")] = 10,
    lang: Annotated[str | None, typer.Option("--lang", help="Only results in this language (ar, fr, en...).")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state under review.")] = None,
    mechanism: Annotated[str | None, typer.Option("--mechanism", help="Only this mechanism (UPR, CRC...).")] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", help="Drop results scoring below this (cosine less ranking penalties)."),
    ] = None,
    queries: Annotated[Path | None, typer.Option("--queries", help="File with one query per line.")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search stored recommendations across languages; an Arabic query finds English and French ones."""
    if (query is None) == (queries is None):
        _fail("give either a QUERY or --queries FILE")
    settings = _settings(store)
    top_k = min(top_k, settings.max_top_k)
    if queries is not None:
        try:
            texts = [line.strip() for line in queries.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as error:
            _fail(f"cannot read {queries}: {error}")
    else:
        texts = [query or ""]
    pipeline = _pipeline(settings)
    filters = {"language": lang, "state_under_review": state, "mechanism": mechanism, "min_score": min_score}
    results: list[list[SearchHit]] = [[] for _ in texts]
    non_empty = [i for i, text in enumerate(texts) if text]
    for i, hits in zip(non_empty, pipeline.search_many([texts[i] for i in non_empty], top_k, **filters), strict=True):
        results[i] = hits
    pipeline.close()
    for text, hits in zip(texts, results, strict=True):
        if as_json:
            typer.echo(json.dumps([_hit_json(hit) for hit in hits], ensure_ascii=False))
            continue
        if queries is not None:
            typer.echo(f"# {text}")
        for rank, hit in enumerate(hits, start=1):
            record = hit.record
            where = " · ".join(
                str(v)
                for v in (
                    record["mechanism"],
                    record["state_under_review"],
                    record["recommending_state"],
                    record["cycle"] and f"cycle {record['cycle']}",
                )
                if v
            )
            typer.echo(
                f"{rank:>2}. [{hit.score:.3f}] ({record['language']}) {record['text']}\n    {record['id']} · {where}"
            )


@app.command()
def tag(
    text: Annotated[str | None, typer.Argument(help="Recommendation text in any supported language.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A recommendation file (any import format).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the text (default: detected).")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tag free text: SDG goals and targets, UHRI themes, UPR Info issues, affected persons, and the
    responsible bodies (learning from the coordinators' decisions in the store); nothing is stored."""
    from nlp.tagging.tagger import TAG_FIELDS
    from nlp.text import detect_language
    from service.factory import build_pipeline

    if (text is None) == (file is None):
        _fail("give either a TEXT or --file PATH")
    if file is not None:
        try:
            rows = [row for row in read_recommendations(file) if isinstance(row, SourceRow)]
        except FileFormatError as error:
            _fail(str(error))
        texts = [row.recommendation.text for row in rows]
        languages = [lang or row.recommendation.language or detect_language(row.recommendation.text) for row in rows]
    else:
        texts, languages = [text or ""], [lang or detect_language(text or "")]
    # as the service's POST /tag: the store's cached label vectors and the coordinators' decisions;
    # tagged and mapped whatever the settings do at import (this command stores nothing)
    settings = _settings(store).model_copy(
        update={"tag_on_import": True, "map_on_import": True, "cluster_on_import": False}
    )
    pipeline = build_pipeline(settings, with_index=False)
    try:
        annotations = pipeline.annotate_texts(texts, languages)
    finally:
        pipeline.close()
    for text_value, language, annotation in zip(texts, languages, annotations, strict=True):
        tags = {name: annotation.tags.get(name, []) for name in TAG_FIELDS}
        if as_json:
            payload = {"text": text_value, "language": language}
            payload.update({name: [t.as_dict() for t in tags[name]] for name in TAG_FIELDS})
            payload.update(_bodies_json(annotation.assignment))
            typer.echo(json.dumps(payload, ensure_ascii=False))
            continue
        typer.echo(f"{text_value}  ({language})")
        for name in TAG_FIELDS:
            shown = "; ".join(f"{t.code} {t.label} [{t.score:.2f}]" for t in tags[name]) or "-"
            typer.echo(f"  {name}: {shown}")
        if annotation.assignment is not None:
            assignment = annotation.assignment
            typer.echo(f"  lead: {assignment.lead.id} [{assignment.lead.score:.2f}] ({assignment.lead.reason})")
            for label, bodies in (("supporting", assignment.supporting), ("could also lead", assignment.alternatives)):
                typer.echo(f"  {label}: " + ("; ".join(f"{s.id} [{s.score:.2f}]" for s in bodies) or "-"))


def _bodies_json(assignment) -> dict[str, Any]:
    """``lead``, ``supporting`` and ``alternatives`` (other bodies that could lead) as ``{"id", "score",
    "reason"}`` objects (``null`` and ``[]`` without mapping)."""
    if assignment is None:
        return {"lead": None, "supporting": [], "alternatives": []}
    return {
        "lead": assignment.lead.as_dict(),
        "supporting": [body.as_dict() for body in assignment.supporting],
        "alternatives": [body.as_dict() for body in assignment.alternatives],
    }


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

    settings = _settings(store)
    pipeline = _pipeline(settings)
    manager = build_cluster_manager(settings, pipeline, threshold)
    scopes = [GLOBAL_SCOPE] if everything else [state] if state else manager.repository.scopes()
    if state and state not in manager.repository.scopes():
        _fail(f"no recommendation is stored for state under review {state!r}")
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

    settings = _settings(store)
    pipeline = _pipeline(settings)
    try:
        view = action(build_cluster_manager(settings, pipeline))
    except ClusterNotFoundError as error:
        _fail(f"no cluster or recommendation {error.args[0]!r}")
    except ValueError as error:
        _fail(str(error))
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
        _fail(f"unknown format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    settings = _settings(store)
    pipeline = _pipeline(settings)
    manager = build_cluster_manager(settings, pipeline)
    scopes = [state] if state else manager.repository.scopes()
    views = [view for scope in scopes for view in manager.clusters(scope, min_size, lang)]
    annotations = member_annotations(pipeline, views)
    pipeline.close()
    rows = write_clusters(views, out, fmt, annotations)
    typer.echo(f"wrote {rows} rows ({len(views)} clusters) to {out}")


@app.command()
def assign(
    state: Annotated[str | None, typer.Option("--state", help="One state under review (default: every state).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 0,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Lead and supporting bodies of stored recommendations (a coordinator's correction wins).

    Recommendations stored before ministry mapping existed are mapped now, and the proposals kept."""
    from nlp.store.listing import RecommendationFilter, matching_pks

    settings = _settings(store)
    pipeline = _pipeline(settings)
    if pipeline.mapper is None:
        _fail("ministry mapping is off (TAWSIYA_MAP_ON_IMPORT=false)")
    pks = matching_pks(pipeline.store, RecommendationFilter(state=state))
    pks = pipeline.store.indexed_pks(pipeline.embedder.name) if pks is None else pks
    pks = [int(pk) for pk in (pks[:limit] if limit else pks)]
    mapped = pipeline.map_missing(pks)
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
        list[str] | None, typer.Option("--supporting", help="Id of a supporting body (repeat it for several).")
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
        bool, typer.Option("--withdraw", help="Withdraw the decision on ID: the mapper's proposal stands again.")
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", help="Who decides, kept with the decision (default: your user name).")
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set a coordinator's lead and supporting bodies: for one recommendation, every member of a cluster,
    or from a file; or withdraw the decision on one recommendation (--withdraw).

    A file holds one decision per row: id, lead (or lead_ministry) and supporting (or
    supporting_ministries, ids separated by ';'), the columns `tawsiya export` writes. Decisions are
    stored as corrections: the mapper never overwrites them and learns from them at once. A row that
    repeats the mapper's proposal leaves it a proposal (unless --confirm-unchanged); a decision given
    on the command line always confirms it. Rejected rows are reported with their line number and
    reason; the other rows are kept."""
    from corpora.tables import TABLE_FORMATS

    if sum(target is not None for target in (rec_id, cluster, file)) != 1:
        _fail("give one of: a recommendation ID, --cluster ID (both with --lead), or --file FILE")
    if fmt not in ("auto", *TABLE_FORMATS):
        _fail(f"unknown format {fmt!r}; expected auto or one of {', '.join(TABLE_FORMATS)}")
    if file is not None and not file.is_file():
        _fail(f"no file {file}")
    if withdraw and (rec_id is None or lead is not None or supporting):
        _fail("--withdraw takes a recommendation ID alone")
    settings = _settings(store)
    pipeline = _pipeline(settings)
    if pipeline.mapper is None:
        _fail("ministry mapping is off (TAWSIYA_MAP_ON_IMPORT=false)")
    if withdraw:
        _withdraw(pipeline, rec_id, as_json)
        return
    if file is not None:
        decisions = _file_decisions(file, fmt, encoding, set(pipeline.mapper.ids))
    else:
        ids = [rec_id] if rec_id is not None else _cluster_members(settings, pipeline, cluster)
        decisions = _given_decisions(ids, lead, supporting or [], set(pipeline.mapper.ids))
    summary = pipeline.apply_ministry_decisions(
        decisions, confirm_proposals=file is None or confirm_unchanged, decided_by=by or _user()
    )
    pipeline.close()
    if file is None and summary.rejected:
        error = summary.rejected[0]
        _fail(f"{error.field}: {error.message}")
    _print_summary(
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


def _withdraw(pipeline: Pipeline, rec_id: str, as_json: bool) -> None:
    try:
        withdrawn = pipeline.withdraw_ministry_decision(rec_id)
    except KeyError:
        _fail(f"id: no stored recommendation {rec_id!r}")
    finally:
        pipeline.close()
    if as_json:
        typer.echo(json.dumps({"id": rec_id, "withdrawn": withdrawn}))
    else:
        typer.echo(f"{rec_id}: decision withdrawn" if withdrawn else f"{rec_id}: no coordinator decision to withdraw")


def _file_decisions(path: Path, fmt: str, encoding: str | None, known: set[str]) -> list:
    from corpora.decision_files import read_ministry_decisions
    from corpora.tables import guess_format

    try:
        return list(read_ministry_decisions(path, guess_format(path) if fmt == "auto" else fmt, known, encoding))
    except (FileFormatError, OSError) as error:
        _fail(str(error))


def _given_decisions(ids: list[str], lead: str | None, supporting: list[str], known: set[str]) -> list:
    """The decision given on the command line, for each of ``ids`` (checked once: it is the same for all)."""
    from corpora.decision_files import parse_decision

    columns = {"id": "id", "lead": "lead", "supporting": "supporting"}
    checked = parse_decision(0, {"id": "-", "lead": lead or "", "supporting": supporting}, columns, known)
    if checked is None:
        checked = RowError(0, "give the lead body with --lead", "lead")
    if isinstance(checked, RowError):
        return [checked]
    return [parse_decision(0, {"id": rec, "lead": lead, "supporting": supporting}, columns, known) for rec in ids]


def _cluster_members(settings: Settings, pipeline: Pipeline, cluster_id: str | None) -> list[str]:
    from nlp.clustering import ClusterNotFoundError
    from service.factory import build_cluster_manager

    try:
        return [member["id"] for member in build_cluster_manager(settings, pipeline).cluster(cluster_id).members]
    except ClusterNotFoundError:
        _fail(f"no cluster {cluster_id!r}")


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
        _fail(str(error))
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
        key_id, key = ApiKeys(Store.open(_settings(store).home)).create(name, role)
    except ValueError as error:
        _fail(str(error))
    typer.echo(key)
    typer.echo(f"key {key_id} ({role}) created for {name!r}; keep it: only its hash is stored", err=True)


@keys.command("list")
def list_keys(store: StoreOption = None) -> None:
    from nlp.store import Store
    from service.auth import ApiKeys

    for key in ApiKeys(Store.open(_settings(store).home)).list():
        state = "revoked" if key["revoked"] else "active"
        typer.echo(f"{key['id']}\t{key['role']}\t{key['prefix']}…\t{state}\t{key['name']}")


@keys.command("revoke")
def revoke_key(key_id: int, store: StoreOption = None) -> None:
    from nlp.store import Store
    from service.auth import ApiKeys

    if not ApiKeys(Store.open(_settings(store).home)).revoke(key_id):
        _fail(f"no key {key_id}")
    typer.echo(f"key {key_id} revoked")


@app.command()
def reindex(store: StoreOption = None) -> None:
    """Rebuild the vector index from the vectors kept in the store (no re-embedding)."""
    pipeline = _pipeline(_settings(store))
    count = pipeline.rebuild_index()
    pipeline.close()
    typer.echo(f"index rebuilt: {count} vectors")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOption = None,
) -> None:
    """Start the HTTP API (FastAPI, served by uvicorn)."""
    import uvicorn

    from service.main import create_app

    settings = _settings(store)
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


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
