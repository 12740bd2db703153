"""A short run of ``python -m evaluation.load``: a real uvicorn server, the hashing embedder, an empty store."""

from __future__ import annotations

from evaluation import load


def test_load_script_runs_searches_and_an_import(tmp_path, data_dir, monkeypatch) -> None:
    monkeypatch.setattr(load, "write_results", lambda name, results: tmp_path / f"{name}.json")
    store = tmp_path / "store"
    store.mkdir()
    argv = ["--home", str(store), "--embedding-model", "hashing:64", "--duration", "2", "--clients", "2"]
    results = load.main([*argv, "--import-rows", "30", "--data-dir", str(data_dir)])
    assert results["requests"] > 0
    assert results["errors"] == 0, results["error_samples"]
    assert results["import"]["finished"] and results["import"]["inserted"] == 30
    assert results["search"]["p95_ms"] is not None
    assert not list(store.iterdir()), "the benchmark changed the store it was given"
