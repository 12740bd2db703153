"""Search returns k distinct wordings even when one wording is repeated by many states."""

from nlp.embedding import HashingEmbedder
from nlp.pipeline import Pipeline
from nlp.records import Recommendation, SourceRow


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
