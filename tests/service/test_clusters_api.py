"""Cluster review through the API: list, read, confirm, merge, split; errors name the field."""

import pytest


@pytest.fixture
def clustered(service):
    """Two exact duplicates (one cluster) and three distinct recommendations for one state."""
    items = [
        {
            "id": "a1",
            "text": "Ratify the Optional Protocol to the Convention against Torture",
            "state_under_review": "Chad",
        },
        {
            "id": "a2",
            "text": "Ratify the Optional Protocol to the Convention against Torture.",
            "state_under_review": "Chad",
        },
        {"id": "b1", "text": "Abolish the death penalty", "state_under_review": "Chad"},
        {"id": "c1", "text": "Raise the minimum age of marriage to 18", "state_under_review": "Chad"},
        {"id": "d1", "text": "Adopt a law on domestic violence", "state_under_review": "Mali"},
    ]
    assert service.post("/recommendations", json={"items": items}).status_code == 201
    return service


def _cluster_of(service, rec_id):
    return service.get(f"/recommendations/{rec_id}").json()["cluster_id"]


def test_list_and_read_clusters_of_a_state(clustered):
    page = clustered.get("/clusters", params={"state": "Chad"}).json()
    assert page["total"] == 1 and page["items"][0]["size"] == 2
    cluster = page["items"][0]
    assert {m["id"] for m in cluster["members"]} == {"a1", "a2"} and cluster["representative"]["text"]
    every = clustered.get("/clusters", params={"state": "Chad", "min_size": 1}).json()
    assert every["total"] == 3
    assert clustered.get("/clusters", params={"min_size": 1}).json()["total"] == 4  # every state
    assert clustered.get(f"/clusters/{cluster['id']}").json()["id"] == cluster["id"]
    missing = clustered.get("/clusters/c-nothing")
    assert missing.status_code == 404 and missing.json()["detail"].startswith("cluster_id")


def test_merge_confirm_and_split(clustered):
    first, second = _cluster_of(clustered, "b1"), _cluster_of(clustered, "c1")
    merged = clustered.post("/clusters/merge", json={"cluster_id": first, "other_id": second})
    assert merged.status_code == 200 and {m["id"] for m in merged.json()["members"]} == {"b1", "c1"}
    confirmed = clustered.post(f"/clusters/{merged.json()['id']}/confirm").json()
    assert confirmed["confirmed"] is True
    split = clustered.post(f"/clusters/{confirmed['id']}/split", json={"recommendation_ids": ["c1"]})
    assert split.status_code == 200
    remaining, moved = split.json()
    assert [m["id"] for m in remaining["members"]] == ["b1"] and [m["id"] for m in moved["members"]] == ["c1"]
    # decisions survive a new import that re-clusters the state
    clustered.post("/recommendations", json={"id": "e1", "text": "Protect journalists", "state_under_review": "Chad"})
    assert _cluster_of(clustered, "b1") != _cluster_of(clustered, "c1")


def test_review_errors_name_the_field(clustered):
    chad, mali = _cluster_of(clustered, "b1"), _cluster_of(clustered, "d1")
    across = clustered.post("/clusters/merge", json={"cluster_id": chad, "other_id": mali})
    assert across.status_code == 422 and across.json()["detail"].startswith("other_id")
    itself = clustered.post("/clusters/merge", json={"cluster_id": chad, "other_id": chad})
    assert itself.status_code == 422
    pair = _cluster_of(clustered, "a1")
    stranger = clustered.post(f"/clusters/{pair}/split", json={"recommendation_ids": ["b1"]})
    assert stranger.status_code == 422 and stranger.json()["detail"].startswith("recommendation_ids")
    everyone = clustered.post(f"/clusters/{pair}/split", json={"recommendation_ids": ["a1", "a2"]})
    assert everyone.status_code == 422
    assert clustered.post("/clusters/c-none/confirm").status_code == 404


def test_a_cluster_carries_the_aggregate_of_its_members_bodies(clustered):
    pair = _cluster_of(clustered, "a1")
    clustered.put("/recommendations/a1/ministries", json={"lead": "didh", "supporting": ["justice"]})
    clustered.put("/recommendations/a2/ministries", json={"lead": "didh", "supporting": ["justice", "cndh"]})
    bodies = clustered.get(f"/clusters/{pair}").json()["ministries"]
    assert bodies["lead"] == {
        "id": "didh",
        "name": bodies["lead"]["name"],
        "score": 1.0,
        "reason": "lead for 2 of 2 members",
    }
    assert [b["id"] for b in bodies["supporting"]] == ["justice"]  # cndh: named by one member of two


def test_a_decision_on_a_cluster_sets_every_members_bodies(clustered):
    pair = _cluster_of(clustered, "a1")
    answer = clustered.put(f"/clusters/{pair}/ministries", json={"lead": "foreign_affairs", "supporting": ["didh"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["ministries"]["lead"]["reason"] == "lead for 2 of 2 members"
    for member in ("a1", "a2"):
        bodies = clustered.get(f"/recommendations/{member}").json()["ministries"]
        assert bodies["source"] == "manual" and bodies["lead"]["id"] == "foreign_affairs"
        assert [b["id"] for b in bodies["supporting"]] == ["didh"]
    assert clustered.get("/recommendations/b1").json()["ministries"]["source"] == "auto"
    unknown = clustered.put(f"/clusters/{pair}/ministries", json={"lead": "ministry-of-magic"})
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("lead")
    assert clustered.put(f"/clusters/{pair}/ministries", role="reader", json={"lead": "justice"}).status_code == 403
    assert clustered.put("/clusters/c-nope/ministries", json={"lead": "justice"}).status_code == 404
    withdrawn = clustered.delete(f"/clusters/{pair}/ministries")
    assert withdrawn.status_code == 200 and withdrawn.json()["ministries"]["lead"]["score"] < 1.0  # proposals again
    assert {clustered.get(f"/recommendations/{m}").json()["ministries"]["source"] for m in ("a1", "a2")} == {"auto"}
    assert clustered.delete("/clusters/c-nope/ministries").status_code == 404
