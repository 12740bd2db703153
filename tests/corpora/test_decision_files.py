import json

import pytest

from corpora.decision_files import read_ministry_decisions
from corpora.tables import FileFormatError
from nlp.records import MinistryDecision, RowError
from tests.conftest import write_csv

KNOWN = {"justice", "parliament", "didh", "health"}


def read(path, fmt="csv"):
    return list(read_ministry_decisions(path, fmt, KNOWN))


def test_the_columns_of_an_export_are_read_and_empty_rows_skipped(tmp_path):
    path = write_csv(
        tmp_path / "matrix.csv",
        [
            {
                "id": "r1",
                "text": "Abolish the death penalty",
                "lead_ministry": "justice",
                "supporting_ministries": "parliament; didh",
            },
            {"id": "r2", "text": "Not decided yet", "lead_ministry": "", "supporting_ministries": ""},
            {"id": "r3", "text": "Train doctors", "lead_ministry": " health ", "supporting_ministries": ""},
        ],
    )
    assert read(path) == [
        MinistryDecision(2, "r1", "justice", ("parliament", "didh")),
        MinistryDecision(4, "r3", "health", ()),
    ]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"id": "r1", "lead": "ministry-of-magic", "supporting": ""}, "lead", "unknown body 'ministry-of-magic'"),
        ({"id": "r1", "lead": "justice", "supporting": "parliament,nobody"}, "supporting", "unknown bodies ['nobody']"),
        ({"id": "r1", "lead": "", "supporting": "parliament"}, "lead", "supporting bodies without a lead"),
        ({"id": "r1", "lead": "justice", "supporting": "justice|didh"}, "supporting", "also named as supporting"),
        ({"id": "", "lead": "justice", "supporting": ""}, "id", "no recommendation id"),
    ],
)
def test_a_wrong_row_is_rejected_with_its_line_and_field_and_the_others_kept(tmp_path, row, field, message):
    good = {"id": "r2", "lead": "didh", "supporting": ""}
    path = write_csv(tmp_path / "d.csv", [good, row, good | {"id": "r3"}], ["id", "lead", "supporting"])
    first, error, last = read(path)
    assert (first.rec_id, last.rec_id) == ("r2", "r3")
    assert isinstance(error, RowError) and (error.line, error.field) == (3, field) and message in error.message


def test_a_file_without_an_id_or_lead_column_is_refused_whole(tmp_path):
    path = write_csv(tmp_path / "d.csv", [{"recommendation": "r1", "ministry": "justice"}])
    with pytest.raises(FileFormatError, match="no id and no lead column"):
        read(path)


def test_json_lines_take_lists_and_name_their_own_keys(tmp_path):
    path = tmp_path / "d.jsonl"
    lines = [
        {"id": "r1", "lead": "justice"},
        {"id": "r2", "lead": "didh", "supporting": ["parliament", "parliament"]},
        {"id": "r3", "ministry": "justice"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    first, second, error = read(path, "jsonl")
    assert first.supporting == () and second.supporting == ("parliament",)
    assert isinstance(error, RowError) and error.line == 3 and "no lead column" in error.message


def test_a_huge_wrong_cell_is_not_echoed_back(tmp_path):
    path = write_csv(tmp_path / "d.csv", [{"id": "r1", "lead": "justice", "supporting": "x" * 1_000_000}])
    (error,) = read(path)
    assert error.field == "supporting" and len(error.message) < 120 and error.message.endswith("…']")


def test_supporting_bodies_given_as_a_list_may_each_hold_several_ids(tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [
        {"id": "r1", "lead": "justice", "supporting": ["parliament; didh"]},
        {"id": "r2", "lead": "didh", "supporting": ["health", "parliament"]},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert read(path, "jsonl") == [
        MinistryDecision(1, "r1", "justice", ("parliament", "didh")),
        MinistryDecision(2, "r2", "didh", ("health", "parliament")),
    ]
