"""A store written by an earlier version opens with the current tables, its data kept."""

import sqlite3

from corpora.recommendation_files import read_recommendations
from nlp.pipeline import Pipeline
from nlp.store.annotation_repository import MANUAL
from tests.conftest import SAMPLES, write_csv


def test_a_store_from_before_decided_by_gains_the_columns_and_keeps_its_corrections(tmp_path, embedder):
    pipeline = Pipeline.open(tmp_path / "store", embedder)
    path = write_csv(tmp_path / "samples.csv", SAMPLES)
    pipeline.import_rows(read_recommendations(path), str(path), "csv")
    pk = pipeline.store.pk_of("s1")
    pipeline.annotations.correct_ministries(pk, "justice", ["parliament"])
    pipeline.close()
    with sqlite3.connect(tmp_path / "store" / "tawsiya.db") as connection:  # the table as it was before
        connection.execute("ALTER TABLE ministry_assignments DROP COLUMN decided_by")
        connection.execute("ALTER TABLE recommendation_tags DROP COLUMN decided_by")

    reopened = Pipeline.open(tmp_path / "store", embedder)
    bodies = reopened.annotations.ministries([pk])[pk]
    assert (bodies["source"], bodies["lead"]["id"], bodies["decided_by"]) == (MANUAL, "justice", None)
    reopened.annotations.correct_ministries(pk, "interior", [], decided_by="Amina")
    assert reopened.annotations.ministries([pk])[pk]["decided_by"] == "Amina"
    reopened.annotations.correct_tags(pk, {"themes": []}, decided_by="Amina")
    assert reopened.annotations.corrected_tag_fields([pk]) == {pk: ["themes"]}
    reopened.close()
