"""Helpers shared by the evaluation scripts: the evaluation store, data files, table printing."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from corpora.paths import PROJECT_ROOT, UPR_INFO_DEV, data_file
from corpora.recommendation_files import read_recommendations
from nlp.pipeline import Pipeline
from service.config import Settings
from service.factory import build_embedder, build_word_translation

EVAL_DATA = PROJECT_ROOT / "evaluation" / "data"
RESULTS = PROJECT_ROOT / "evaluation" / "results"
DEFAULT_EVAL_STORE = RESULTS / "store"

logger = logging.getLogger("evaluation")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def open_dev_pipeline(store: Path | None = None, settings: Settings | None = None) -> Pipeline:
    """A pipeline over the evaluation store holding the whole UPR Info dev set (imported once)."""
    settings = settings or Settings()
    store = store or DEFAULT_EVAL_STORE
    pipeline = Pipeline.open(store, build_embedder(settings))
    pipeline.word_translation = build_word_translation(settings)
    dev = data_file(settings.data_dir, UPR_INFO_DEV)
    if pipeline.store.count() < 50_000:
        logger.warning("importing the UPR Info dev set into %s (once; a few minutes on 2 cores)", store)
        pipeline.import_rows(read_recommendations(dev, "upr-info"), str(dev), "upr-info")
    return pipeline


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    rows = [[f"{v:.4f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def write_results(name: str, results: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
