import numpy as np
import pytest

from corpora.recommendation_files import read_recommendations
from nlp.index import VectorIndex
from nlp.pipeline import Pipeline
from nlp.records import RowError
from tests.conftest import SAMPLES, write_csv


@pytest.fixture
def samples_csv(tmp_path):
    return write_csv(tmp_path / "samples.csv", SAMPLES)


def import_file(pipeline, path, **kwargs):
    return pipeline.import_rows(read_recommendations(path, **kwargs), str(path), "csv", batch_size=2)


def test_import_stores_detects_language_and_indexes(pipeline, samples_csv):
    summary = import_file(pipeline, samples_csv)
    assert (summary.rows_read, summary.inserted, summary.already_stored, summary.rejected) == (5, 5, 0, [])
    assert pipeline.store.count() == 5 and len(pipeline.index) == 5
    assert pipeline.store.get_by_id("s2")["language"] == "fr"
    assert pipeline.store.get_by_id("s3")["language"] == "ar"
    report = pipeline.store.imports.get(summary.import_id)
    assert report["status"] == "done" and report["inserted"] == 5


def test_importing_the_same_file_twice_stores_nothing_twice(pipeline, samples_csv, tmp_path):
    import_file(pipeline, samples_csv)
    again = import_file(pipeline, samples_csv)
    assert (again.inserted, again.already_stored) == (0, 5)
    no_ids = write_csv(tmp_path / "no_ids.csv", [{k: v for k, v in s.items() if k != "id"} for s in SAMPLES])
    import_file(pipeline, no_ids)
    third = import_file(pipeline, no_ids)
    assert third.inserted == 0 and pipeline.store.count() == 10 and len(pipeline.index) == 10


def test_identical_texts_are_embedded_once(pipeline, tmp_path):
    calls = []
    inner_embed = pipeline.embedder.embed
    pipeline.embedder.embed = lambda texts: calls.append(list(texts)) or inner_embed(texts)
    rows = [{"text": "Abolish the death penalty", "state_under_review": s} for s in ("Chad", "Mali", "Peru")]
    import_file(pipeline, write_csv(tmp_path / "same.csv", rows))
    assert sum(len(c) for c in calls) == 1 and pipeline.store.count() == 3


def test_the_stored_vector_is_that_of_the_text_with_acronyms_written_out(pipeline, tmp_path):
    from nlp.embedding_text import embedding_text

    text = "Ratify the OP-CAT"
    import_file(pipeline, write_csv(tmp_path / "acronym.csv", [{"id": "a1", "text": text, "language": "en"}]))
    stored = pipeline.store.vectors_of(["a1"], pipeline.embedder.name)["a1"]
    written_out = pipeline.embedder.embed([embedding_text(text, "en")])[0]
    assert embedding_text(text, "en") != text
    assert np.allclose(stored, written_out) and not np.allclose(stored, pipeline.embedder.embed([text])[0])


def test_a_treaty_title_with_its_tail_is_stored_with_the_vector_of_the_short_title(pipeline, tmp_path):
    text = "Ratify the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"
    import_file(pipeline, write_csv(tmp_path / "title.csv", [{"id": "t1", "text": text, "language": "en"}]))
    stored = pipeline.store.vectors_of(["t1"], pipeline.embedder.name)["t1"]
    assert np.allclose(stored, pipeline.embedder.embed(["Ratify the Convention against Torture"])[0])


def test_bad_rows_are_reported_good_rows_kept_and_nothing_stored_is_damaged(pipeline, samples_csv, tmp_path):
    import_file(pipeline, samples_csv)
    before = {s["id"]: pipeline.store.get_by_id(s["id"]) for s in SAMPLES}
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            {"id": "n1", "text": "Protect human rights defenders", "mechanism": "UPR"},
            {"id": "n2", "text": "x" * 1_048_576, "mechanism": "UPR"},
            {"id": "s1", "text": "A different text reusing an existing id", "mechanism": "UPR"},
            {"id": "n3", "text": "Adopt a law", "mechanism": "NOPE"},
            {"id": "n4", "text": "Protect journalists"},
            {"id": "n4", "text": "Another text under the id of the row before"},
            {"id": "s2", "text": SAMPLES[1]["text"].upper() + " ", "mechanism": "CAT"},
        ],
    )
    summary = import_file(pipeline, bad, max_text_chars=20_000)  # in batches of two good rows
    rejected = [(e.line, e.field) for e in summary.rejected]
    assert rejected == [(3, "text"), (4, "id"), (5, "mechanism"), (7, "id")]
    assert "'s1' is already used by a stored recommendation" in summary.rejected[1].message
    assert "'n4' is already used by an earlier row" in summary.rejected[3].message
    assert summary.inserted == 2 and summary.already_stored == 1  # s2 again, in other case and spacing
    assert {s["id"]: pipeline.store.get_by_id(s["id"]) for s in SAMPLES} == before
    assert pipeline.store.get_by_id("n4")["text"] == "Protect journalists"
    report = pipeline.store.imports.get(summary.import_id)
    assert [r["line"] for r in report["rejected"]] == [3, 4, 5, 7]


