import json

import pytest

from corpora.tagging_examples import EXAMPLES_FILE, TaggingExampleError, load_tagging_examples
from corpora.taxonomies import load_all, sdg_taxonomies
from corpora.upr_info import is_test_state

CODES = {"themes": {"prohibition-of-torture"}, "sdg_goals": {"16"}, "sdg_targets": {"16.3"}, "affected_persons": set()}
GOOD = {"row_id": 1, "themes": ["prohibition-of-torture"], "sdg_goals": ["16"], "sdg_targets": ["16.3"]}


def write(tmp_path, *lines):
    path = tmp_path / "tagging_examples.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def test_the_shipped_examples_validate_and_come_from_no_held_out_state_or_evaluation_row(data_dir):
    import csv

    from evaluation.common import EVAL_DATA, read_jsonl

    taxonomies = load_all()
    goals, targets = sdg_taxonomies(data_dir)
    codes = {
        "themes": {label.code for label in taxonomies["uhri_themes"]},
        "affected_persons": {label.code for label in taxonomies["affected_persons"]},
        "sdg_targets": {label.code for label in targets},
        "sdg_goals": {label.code for label in goals},
    }
    examples = load_tagging_examples(codes, data_dir)
    assert len(examples) >= 400
    states = {}
    with (data_dir / "upr-info-2018" / "upr_info_2018_dev.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            states[int(row["row_id"])] = row["state_under_review"]
    assert not any(is_test_state(states[example.row_id]) for example in examples)
    evaluated = {
        int(item["id"].split(":")[1])
        for item in read_jsonl(EVAL_DATA / "tagging_dev_annotations.jsonl")
        if item["id"].startswith("upr-info:")
    }
    assert not evaluated & {example.row_id for example in examples}
    assert EXAMPLES_FILE.exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "line 2: expected a JSON object"),
        ({"row_id": None}, "line 2: field 'row_id'"),
        ({**GOOD, "row_id": 2, "themes": ["no-such-theme"]}, "line 2: field 'themes' names unknown codes"),
        ({**GOOD, "row_id": 2, "sdg_goals": []}, "line 2: field 'sdg_goals' lacks the goals of its targets"),
        ({**GOOD, "row_id": 2, "sdg_targets": "16.3"}, "line 2: field 'sdg_targets' must be a list"),
        (GOOD, "line 2: field 'row_id' repeats row 1"),
        ({**GOOD, "row_id": 999_999_999}, "line 2: field 'row_id' is not a row"),
    ],
)
def test_a_broken_line_is_named(tmp_path, data_dir, line, message):
    with pytest.raises(TaggingExampleError, match=message):
        load_tagging_examples(CODES, data_dir, write(tmp_path, GOOD, line))


def test_no_file_no_examples(tmp_path, data_dir):
    assert load_tagging_examples(CODES, data_dir, tmp_path / "absent.jsonl") == []
