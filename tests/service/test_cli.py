import json

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings
from tests.conftest import SAMPLES, write_csv

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TAWSIYA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TAWSIYA_EMBEDDING_MODEL", "hashing")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_import_json_summary_then_reimport_is_idempotent(env):
    path = write_csv(env / "recs.csv", SAMPLES + [{"text": "", "mechanism": "UPR"}])
    first = runner.invoke(app, ["import", str(path), "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["inserted"] == 5 and summary["rejected"] == [
        {"line": 7, "field": "text", "message": "the recommendation text is empty"}
    ]
    second = json.loads(runner.invoke(app, ["import", str(path), "--json"]).stdout)
    assert (second["inserted"], second["already_stored"]) == (0, 5)


def test_import_reports_a_file_error_and_exits_non_zero(env):
    path = write_csv(env / "bad.csv", [{"country": "Morocco"}])
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2 and "no text column" in result.output


def test_search_json_output_and_filters(env):
    runner.invoke(app, ["import", str(write_csv(env / "recs.csv", SAMPLES))])
    result = runner.invoke(app, ["search", "Abolish the death penalty", "--top-k", "2", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 2 and hits[0]["id"] == "s4"
    assert {"id", "text", "score", "language", "mechanism", "state_under_review", "cycle"} <= set(hits[0])
    only_fr = json.loads(runner.invoke(app, ["search", "torture", "--lang", "fr", "--json"]).stdout)
    assert [h["id"] for h in only_fr] == ["s2"]


def test_search_queries_file_prints_one_json_list_per_line_in_order(env):
    runner.invoke(app, ["import", str(write_csv(env / "recs.csv", SAMPLES))])
    queries = env / "queries.txt"
    queries.write_text("Abolish the death penalty\n\nRaise the minimum age of marriage to 18\n", encoding="utf-8")
    result = runner.invoke(app, ["search", "--queries", str(queries), "--top-k", "1", "--json"])
    lines = result.stdout.strip("\n").split("\n")
    assert [json.loads(line)[0]["id"] if json.loads(line) else None for line in lines] == ["s4", None, "s5"]


def test_store_option_overrides_the_home(env):
    other = env / "other-store"
    path = write_csv(env / "recs.csv", SAMPLES[:2])
    runner.invoke(app, ["import", str(path), "--store", str(other)])
    assert (other / "tawsiya.db").is_file()
    result = runner.invoke(app, ["search", "torture", "--store", str(other), "--json"])
    assert len(json.loads(result.stdout)) == 2


CLUSTER_ROWS = [
    {"id": "a1", "text": "Abolish the death penalty", "state_under_review": "Chad"},
    {"id": "a2", "text": "Abolish the death penalty.", "state_under_review": "Chad", "mechanism": "CCPR"},
    {"id": "b1", "text": "Establish a moratorium on executions", "state_under_review": "Chad"},
    {"id": "c1", "text": "Abolish the death penalty", "state_under_review": "Mali"},
]


def test_cluster_json_lists_clusters_with_their_members(env):
    runner.invoke(app, ["import", str(write_csv(env / "recs.csv", CLUSTER_ROWS))])
    result = runner.invoke(app, ["cluster", "--state", "Chad", "--json"])
    assert result.exit_code == 0, result.output
    clusters = json.loads(result.stdout)
    assert len(clusters) == 1
    assert sorted(clusters[0]["members"]) == ["a1", "a2"] and clusters[0]["size"] == 2
    assert clusters[0]["representative"].startswith("Abolish") and clusters[0]["cluster_id"].startswith("c-")
    unknown = runner.invoke(app, ["cluster", "--state", "Atlantis"])
    assert unknown.exit_code == 2 and "Atlantis" in unknown.output


def test_decisions_and_export_from_the_command_line(env):
    from openpyxl import load_workbook

    runner.invoke(app, ["import", str(write_csv(env / "recs.csv", CLUSTER_ROWS))])
    listed = json.loads(runner.invoke(app, ["cluster", "--state", "Chad", "--min-size", "1", "--json"]).stdout)
    first = next(c for c in listed if "a1" in c["members"])
    second = next(c for c in listed if "b1" in c["members"])
    merged = json.loads(runner.invoke(app, ["clusters", "merge", first["cluster_id"], second["cluster_id"]]).stdout)
    assert sorted(merged["members"]) == ["a1", "a2", "b1"] and merged["confirmed"]
    bad = runner.invoke(app, ["clusters", "move-out", first["cluster_id"], "c1"])
    assert bad.exit_code == 2 and "not a member" in bad.output

    out = env / "matrix.xlsx"
    result = runner.invoke(app, ["export", "clusters", str(out), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("cluster_id", "cluster_size", "cohesion", "confirmed", "representative")
    assert {row[5] for row in rows[1:]} == {"a1", "a2", "b1", "c1"}
    csv_out = env / "matrix.csv"
    runner.invoke(app, ["export", "clusters", str(csv_out), "--format", "csv", "--state", "Mali"])
    assert csv_out.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[5] == "c1"


def test_ministry_decisions_from_the_command_line_and_from_an_edited_export(env):
    import csv

    runner.invoke(app, ["import", str(write_csv(env / "recs.csv", CLUSTER_ROWS))])
    one = runner.invoke(
        app, ["decide", "b1", "--lead", "justice", "--supporting", "parliament", "--by", "Amina", "--json"]
    )
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout) == {"applied": 1, "unchanged": 0, "rejected": []}
    several = runner.invoke(
        app, ["decide", "b1", "--lead", "justice", "--supporting", "parliament;didh", "--by", "Amina"]
    )
    assert several.exit_code == 0, several.output
    lines = runner.invoke(app, ["assign", "--json"]).stdout.splitlines()
    stored = next(row for row in map(json.loads, lines) if row["id"] == "b1")
    assert [body["id"] for body in stored["supporting"]] == ["parliament", "didh"]
    unknown_body = runner.invoke(app, ["decide", "b1", "--lead", "ministry-of-magic"])
    assert unknown_body.exit_code == 2 and "lead: unknown body 'ministry-of-magic'" in unknown_body.output
    unknown_id = runner.invoke(app, ["decide", "zzz", "--lead", "justice"])
    assert unknown_id.exit_code == 2 and "id: no stored recommendation 'zzz'" in unknown_id.output

    # the coordinator exports, changes one lead in the spreadsheet, adds a row with a typo, reads it back
    out = env / "matrix.csv"
    assert runner.invoke(app, ["export", "clusters", str(out), "--format", "csv"]).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    edited = next(row for row in rows if row["id"] == "c1")
    edited["lead_ministry"], edited["supporting_ministries"] = "parliament", "justice; didh"
    rows.append({**edited, "id": "a1", "lead_ministry": "jsutice"})
    result = runner.invoke(app, ["decide", "--file", str(write_csv(env / "edited.csv", rows, list(rows[0]))), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["applied"], summary["unchanged"]) == (1, 3)
    assert summary["rejected"] == [{"line": 6, "field": "lead", "message": "unknown body 'jsutice'"}]
    assigned = {
        payload["id"]: payload
        for payload in map(json.loads, runner.invoke(app, ["assign", "--json"]).stdout.splitlines())
    }
    assert assigned["c1"]["source"] == "manual" and assigned["c1"]["lead"]["id"] == "parliament"
    assert [body["id"] for body in assigned["c1"]["supporting"]] == ["justice", "didh"]
    assert assigned["b1"]["source"] == "manual" and assigned["b1"]["lead"]["id"] == "justice"
    assert assigned["b1"]["decided_by"] == "Amina" and assigned["c1"]["decided_by"].endswith("(command line)")
    assert {assigned[rec]["source"] for rec in ("a1", "a2")} == {"auto"}  # read back unchanged: still proposals
    cluster = json.loads(runner.invoke(app, ["cluster", "--state", "Chad", "--json"]).stdout)[0]
    assert sorted(cluster["members"]) == ["a1", "a2"]
    whole = runner.invoke(app, ["decide", "--cluster", cluster["cluster_id"], "--lead", "health", "--json"])
    assert json.loads(whole.stdout)["applied"] == 2
    assigned = {
        payload["id"]: payload
        for payload in map(json.loads, runner.invoke(app, ["assign", "--json"]).stdout.splitlines())
    }
    assert {(assigned[rec]["source"], assigned[rec]["lead"]["id"]) for rec in ("a1", "a2")} == {("manual", "health")}
    export = env / "decided.csv"
    assert runner.invoke(app, ["export", "clusters", str(export), "--format", "csv"]).exit_code == 0
    with export.open(encoding="utf-8-sig", newline="") as handle:
        decided_by = {row["id"]: row["ministries_decided_by"] for row in csv.DictReader(handle)}
    assert decided_by["b1"] == "Amina" and decided_by["a1"].endswith("(command line)")
    assert runner.invoke(app, ["decide", "--cluster", "c-nope", "--lead", "health"]).exit_code == 2
    withdrawn = runner.invoke(app, ["decide", "a1", "--withdraw", "--json"])
    assert json.loads(withdrawn.stdout) == {"withdrawn": ["a1"], "without_decision": []}
    assigned = map(json.loads, runner.invoke(app, ["assign", "--json"]).stdout.splitlines())
    assert next(payload for payload in assigned if payload["id"] == "a1")["source"] == "auto"
    assert json.loads(runner.invoke(app, ["decide", "a1", "--withdraw", "--json"]).stdout)["withdrawn"] == []
    whole = runner.invoke(app, ["decide", "--cluster", cluster["cluster_id"], "--withdraw", "--json"])
    assert json.loads(whole.stdout) == {"withdrawn": ["a2"], "without_decision": ["a1"]}
    assert runner.invoke(app, ["decide", "a1", "--withdraw", "--lead", "health"]).exit_code == 2
    no_file = runner.invoke(app, ["decide", "--file", str(env / "missing.csv")])
    assert no_file.exit_code == 2 and "no file" in no_file.output and "missing.csv" in no_file.output


def test_assign_again_replaces_stale_proposals_and_keeps_decisions(env):
    from service.cli.common import open_pipeline

    runner.invoke(app, ["import", str(write_csv(env / "recs.csv", SAMPLES))])

    def assigned(*options):
        result = runner.invoke(app, ["assign", "--json", *options])
        assert result.exit_code == 0, result.output
        return {payload["id"]: payload for payload in map(json.loads, result.stdout.splitlines())}

    fresh = assigned()
    assert runner.invoke(app, ["decide", "s2", "--lead", "parliament"]).exit_code == 0
    pipeline = open_pipeline(get_settings())  # proposals stored by an older mapper
    pks = pipeline.store.pks_of(["s1", "s2"])
    pipeline.annotations.add_automatic_ministries(
        {pk: [("cndh", "lead", 9.0, "an older mapper")] for pk in pks.values()}
    )
    pipeline.close()
    assert assigned()["s1"]["lead"]["reason"] == "an older mapper"  # kept without --again
    again = assigned("--again")
    assert again["s1"]["lead"] == fresh["s1"]["lead"] and again["s1"]["source"] == "auto"
    assert again["s2"]["source"] == "manual" and again["s2"]["lead"]["id"] == "parliament"
    assert runner.invoke(app, ["decide", "s2", "--withdraw"]).exit_code == 0
    assert assigned()["s2"]["lead"]["reason"] != "an older mapper"  # its proposal was made again too


def test_tag_json_gives_every_field(env, monkeypatch):
    monkeypatch.setenv("TAWSIYA_EMBEDDING_MODEL", "hashing:512")
    get_settings.cache_clear()
    result = runner.invoke(app, ["tag", "Abolish the death penalty", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"sdg_goals", "sdg_targets", "themes", "upr_issues", "affected_persons"} <= set(payload)
    assert all({"code", "label", "score"} <= set(tag) for tag in payload["affected_persons"])
    named = {payload["lead"]["id"]} | {body["id"] for body in payload["supporting"]}
    assert len(payload["alternatives"]) <= 2 and not {body["id"] for body in payload["alternatives"]} & named


def test_tag_reads_the_store_and_follows_its_coordinators_decisions(env, monkeypatch):
    from service.factory import build_pipeline

    monkeypatch.setenv("TAWSIYA_EMBEDDING_MODEL", "hashing:512")
    get_settings.cache_clear()
    store = env / "other-store"
    path = write_csv(env / "recs.csv", [{"id": "r1", "text": "Abolish the death penalty"}])
    assert runner.invoke(app, ["import", str(path), "--store", str(store)]).exit_code == 0
    pipeline = build_pipeline(get_settings().model_copy(update={"home": store}))
    pipeline.correct_ministries("r1", "parliament", ["justice"])
    pipeline.close()

    def bodies(*store_option):
        result = runner.invoke(app, ["tag", "Abolish the death penalty.", "--json", *store_option])
        assert result.exit_code == 0, result.output
        payload = json.loads(result.stdout)
        return payload["lead"]["id"], [body["id"] for body in payload["supporting"]]

    assert bodies("--store", str(store)) == ("parliament", ["justice"])  # the same wording takes the decision
    assert bodies()[0] != "parliament"  # the default store holds no such decision


def test_tag_tags_and_maps_even_when_imports_do_neither(env, monkeypatch):
    monkeypatch.setenv("TAWSIYA_EMBEDDING_MODEL", "hashing:512")
    monkeypatch.setenv("TAWSIYA_TAG_ON_IMPORT", "false")
    monkeypatch.setenv("TAWSIYA_MAP_ON_IMPORT", "false")
    get_settings.cache_clear()
    result = runner.invoke(app, ["tag", "Ratify the Convention on the Rights of Persons with Disabilities", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["affected_persons"] and payload["lead"]["id"]


def test_a_directory_is_checked_and_summarised(env, tmp_path):
    import yaml

    summary = json.loads(runner.invoke(app, ["directory", "tn", "--json"]).stdout)
    assert summary["country"] == "TN" and summary["bodies"] >= 10 and summary["rules"]["sdg_targets"] > 0
    path = tmp_path / "xx.yaml"
    body = {"id": "justice", "kind": "ministry", "names": {"en": "Justice", "fr": "Justice"}, "mandate": {}}
    path.write_text(yaml.safe_dump({"country": "xx", "bodies": [body]}), encoding="utf-8")
    broken = runner.invoke(app, ["directory", str(path)])
    assert broken.exit_code == 2 and "body 'justice'" in broken.output and "names" in broken.output
