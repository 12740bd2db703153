"""The translations the word tables learn from: dev-set rows, none from an evaluation set."""

import pytest

from evaluation.common import EVAL_DATA, read_jsonl
from nlp.wording import wording_key
from training import TRAINING_DATA
from training.translations import DEVELOPMENT_SETS, MEASURING_SETS, TRANSLATION_FILES, read_pairs

EXTRA = TRAINING_DATA / "word_translations.jsonl"


@pytest.fixture(scope="module")
def pairs(data_dir):
    return read_pairs((*TRANSLATION_FILES, EXTRA), (), data_dir)[0]


def test_the_tables_learn_from_training_rows_and_the_extra_file(pairs):
    assert len(pairs) == 6520 + 2400
    assert all(pair["en"] and pair["fr"] and pair["ar"] for pair in pairs)


def test_no_row_or_wording_of_an_evaluation_set_is_learnt(pairs):
    evaluation = [item for name in (*MEASURING_SETS, *DEVELOPMENT_SETS) for item in read_jsonl(EVAL_DATA / name)]
    assert not {pair["row_id"] for pair in pairs} & {item["row_id"] for item in evaluation}
    extra = {item["row_id"] for item in read_jsonl(EXTRA)}
    wordings = {wording_key(item["en"], "en") for item in evaluation}
    assert not [pair["en"] for pair in pairs if pair["row_id"] in extra and wording_key(pair["en"], "en") in wordings]
