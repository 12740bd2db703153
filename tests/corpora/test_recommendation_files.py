import json

import pytest
from openpyxl import Workbook

from corpora.recommendation_files import map_columns, read_recommendations
from corpora.tables import FileFormatError
from nlp.records import RowError, SourceRow
from tests.conftest import write_csv


def split(items):
    items = list(items)
    rows = [item for item in items if isinstance(item, SourceRow)]
    errors = [item for item in items if isinstance(item, RowError)]
    return rows, errors


def test_generic_csv_reads_metadata_and_derives_stable_ids(tmp_path):
    path = write_csv(
        tmp_path / "recs.csv",
        [
            {"text": "Abolish the death penalty", "mechanism": "upr", "state_under_review": "Morocco", "cycle": "3"},
            {"text": "التصديق على اتفاقية مناهضة التعذيب", "mechanism": "CAT", "year": "2021"},
        ],
    )
    rows, errors = split(read_recommendations(path))
    assert errors == []
    first = rows[0].recommendation
    assert (first.mechanism, first.state_under_review, first.cycle) == ("UPR", "Morocco", 3)
    assert rows[1].recommendation.year == 2021 and rows[1].line == 3
    again, _ = split(read_recommendations(path))
    assert [r.recommendation.id for r in again] == [r.recommendation.id for r in rows]
    assert first.id.startswith("r-")


def test_given_ids_are_kept(tmp_path):
    path = write_csv(tmp_path / "r.csv", [{"id": "CRC/C/MAR/CO/5-6 §12", "text": "Adopt a child code"}])
    (row,), _ = split(read_recommendations(path))
    assert row.recommendation.id == "CRC/C/MAR/CO/5-6 §12"


def test_french_and_arabic_column_names_are_understood():
    mapping = map_columns(["Recommandation", "Pays", "Mécanisme", "Année", "اللغة", "Other"])
    assert mapping == {
        "Recommandation": "text",
        "Pays": "state_under_review",
        "Mécanisme": "mechanism",
        "Année": "year",
        "اللغة": "language",
    }


def test_bad_fields_are_reported_by_line_and_field_and_good_rows_kept(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            {"text": "Good one", "mechanism": "UPR", "year": "2020", "language": "en"},
            {"text": "Bad mechanism", "mechanism": "XYZ", "year": "", "language": ""},
            {"text": "Bad year", "mechanism": "", "year": "twenty", "language": ""},
            {"text": "", "mechanism": "UPR", "year": "", "language": ""},
            {"text": "Bad language", "mechanism": "", "year": "", "language": "klingon"},
            {"text": "Another good one", "mechanism": "CRC", "year": "", "language": ""},
        ],
    )
    rows, errors = split(read_recommendations(path))
    assert [r.recommendation.text for r in rows] == ["Good one", "Another good one"]
    assert [(e.line, e.field) for e in errors] == [(3, "mechanism"), (4, "year"), (5, "text"), (6, "language")]
    assert "XYZ" in errors[0].message and "CRC" in errors[0].message


def test_missing_text_column_is_a_clear_file_error(tmp_path):
    path = write_csv(tmp_path / "no_text.csv", [{"country": "Morocco", "body": "UPR"}])
    with pytest.raises(FileFormatError, match="no text column.*'country'"):
        list(read_recommendations(path))


