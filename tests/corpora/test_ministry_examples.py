import json

import pytest

from corpora.ministries import DirectoryError, load_directory
from corpora.ministry_examples import load_example_decisions


def write_examples(folder, *lines):
    path = folder / "ma_examples.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return folder


def test_the_shipped_moroccan_examples_validate_and_read_their_texts(data_dir):
    examples = load_example_decisions(load_directory("ma"), data_dir)
    assert len(examples) >= 600
    assert all(example.text.strip() for example in examples)
    assert len({example.row_id for example in examples}) == len(examples)


def test_the_examples_share_no_row_with_the_ministries_evaluation_set(data_dir):
    from evaluation.common import EVAL_DATA, read_jsonl

    evaluated = {item["row_id"] for item in read_jsonl(EVAL_DATA / "ministries_eval.jsonl")}
    assert not evaluated & {example.row_id for example in load_example_decisions(load_directory("ma"), data_dir)}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ({"row_id": "1", "lead": "justice"}, "line 2: field 'row_id'"),
        ({"row_id": 2, "lead": "ministry_of_magic"}, "line 2: field 'lead' names unknown body"),
        ({"row_id": 2, "lead": "justice", "supporting": ["justice"]}, "line 2: field 'supporting' repeats the lead"),
        ({"row_id": 2, "lead": "justice", "supporting": ["nobody"]}, "line 2: field 'supporting' names unknown"),
        ({"row_id": 2, "lead": "justice", "supporting": ["cndh", "didh", "interior", "health"]}, "at most 3"),
        ({"row_id": 1, "lead": "justice"}, "line 2: field 'row_id' repeats row 1"),
        ({"row_id": 999_999_999, "lead": "justice"}, "line 2: field 'row_id' is not a row of"),
    ],
)
def test_a_broken_line_is_named(tmp_path, data_dir, line, message):
    folder = write_examples(tmp_path, {"row_id": 1, "lead": "justice"}, line)
    with pytest.raises(DirectoryError, match=message):
        load_example_decisions(load_directory("ma"), data_dir, folder=folder)


def test_a_country_without_examples_has_none(tmp_path, data_dir):
    assert load_example_decisions(load_directory("tn"), data_dir, folder=tmp_path) == []


def test_the_further_decisions_validate_and_share_no_row_with_the_shipped_or_evaluated_ones(data_dir):
    from evaluation.common import EVAL_DATA, read_jsonl
    from training.ministry_lead import FURTHER_DECISIONS

    directory = load_directory("ma")
    further = load_example_decisions(directory, data_dir, folder=FURTHER_DECISIONS)
    assert len(further) == 19_200
    assert len({decision.row_id for decision in further}) == len(further)
    elsewhere = {example.row_id for example in load_example_decisions(directory, data_dir)}
    for name in ("ministries_eval.jsonl", "ministries_recurring.jsonl"):
        elsewhere |= {item["row_id"] for item in read_jsonl(EVAL_DATA / name)}
    assert not elsewhere & {decision.row_id for decision in further}
    # the held-out decisions of evaluation.ministries: none learnt from, none of another set
    held_out = load_example_decisions(directory, data_dir, folder=EVAL_DATA / "ministry_decisions_heldout")
    assert len(held_out) == len({decision.row_id for decision in held_out}) == 9_600
    assert not (elsewhere | {decision.row_id for decision in further}) & {decision.row_id for decision in held_out}
