"""Taxonomies in three languages, states, dashboard statistics and cluster exports."""

import csv
import io

import pytest

from service.exports import ANNOTATION_COLUMNS


@pytest.mark.parametrize("name", ["sdg-goals", "sdg-targets", "themes", "affected-persons", "ministries"])
def test_taxonomies_in_arabic_french_and_english(service, name):
    labels = {lang: service.get(f"/taxonomies/{name}", params={"lang": lang}).json() for lang in ("ar", "fr", "en")}
    assert len(labels["ar"]) == len(labels["en"]) > 0
    assert labels["ar"][0]["code"] == labels["en"][0]["code"]
    assert labels["ar"][0]["label"] != labels["en"][0]["label"] != labels["fr"][0]["label"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in labels["ar"][0]["label"])


def test_taxonomy_errors(service):
    assert service.get("/taxonomies/colours").status_code == 422
    assert service.get("/taxonomies/themes", params={"lang": "de"}).status_code == 422
    assert len(service.get("/taxonomies/sdg-targets").json()) == 169


def test_states_and_stats(loaded):
    assert loaded.get("/states").json() == [
        {"key": "Morocco", "label": None, "count": 3},
        {"key": "Tunisia", "label": None, "count": 2},
    ]
    stats = loaded.get("/stats").json()
    assert stats["total"] == 5
    assert sum(c["count"] for c in stats["per_mechanism"]) == 5
    assert sum(c["count"] for c in stats["per_ministry"]) == 5  # one lead each
    assert sum(int(c["key"]) * c["count"] for c in stats["cluster_sizes"]) == 5
    morocco = loaded.get("/stats", params={"state": "Morocco", "label_lang": "fr"}).json()
    assert morocco["total"] == 3 and all(c["label"] for c in morocco["per_ministry"])
    assert loaded.get("/stats", params={"mechanism": "CAT"}).json()["per_mechanism"] == [
        {"key": "CAT", "label": None, "count": 1}
    ]


def test_exports_in_csv_and_xlsx(loaded):
    from openpyxl import load_workbook

    csv_export = loaded.get("/exports/clusters", params={"format": "csv"})
    assert csv_export.status_code == 200 and csv_export.headers["content-type"].startswith("text/csv")
    lines = csv_export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("cluster_id,") and len(lines) == 6
    header = lines[0].split(",")
    rows = list(csv.DictReader(lines))
    assert header[-len(ANNOTATION_COLUMNS) :] == list(ANNOTATION_COLUMNS) and "lead_ministry" in header
    assert all(row["lead_ministry"] for row in rows)
    assert not any(row["ministries_decided_by"] for row in rows)  # proposals only: nobody decided yet
    xlsx = loaded.get("/exports/clusters", params={"format": "xlsx", "state": "Tunisia"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3 and "attachment" in xlsx.headers["content-disposition"]
    assert loaded.get("/exports/clusters", params={"format": "pdf"}).status_code == 422


def test_xlsx_export_survives_control_characters_left_in_an_older_store(loaded):
    from openpyxl import load_workbook

    store = loaded.client.app.state.pipeline.store
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE recommendations SET text = 'Abolish\x01 the death penalty' WHERE id = 's4'")
    xlsx = loaded.get("/exports/clusters", params={"format": "xlsx"})
    assert xlsx.status_code == 200
    texts = [row[6] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    assert "Abolish the death penalty" in texts
