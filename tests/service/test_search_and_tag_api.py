"""Search with filters, hits carrying tags, bodies and cluster ids; stateless tagging."""


def test_search_returns_scored_hits_with_metadata_bodies_and_cluster(loaded):
    body = loaded.get("/search", params={"q": "Abolish the death penalty", "k": 2}).json()
    hit = body["hits"][0]
    assert hit["id"] == "s4" and abs(hit["score"] - 1.0) < 1e-3
    assert hit["state_under_review"] == "Morocco" and hit["cluster_id"].startswith("c-")
    assert hit["ministries"]["lead"]["id"]


def test_search_filters_and_limits(loaded):
    assert [h["id"] for h in loaded.get("/search", params={"q": "torture", "mechanism": "CAT"}).json()["hits"]] == [
        "s2"
    ]
    assert [h["id"] for h in loaded.get("/search", params={"q": "torture", "cycle": 2}).json()["hits"]] == ["s1"]
    too_many = loaded.get("/search", params={"q": "torture", "k": 50})
    assert too_many.status_code == 422 and too_many.json()["detail"].startswith("k:")
    assert loaded.get("/search", params={"q": ""}).status_code == 422
    assert loaded.get("/search", params={"q": "x" * 20_001}).status_code == 422
    lead = loaded.get("/recommendations/s4").json()["ministries"]["lead"]["id"]
    assert "s4" in [h["id"] for h in loaded.get("/search", params={"q": "death", "ministry": lead}).json()["hits"]]
    assert loaded.get("/search", params={"q": "death", "ministry": "nobody"}).json()["hits"] == []


def test_tag_route_answers_bodies_for_each_text_and_validates(service):
    response = service.post("/tag", "reader", json={"texts": ["Reform the prison system", "إصلاح نظام السجون"]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["language"] for r in results] == ["en", "ar"]
    assert all(r["ministries"]["lead"]["id"] and r["ministries"]["lead"]["reason"] for r in results)
    assert service.get("/health").json()["recommendations"] == 0  # nothing stored
    assert service.post("/tag", "reader", json={"texts": []}).status_code == 422
    empty = service.post("/tag", "reader", json={"texts": ["fine", "  "]})
    assert empty.status_code == 422 and empty.json()["detail"].startswith("texts[1]")
    mismatch = service.post("/tag", "reader", json={"texts": ["a"], "languages": ["en", "fr"]})
    assert mismatch.status_code == 422 and mismatch.json()["detail"].startswith("languages")
