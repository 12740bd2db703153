import pytest
from fastapi.testclient import TestClient

from corpora.recommendation_files import read_recommendations
from nlp.embedding import HashingEmbedder
from nlp.pipeline import Pipeline
from service.config import Settings
from service.main import create_app
from tests.conftest import SAMPLES, write_csv


@pytest.fixture
def client(tmp_path):
    settings = Settings(home=tmp_path / "home", max_top_k=5)

    def factory(s):
        pipeline = Pipeline.open(s.home, HashingEmbedder())
        path = write_csv(tmp_path / "recs.csv", SAMPLES)
        pipeline.import_rows(read_recommendations(path), str(path), "csv")
        return pipeline

    with TestClient(create_app(settings, pipeline_factory=factory)) as test_client:
        yield test_client


def test_health(client):
    body = client.get("/health").json()
    assert body == {"status": "ok", "recommendations": 5, "indexed": 5, "embedding_model": "hashing-64"}


def test_search_returns_scored_hits_with_metadata(client):
    body = client.get("/search", params={"q": "Abolish the death penalty", "k": 2}).json()
    assert body["hits"][0]["id"] == "s4" and body["hits"][0]["score"] == pytest.approx(1.0, abs=1e-4)
    assert body["hits"][0]["state_under_review"] == "Morocco"


def test_search_filters_and_limits(client):
    body = client.get("/search", params={"q": "torture", "mechanism": "CAT", "k": 5}).json()
    assert [h["id"] for h in body["hits"]] == ["s2"]
    too_many = client.get("/search", params={"q": "torture", "k": 50})
    assert too_many.status_code == 422 and "k" in too_many.json()["detail"]
    assert client.get("/search", params={"q": ""}).status_code == 422
