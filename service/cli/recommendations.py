"""Import, search, tag and re-index recommendations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from corpora.recommendation_files import FORMATS, read_recommendations
from corpora.tables import FileFormatError
from nlp.pipeline import Pipeline
from nlp.records import ImportSummary, RowError, SearchHit, SourceRow
from service.cli.common import JsonOption, StoreOption, app, fail, open_pipeline, print_summary, settings_for


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
    settings = settings_for(store).model_copy(update={"cluster_on_import": cluster})
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    try:
        rows: list[SourceRow | RowError] = list(
            read_recommendations(path, fmt, encoding=encoding, max_text_chars=settings.max_text_chars)
        )
    except FileFormatError as error:
        fail(str(error))
    pipeline = open_pipeline(settings)
    total = sum(1 for row in rows if isinstance(row, SourceRow))
    summary = _run_import(pipeline, rows, str(path), fmt, total, show_progress=not as_json)
    pipeline.close()
    print_summary(
        summary,
        as_json,
        f"import {summary.import_id}: {summary.rows_read} rows read, {summary.inserted} new, "
        f"{summary.already_stored} already stored, {len(summary.rejected)} rejected",
    )


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
        fail("give either a QUERY or --queries FILE")
    settings = settings_for(store)
    top_k = min(top_k, settings.max_top_k)
    if queries is not None:
        try:
            texts = [line.strip() for line in queries.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read {queries}: {error}")
    else:
        texts = [query or ""]
    pipeline = open_pipeline(settings)
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
        fail("give either a TEXT or --file PATH")
    if file is not None:
        try:
            rows = [row for row in read_recommendations(file) if isinstance(row, SourceRow)]
        except FileFormatError as error:
            fail(str(error))
        texts = [row.recommendation.text for row in rows]
        languages = [lang or row.recommendation.language or detect_language(row.recommendation.text) for row in rows]
    else:
        texts, languages = [text or ""], [lang or detect_language(text or "")]
    # as the service's POST /tag: the store's cached label vectors and the coordinators' decisions;
    # tagged and mapped whatever the settings do at import (this command stores nothing)
    settings = settings_for(store).model_copy(
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
def reindex(store: StoreOption = None) -> None:
    """Rebuild the vector index from the vectors kept in the store (no re-embedding)."""
    pipeline = open_pipeline(settings_for(store))
    count = pipeline.rebuild_index()
    pipeline.close()
    typer.echo(f"index rebuilt: {count} vectors")