def test_a_header_without_rows_is_checked_for_a_text_column(tmp_path):
    """A header-only file is read from its header: without a text column it is refused, not
    imported as zero rows; with one it holds no recommendation and no error."""
    (tmp_path / "header_only.csv").write_text("id,title\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="no text column.*'id', 'title'"):
        list(read_recommendations(tmp_path / "header_only.csv"))
    book = Workbook()
    book.active.append(["country", "body"])
    book.save(tmp_path / "header_only.xlsx")
    with pytest.raises(FileFormatError, match="no text column.*'country'"):
        list(read_recommendations(tmp_path / "header_only.xlsx"))
    (tmp_path / "empty_but_valid.csv").write_text("text,mechanism\n", encoding="utf-8")
    assert list(read_recommendations(tmp_path / "empty_but_valid.csv")) == []
    (tmp_path / "not_upr_info.csv").write_text("text,mechanism\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="not a UPR Info export"):
        list(read_recommendations(tmp_path / "not_upr_info.csv", "upr-info"))


def test_invalid_utf8_rows_are_rejected_alone(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        b"text,state_under_review\n"
        + b"Ratify the OP-CAT,Morocco\n"
        + "Protéger les journalistes,France\n".encode("latin-1")
        + "إلغاء عقوبة الإعدام,Tunisia\n".encode()
    )
    rows, errors = split(read_recommendations(path))
    assert [r.line for r in rows] == [2, 4]
    assert errors[0].line == 3 and "UTF-8" in errors[0].message
    latin, _ = split(read_recommendations(path, encoding="latin-1"))
    assert latin[1].recommendation.text == "Protéger les journalistes"


def test_utf16_files_are_read_and_a_broken_one_fails_whole_before_any_row(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("text;state_under_review\r\nRatifier la CEDAW;Maroc\r\n".encode("utf-16"))
    rows, errors = split(read_recommendations(path))
    assert [(r.recommendation.text, r.recommendation.state_under_review) for r in rows] == [
        ("Ratifier la CEDAW", "Maroc")
    ]
    assert not errors
    # a lone surrogate cannot be kept for its row in UTF-16: the file is refused, with the byte
    path.write_bytes(path.read_bytes() + "Ratify CAT;Chad\r\n".encode("utf-16-le") + b"\x00\xd8a\x00")
    with pytest.raises(
        FileFormatError, match=r"cannot decode utf16.csv as utf-16: illegal UTF-16 surrogate at byte \d+"
    ):
        list(read_recommendations(path))


def test_empty_rows_are_reported_but_trailing_blank_lines_are_not(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("text,mechanism\nRatify CAT,UPR\n,\n\nAbolish the death penalty,UPR\n,\n\n", encoding="utf-8")
    rows, errors = split(read_recommendations(path))
    assert len(rows) == 2
    assert [(e.line, e.message) for e in errors] == [(3, "empty row"), (4, "empty row")]


def test_a_one_megabyte_cell_is_rejected_without_losing_the_file(tmp_path):
    path = write_csv(
        tmp_path / "huge.csv",
        [
            {"text": "Ratify CAT"},
            {"text": "x" * 1_048_576},
            {"text": "Ratify CED"},
        ],
    )
    rows, errors = split(read_recommendations(path, max_text_chars=20_000))
    assert [r.recommendation.text for r in rows] == ["Ratify CAT", "Ratify CED"]
    assert errors[0].line == 3 and errors[0].field == "text" and "1,048,576" in errors[0].message


def test_jsonl_reports_bad_json_and_non_objects(tmp_path):
    path = tmp_path / "recs.jsonl"
    path.write_text(
        json.dumps({"text": "Ratifier la CEDAW", "language": "fr", "cycle": 2}, ensure_ascii=False)
        + "\n"
        + "{not json}\n"
        + "[1, 2]\n"
        + json.dumps({"texte": "اعتماد قانون", "pays": "Maroc"})
        + "\n"
        + '{"text": "Protect journalists\u2028and media workers"}\n',  # a line separator inside a string is JSON
        encoding="utf-8",
    )
    rows, errors = split(read_recommendations(path))
    assert [(r.line, r.recommendation.language) for r in rows] == [(1, "fr"), (4, None), (5, None)]
    assert rows[1].recommendation.state_under_review == "Maroc"
    assert [e.line for e in errors] == [2, 3]


def test_xlsx_with_numbers_and_extra_columns(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Recommendation", "State under review", "Cycle", "Ministry note"])
    sheet.append(["Ratify the OP-CAT", "Morocco", 3.0, "DIDH"])
    sheet.append([None, None, None, None])
    sheet.append(["Adopt a law on domestic violence", "Tunisia", "two", None])
    path = tmp_path / "recs.xlsx"
    book.save(path)
    rows, errors = split(read_recommendations(path))
    assert rows[0].recommendation.cycle == 3 and rows[0].recommendation.extra == {"Ministry note": "DIDH"}
    assert [(e.line, e.field or e.message) for e in errors] == [(3, "empty row"), (4, "cycle")]


def test_not_a_workbook_is_a_file_error(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(FileFormatError, match="Excel"):
        list(read_recommendations(path))


def test_unknown_extension_asks_for_format(tmp_path):
    path = tmp_path / "recs.doc"
    path.write_text("x")
    with pytest.raises(FileFormatError, match="--format"):
        list(read_recommendations(path))


def test_upr_info_export_is_detected_and_mapped(data_dir):
    items = read_recommendations(data_dir / "upr-info-2018/upr_info_2018_dev.csv")
    first = next(items)
    rec = first.recommendation
    assert rec.id == "upr-info:1" and rec.mechanism == "UPR" and rec.language == "en"
    assert rec.state_under_review == "Afghanistan" and rec.recommending_state == "Austria"
    assert rec.extra["upr_issues"] == ["Rights of the Child", "Women's rights"]


def test_ohchr_thematic_list_drops_the_bracketed_attribution(data_dir):
    rows, errors = split(read_recommendations(data_dir / "ohchr-thematic-lists/ohchr_thematic_lists_cycle2.csv"))
    assert errors == [] and len(rows) == 463
    first = rows[0].recommendation
    assert first.text.endswith("first UPR cycle") and first.id == "ohchr:A/HRC/28/15:115.1"
    assert first.extra["uhri_themes"] == ["A12 Acceptance of international norms"]


def test_the_cheap_row_count_agrees_with_a_full_read(tmp_path):
    from corpora.tables import count_rows

    files = {
        "comma.csv": 'id,text,cycle\na,Ratify the CRPD,3\nb,"Adopt a law, at last",2\nc,Abolish the death penalty,x\n',
        "semicolon.csv": "id;text\na;Ratifier la CRPD\nb;إلغاء عقوبة الإعدام\n\n",
        "rows.jsonl": '{"text": "Ratify the CRPD"}\n{"text": "", "cycle": "2"}\nnot json\n\n',
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        fmt = "jsonl" if name.endswith(".jsonl") else "csv"
        assert count_rows(path, fmt) == sum(1 for _ in read_recommendations(path, fmt)), name
    assert count_rows(tmp_path / "comma.csv", "xlsx") is None
