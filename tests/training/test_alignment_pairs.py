"""The translation pairs the language alignment learns from: well formed, and none from a test set."""

import json
import re

import pytest

from evaluation.common import EVAL_DATA, read_jsonl
from evaluation.tagging import LATER_TAGGING_SETS, SEARCH_TEST_SETS
from training.translations import DEVELOPMENT_SETS, MEASURING_SETS, TRANSLATION_FILES, read_pairs

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def pairs(data_dir):
    return read_pairs(TRANSLATION_FILES, DEVELOPMENT_SETS, data_dir)


def test_the_pairs_are_french_and_arabic_texts_of_dev_set_rows(pairs):
    found, sources = pairs
    assert len(found) == 7398 and len(sources) == len(TRANSLATION_FILES) + len(DEVELOPMENT_SETS)
    for pair in found:
        assert pair["en"] and pair["fr"] and pair["ar"]
        assert not ARABIC.search(pair["fr"]) and ARABIC.search(pair["ar"])


def test_no_pair_comes_from_a_set_that_measures_the_alignment(pairs):
    learnt = {pair["row_id"] for pair in pairs[0]}
    for name in MEASURING_SETS:
        assert not learnt & {item["row_id"] for item in read_jsonl(EVAL_DATA / name)}, name
    # the first search set shares two rows with the tagging translations: they are left out
    shared = {item["row_id"] for item in read_jsonl(EVAL_DATA / "search_translations.jsonl")} & {
        item["row_id"] for item in read_jsonl(EVAL_DATA / "tagging_translations.jsonl")
    }
    assert len(shared) == 2 and not shared & learnt


def test_a_translation_of_a_row_not_in_the_dev_set_is_refused_with_the_file(data_dir, tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps({"row_id": 999_999_999, "fr": "Ratifier", "ar": "التصديق"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"extra.jsonl: rows \[999999999\] are not in the dev set"):
        read_pairs((path,), (), data_dir)


def test_every_set_evaluation_tagging_measures_with_is_a_measuring_set():
    # the lists live with their evaluations; this keeps them from drifting apart
    measured = {"tagging_translations.jsonl", *LATER_TAGGING_SETS, *SEARCH_TEST_SETS}
    assert measured <= set(MEASURING_SETS)


def test_the_french_and_arabic_head_learns_from_labelled_training_rows_only(data_dir):
    from corpora.upr_info import load_labelled
    from training.themes import translated_training_rows

    rows = load_labelled(data_dir)
    translations = translated_training_rows(rows, data_dir)
    assert len(translations) == 2 * len({row.row_id for _, _, row in translations})  # French and Arabic, once each
    assert all(row.labels and not row.test for _, _, row in translations)
    assert {language for _, language, _ in translations} == {"fr", "ar"}


def test_the_shipped_french_and_arabic_head_s_rows_and_a_row_translated_twice(data_dir):
    from corpora.upr_info import load_labelled
    from training.themes import translated_training_rows
    from training.translations import HEAD_TRANSLATIONS

    rows = load_labelled(data_dir)
    shipped = translated_training_rows(rows, data_dir)
    assert len(shipped) == 2 * 6908  # models/upr-issues-fr-ar/v3 learnt from these
    # a file given again as extra adds nothing: a row translated twice counts once
    assert len(translated_training_rows(rows, data_dir, (HEAD_TRANSLATIONS,))) == len(shipped)
