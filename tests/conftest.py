"""Shared fixtures: a temporary store with the tiny deterministic embedder, multilingual samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.paths import default_data_dir
from nlp.embedding import HashingEmbedder
from nlp.pipeline import Pipeline

SAMPLES = [
    {
        "id": "s1",
        "text": "Ratify the Optional Protocol to the Convention against Torture",
        "mechanism": "UPR",
        "state_under_review": "Morocco",
        "recommending_state": "France",
        "cycle": 2,
    },
    {
        "id": "s2",
        "text": "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture",
        "mechanism": "CAT",
        "state_under_review": "Morocco",
        "cycle": 3,
    },
    {
        "id": "s3",
        "text": "التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب",
        "mechanism": "UPR",
        "state_under_review": "Tunisia",
        "recommending_state": "Spain",
        "cycle": 3,
    },
    {"id": "s4", "text": "Abolish the death penalty", "mechanism": "UPR", "state_under_review": "Morocco"},
    {
        "id": "s5",
        "text": "Raise the minimum age of marriage to 18 for girls and boys",
        "mechanism": "CRC",
        "state_under_review": "Tunisia",
    },
]


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder(dim=64)


@pytest.fixture
def pipeline(tmp_path: Path, embedder: HashingEmbedder) -> Pipeline:
    opened = Pipeline.open(tmp_path / "store", embedder)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = default_data_dir()
    if not (path / "upr-info-2018").is_dir():
        pytest.skip(f"public data not found in {path} (set TAWSIYA_DATA_DIR)")
    return path


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    import csv

    columns = columns or sorted({key for row in rows for key in row})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
