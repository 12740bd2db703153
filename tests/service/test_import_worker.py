"""Imports in a worker process: rows committed by the worker are served and searchable by the service."""

from fastapi.testclient import TestClient

from nlp.store import Store
from service.auth import ApiKeys
from service.main import create_app
from tests.conftest import SAMPLES, write_csv
from tests.service.conftest import Service, service_settings


def _service(client: TestClient) -> Service:
    keys = ApiKeys(client.app.state.pipeline.store)
    return Service(client, {role: {"X-API-Key": keys.create(role, role)[1]} for role in ("reader", "coordinator")})


def test_a_worker_process_imports_and_the_service_indexes_its_rows(tmp_path):
    settings = service_settings(tmp_path, import_worker_process=True, cluster_on_import=True)
    path = write_csv(tmp_path / "samples.csv", SAMPLES)
    with TestClient(create_app(settings)) as client:
        service = _service(client)
        with path.open("rb") as handle:
            job = service.post("/imports", files={"file": ("samples.csv", handle, "text/csv")}).json()
        done = service.wait_for_import(job["id"])
        assert done["status"] == "done" and done["inserted"] == len(SAMPLES)
        assert client.app.state.jobs.futures[job["id"]].exception() is None
        assert len(client.app.state.pipeline.index) == len(SAMPLES)
        hits = service.get("/search", params={"q": SAMPLES[0]["text"]}).json()["hits"]
        assert hits[0]["id"] == SAMPLES[0]["id"]
        # the worker clustered the state it touched; the service sees the clusters
        assert (
            service.get("/clusters", params={"state": SAMPLES[0]["state_under_review"], "min_size": 1}).json()["total"]
            >= 1
        )
    # the saved index holds the worker's rows: the next start loads it as it is
    store = Store.open(settings.home)
    assert len(store.indexed_pks("hashing-64")) == len(SAMPLES)
    store.close()
