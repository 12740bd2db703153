"""The ministry evaluation files: the recurring pairs are valid, real and kept apart from the rest."""

import json

import pytest

from corpora.ministries import load_directory
from corpora.ministry_examples import load_example_decisions
from corpora.upr_info import dev_texts
from evaluation import ministries
from evaluation.common import EVAL_DATA, read_jsonl
from nlp.text import clean_display


def test_the_recurring_pairs_are_real_rows_of_the_dev_set_kept_apart_from_the_other_sets(data_dir):
    pairs = ministries.read_recurring_pairs(load_directory("ma").ids())
    assert len(pairs) == 150
    rows = [row for pair in pairs for row in pair]
    texts = dev_texts({row["row_id"] for row in rows}, data_dir)
    assert all(texts[row["row_id"]] == clean_display(row["text"]) for row in rows)
    assert len({row["row_id"] for row in rows}) == len(rows)
    elsewhere = {item["row_id"] for item in read_jsonl(EVAL_DATA / "ministries_eval.jsonl")}
    elsewhere |= {example.row_id for example in load_example_decisions(load_directory("ma"), data_dir)}
    assert not elsewhere & {row["row_id"] for row in rows}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lead": "ministry_of_magic"}, "line 1: field 'lead' names unknown body 'ministry_of_magic'"),
        ({"supporting": ["justice"]}, "line 1: field 'supporting' repeats the lead 'justice'"),
        ({"role": "sibling"}, "pairs \\[0\\] lack an anchor or a sibling"),
        ({"ar": ""}, "line 1: an anchor needs its French and Arabic translations"),
    ],
)
def test_a_broken_recurring_pair_is_named(tmp_path, monkeypatch, change, message):
    lines = [
        {
            "pair": 0,
            "role": "anchor",
            "row_id": 1,
            "text": "a",
            "fr": "a",
            "ar": "أ",
            "lead": "justice",
            "supporting": [],
        },
        {"pair": 0, "role": "sibling", "row_id": 2, "text": "b", "lead": "justice", "supporting": []},
    ]
    lines[0] |= change
    (tmp_path / ministries.RECURRING).write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    monkeypatch.setattr(ministries, "EVAL_DATA", tmp_path)
    with pytest.raises(ValueError, match=message):
        ministries.read_recurring_pairs(load_directory("ma").ids())
