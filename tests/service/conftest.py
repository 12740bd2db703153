"""A service over a temporary store with the tiny deterministic embedder, and one API key per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from service.auth import ROLES, ApiKeys
from service.config import Settings
from service.main import create_app
from tests.conftest import SAMPLES, write_csv


@dataclass
class Service:
    client: TestClient
    headers: dict[str, dict[str, str]]

    def get(self, url: str, role: str = "reader", **kwargs):
        return self.client.get(url, headers=self.headers[role], **kwargs)

    def post(self, url: str, role: str = "coordinator", **kwargs):
        return self.client.post(url, headers=self.headers[role], **kwargs)

    def put(self, url: str, role: str = "coordinator", **kwargs):
        return self.client.put(url, headers=self.headers[role], **kwargs)

    def delete(self, url: str, role: str = "admin", **kwargs):
        return self.client.delete(url, headers=self.headers[role], **kwargs)

    def wait_for_import(self, import_id: int) -> dict:
        self.client.app.state.jobs.futures[import_id].result(timeout=120)
        return self.get(f"/imports/{import_id}").json()


def service_settings(tmp_path, **overrides) -> Settings:
    values = {
        "home": tmp_path / "home",
        "embedding_model": "hashing:64",
        "tag_on_import": False,
        "max_top_k": 5,
        "max_page_size": 20,
        "max_batch_size": 10,
        "max_import_rows": 50,
        "max_upload_bytes": 64 * 1024,
        # imports on a thread: a worker process costs seconds of start-up per import (tested apart)
        "import_worker_process": False,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
def service(tmp_path) -> Service:
    settings = service_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        keys = ApiKeys(client.app.state.pipeline.store)
        headers = {role: {"X-API-Key": keys.create(f"test {role}", role)[1]} for role in ROLES}
        yield Service(client, headers)


@pytest.fixture
def loaded(service: Service, tmp_path) -> Service:
    """The service with the five multilingual samples imported through the API."""
    path = write_csv(tmp_path / "samples.csv", SAMPLES)
    with path.open("rb") as handle:
        job = service.post("/imports", files={"file": ("samples.csv", handle, "text/csv")}).json()
    assert service.wait_for_import(job["id"])["status"] == "done"
    return service
