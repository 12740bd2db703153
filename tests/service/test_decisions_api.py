import json

from tests.conftest import write_csv


def upload(service, path, role="coordinator", **form):
    with path.open("rb") as handle:
        return service.post("/ministry-decisions", role=role, files={"file": (path.name, handle)}, data=form)


def test_a_file_of_decisions_is_stored_and_its_bad_rows_returned_by_line(loaded, tmp_path):
    # a decision that changes the mapper's proposal (one that repeats it counts as unchanged)
    assert loaded.get("/recommendations/s1").json()["ministries"]["lead"]["id"] != "habous"
    rows = [
        {"id": "s1", "lead_ministry": "habous", "supporting_ministries": "didh; justice"},
        {"id": "s2", "lead_ministry": "ministry-of-magic", "supporting_ministries": ""},
        {"id": "nope", "lead_ministry": "justice", "supporting_ministries": ""},
    ]
    response = upload(loaded, write_csv(tmp_path / "decisions.csv", rows, list(rows[0])))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "applied": 1,
        "unchanged": 0,
        "rejected": [
            {"line": 3, "field": "lead", "message": "unknown body 'ministry-of-magic'"},
            {"line": 4, "field": "id", "message": "no stored recommendation 'nope'"},
        ],
    }
    bodies = loaded.get("/recommendations/s1").json()["ministries"]
    assert bodies["source"] == "manual" and bodies["lead"]["id"] == "habous"
    assert [body["id"] for body in bodies["supporting"]] == ["didh", "justice"]
    assert loaded.get("/recommendations/s2").json()["ministries"]["source"] == "auto"


def test_an_unchanged_proposal_stays_one_unless_confirmed(loaded, tmp_path):
    proposal = loaded.get("/recommendations/s3").json()["ministries"]
    line = {"id": "s3", "lead": proposal["lead"]["id"], "supporting": [b["id"] for b in proposal["supporting"]]}
    path = tmp_path / "same.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert upload(loaded, path).json()["unchanged"] == 1
    assert loaded.get("/recommendations/s3").json()["ministries"]["source"] == "auto"
    assert upload(loaded, path, confirm_unchanged="true").json()["applied"] == 1
    assert loaded.get("/recommendations/s3").json()["ministries"]["source"] == "manual"


def test_a_file_of_decisions_needs_a_coordinator_and_its_columns(loaded, tmp_path):
    path = write_csv(tmp_path / "d.csv", [{"id": "s1", "lead": "justice"}])
    assert upload(loaded, path, role="reader").status_code == 403
    no_lead = upload(loaded, write_csv(tmp_path / "x.csv", [{"id": "s1", "ministry": "justice"}]))
    assert no_lead.status_code == 422 and no_lead.json()["detail"].startswith("file: x.csv: no lead column")
    unknown_format = upload(loaded, path, format="pdf")
    assert unknown_format.status_code == 422 and unknown_format.json()["detail"].startswith("format")
