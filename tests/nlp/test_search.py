"""Search returns k distinct wordings even when one wording is repeated by many states, and puts the
wording more states made first among near-equal ones."""

import math

import pytest

from nlp.embedding import HashingEmbedder
from nlp.pipeline import Pipeline
from nlp.records import Recommendation, SourceRow
from nlp.search import QueryCues


def test_a_wording_repeated_by_many_states_does_not_leave_the_search_short(tmp_path):
    pipeline = Pipeline.open(tmp_path, HashingEmbedder())
    copies = [
        Recommendation(text="Abolish the death penalty", id=f"copy{i}", state_under_review=f"S{i}") for i in range(40)
    ]
    others = [
        Recommendation(text=text, id=f"other{i}")
        for i, text in enumerate(
            ["Abolish the death penalty for minors", "Abolish capital punishment", "Abolish the penalty of death"]
        )
    ]
    pipeline.import_rows([SourceRow(i + 1, rec) for i, rec in enumerate(copies + others)], "test", "jsonl")
    hits = pipeline.search("Abolish the death penalty", k=3)  # 15 candidates at first: all copies
    assert len(hits) == 3
    assert hits[0].record["text"] == "Abolish the death penalty" and len(hits[0].duplicates) == 39
    assert {hit.record["id"] for hit in hits[1:]} <= {"other0", "other1", "other2"}
    pipeline.close()


def test_of_near_equal_wordings_the_one_more_states_made_comes_first(near_equal_search):
    searcher, query = near_equal_search(
        ["Set up a national institution", "Create a national institution", "Create a national institution"]
    )
    cues = [QueryCues.of("Establish a national institution", "en")]
    hits = searcher.search_vectors(query, k=2, cues=cues)[0]
    assert hits[0].record["text"] == "Create a national institution" and len(hits[0].duplicates) == 1
    assert hits[0].score == pytest.approx(0.999 + searcher.copies_weight * math.log(2), abs=1e-4)
    assert searcher.search_vectors(query, k=2)[0][0].record["id"] == "r0"  # a stored vector's search: as it was
    searcher.copies_weight = 0.0
    assert searcher.search_vectors(query, k=2, cues=cues)[0][0].record["id"] == "r0"  # a hair nearer