def test_a_failing_embedder_keeps_committed_batches(pipeline, tmp_path):
    rows = [{"id": f"x{i}", "text": f"Recommendation number {i} on education"} for i in range(6)]
    path = write_csv(tmp_path / "six.csv", rows)
    inner_embed, seen = pipeline.embedder.embed, []

    def flaky(texts):
        seen.append(texts)
        if len(seen) == 2:
            raise RuntimeError("model crashed")
        return inner_embed(texts)

    pipeline.embedder.embed = flaky
    with pytest.raises(RuntimeError):
        import_file(pipeline, path)
    assert pipeline.store.count() == 2 and len(pipeline.index) == 2
    pipeline.embedder.embed = inner_embed
    resumed = import_file(pipeline, path)
    assert (resumed.inserted, resumed.already_stored) == (4, 2) and pipeline.store.count() == 6


def test_search_filters_by_language_state_and_mechanism(pipeline, samples_csv):
    import_file(pipeline, samples_csv)
    hits = pipeline.search("Ratify the Optional Protocol to the Convention against Torture", k=3)
    assert hits[0].record["id"] == "s1" and hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert {h.record["id"] for h in pipeline.search("torture", k=10, state_under_review="tunisia")} == {"s3", "s5"}
    assert [h.record["id"] for h in pipeline.search("torture", k=10, mechanism="cat")] == ["s2"]
    assert {h.record["language"] for h in pipeline.search("torture", k=10, language="en")} == {"en"}
    assert pipeline.search("torture", k=10, state_under_review="Nowhere") == []


def test_index_is_rebuilt_from_the_store_when_missing_corrupt_or_stale(tmp_path, embedder, samples_csv):
    folder = tmp_path / "store"
    first = Pipeline.open(folder, embedder)
    import_file(first, samples_csv)
    first.close()
    index_path = first.index_path
    expected = sorted(first.index.ids().tolist())

    index_path.unlink()
    assert sorted(Pipeline.open(folder, embedder).index.ids().tolist()) == expected
    index_path.write_bytes(b"garbage")
    assert sorted(Pipeline.open(folder, embedder).index.ids().tolist()) == expected
    stale = VectorIndex(dim=embedder.dim, model_name=embedder.name)
    stale.add([expected[0]], np.ones((1, embedder.dim), dtype=np.float32))
    stale.save(index_path)
    reopened = Pipeline.open(folder, embedder)
    assert sorted(reopened.index.ids().tolist()) == expected
    assert reopened.search(SAMPLES[3]["text"], k=1)[0].record["id"] == "s4"


def test_a_file_error_is_recorded_without_touching_the_store(pipeline, samples_csv):
    import_file(pipeline, samples_csv)
    summary = pipeline.record_failed_import("broken.xlsx", "xlsx", "cannot open broken.xlsx")
    assert pipeline.store.imports.get(summary.import_id)["status"] == "failed"
    assert pipeline.store.count() == 5


def test_row_errors_pass_through_import(pipeline):
    summary = pipeline.import_rows([RowError(7, "invalid JSON")], "x.jsonl", "jsonl")
    assert summary.rejected == [RowError(7, "invalid JSON")] and summary.inserted == 0


def test_identical_texts_come_back_as_one_hit_listing_the_copies(pipeline, tmp_path):
    rows = [
        {"id": f"d{i}", "text": text, "state_under_review": state}
        for i, (text, state) in enumerate(
            [
                ("Abolish the death penalty.", "Chad"),
                ("abolish the death penalty", "Mali"),
                ("Abolish the death penalty", "Peru"),
                ("Abolish the death penalty for all crimes", "Chad"),
            ]
        )
    ]
    import_file(pipeline, write_csv(tmp_path / "dupes.csv", rows))
    hits = pipeline.search("Abolish the death penalty", k=2)
    assert len(hits) == 2
    assert hits[0].record["id"] in {"d0", "d1", "d2"} and len(hits[0].duplicates) == 2
    assert hits[1].record["id"] == "d3" and hits[1].duplicates == ()

    from nlp.search import Searcher

    every_copy = Searcher(pipeline.store, pipeline.index, pipeline.embedder, collapse_duplicates=False)
    assert len(every_copy.search("Abolish the death penalty", k=10)) == 4
