"""Uploads: background import jobs with progress, rejected rows named by line, limits, resume."""

import json

from tests.conftest import SAMPLES, write_csv


def _upload(service, name: str, content: bytes, **data):
    return service.post("/imports", files={"file": (name, content, "application/octet-stream")}, data=data)


def test_upload_runs_in_the_background_and_reports_progress(loaded):
    job = loaded.get("/imports").json()[0]
    assert job["status"] == "done" and job["rows_total"] == 5 and job["inserted"] == 5
    assert loaded.get("/health").json()["recommendations"] == 5
    assert loaded.get(f"/imports/{job['id']}").json()["rows_read"] == 5


def test_rejected_rows_are_reported_with_line_and_field_and_good_rows_kept(service):
    rows = [
        {"text": "Abolish the death penalty", "cycle": "3"},
        {"text": "", "cycle": "2"},
        {"text": "Ratify the ICRMW", "cycle": "ninety"},
        {"text": "Adopt a law against domestic violence", "cycle": ""},
    ]
    content = "\n".join(json.dumps(row) for row in rows).encode()
    job = _upload(service, "new.jsonl", content).json()
    done = service.wait_for_import(job["id"])
    assert done["status"] == "done" and done["inserted"] == 2 and done["rejected_count"] == 2
    # the progress counts every row read, good or bad, so a finished import reads its whole file
    assert done["rows_read"] == done["rows_total"] == 4
    assert [(r["line"], r["field"]) for r in done["rejected"]] == [(2, "text"), (3, "cycle")]
    assert all(r["message"] for r in done["rejected"])


def test_reimporting_the_same_file_stores_nothing_twice(loaded, tmp_path):
    path = write_csv(tmp_path / "again.csv", SAMPLES)
    job = _upload(loaded, "again.csv", path.read_bytes()).json()
    done = loaded.wait_for_import(job["id"])
    assert done["inserted"] == 0 and done["already_stored"] == 5
    assert loaded.get("/health").json()["recommendations"] == 5


def test_upload_limits_answer_4xx_naming_the_field(service):
    too_big = _upload(service, "big.csv", b"text\n" + b"x" * (65 * 1024))
    assert too_big.status_code == 413 and too_big.json()["detail"].startswith("file:")
    many = "text\n" + "\n".join(f"Recommendation number {i}" for i in range(60))
    too_many = _upload(service, "many.csv", many.encode())
    assert too_many.status_code == 422 and "at most 50" in too_many.json()["detail"]
    no_text = _upload(service, "columns.csv", b"state,cycle\nMorocco,3\n")
    assert no_text.status_code == 422 and "no text column" in no_text.json()["detail"]
    empty = _upload(service, "empty.csv", b"")
    assert empty.status_code == 422
    bad_format = _upload(service, "x.csv", b"text\nHello\n", format="pdf")
    assert bad_format.status_code == 422 and bad_format.json()["detail"].startswith("format:")
    assert service.get("/health").json()["recommendations"] == 0


def test_unknown_import_is_404_and_a_finished_one_cannot_be_resumed(loaded):
    assert loaded.get("/imports/999").status_code == 404
    job_id = loaded.get("/imports").json()[0]["id"]
    refused = loaded.post(f"/imports/{job_id}/resume")
    assert refused.status_code == 409 and "cannot be resumed" in refused.json()["detail"]


def test_an_interrupted_import_is_marked_at_start_and_resumed_without_duplicates(tmp_path):
    from fastapi.testclient import TestClient

    from nlp.store import Store
    from service.auth import ApiKeys
    from service.main import create_app
    from tests.service.conftest import Service, service_settings

    settings = service_settings(tmp_path)
    path = write_csv(tmp_path / "upload.csv", SAMPLES)
    store = Store.open(settings.home)
    key = ApiKeys(store).create("coordinator", "coordinator")[1]
    # what a killed process leaves: a queued upload, two of its rows already committed
    import_id = store.imports.queue("upload.csv", "auto", str(path), 5)
    store.imports.start("upload.csv", "auto", import_id)
    store.close()
    from corpora.recommendation_files import read_recommendations
    from nlp.embedding import HashingEmbedder
    from nlp.pipeline import Pipeline

    partial = Pipeline.open(settings.home, HashingEmbedder())
    partial.import_rows(list(read_recommendations(path))[:2], "upload.csv", "auto")
    partial.close()
    with TestClient(create_app(settings)) as client:
        service = Service(client, {"coordinator": {"X-API-Key": key}, "reader": {"X-API-Key": key}})
        before = service.get(f"/imports/{import_id}").json()
        assert before["status"] == "interrupted" and before["resumable"]
        assert service.post(f"/imports/{import_id}/resume").status_code == 202
        after = service.wait_for_import(import_id)
        assert after["status"] == "done" and after["inserted"] == 3 and after["already_stored"] == 2
        assert service.get("/health").json()["recommendations"] == 5
