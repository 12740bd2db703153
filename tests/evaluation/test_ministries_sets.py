"""The ministry evaluation files: the recurring pairs are valid, real and kept apart from the rest."""

import json

import numpy as np
import pytest

from corpora.ministries import load_directory
from corpora.ministry_examples import load_example_decisions
from corpora.upr_info import dev_texts
from evaluation import ministries, ministry_agreement
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


def test_every_evaluation_row_has_its_two_further_annotations():
    items = read_jsonl(EVAL_DATA / "ministries_eval.jsonl")
    further = ministry_agreement.read_agreement(items, load_directory("ma").ids())
    assert set(further) == {"second", "third"}
    assert all(len(annotations) == len(items) for annotations in further.values())
    lines = read_jsonl(EVAL_DATA / ministry_agreement.AGREEMENT)  # one line per row of the set, in its order
    assert [(line["row_id"], line["language"]) for line in lines] == [(i["row_id"], i["language"]) for i in items]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"second": None}], "line 1: field 'second' must hold a lead and its supporting bodies"),
        (
            [{"second": {"lead": "ministry_of_magic"}, "third": {"lead": "justice"}}],
            "line 1, second: field 'lead' names unknown body 'ministry_of_magic'",
        ),
        ([{}, {}], "line 2: row 1 \\(en\\) is annotated on an earlier line too"),
        ([], "no annotation for rows 1 \\(en\\)"),
    ],
)
def test_a_broken_further_annotation_is_named(tmp_path, monkeypatch, lines, message):
    whole = {"row_id": 1, "language": "en", "second": {"lead": "justice"}, "third": {"lead": "didh"}}
    text = "".join(json.dumps({**whole, **line}) + "\n" for line in lines)
    (tmp_path / ministry_agreement.AGREEMENT).write_text(text)
    monkeypatch.setattr(ministry_agreement, "EVAL_DATA", tmp_path)
    with pytest.raises(ValueError, match=message):
        ministry_agreement.read_agreement([{"row_id": 1, "language": "en"}], load_directory("ma").ids())


def test_annotations_compare_by_lead_bodies_and_majority():
    one = [{"lead": "justice", "supporting": ["parliament"]}, {"lead": "didh", "supporting": []}]
    other = [{"lead": "justice", "supporting": []}, {"lead": "foreign_affairs", "supporting": ["didh"]}]
    figures = ministry_agreement.between(one, other)
    assert figures["same_lead"] == 0.5
    assert figures["lead_among_bodies"] == 0.5  # didh is among the other's bodies, foreign_affairs not among one's
    assert figures["supporting_f1"] == 0.0
    third = [{"lead": "interior", "supporting": []}, {"lead": "didh", "supporting": []}]
    assert ministry_agreement.majority_leads([one, other, third]) == ["justice", "didh"]
    assert ministry_agreement.majority_leads([one, other]) == ["justice", None]


def test_the_held_out_decisions_score_the_classifier_alone_at_ranks_1_and_3(tmp_path, data_dir, embedder):
    from service.config import Settings

    folder = tmp_path / "held_out"
    folder.mkdir()
    leads = ["justice", "health", "interior", "justice"]
    with (folder / "ma_examples.jsonl").open("w", encoding="utf-8") as handle:
        for row_id, lead in zip((20, 22, 29, 65), leads, strict=True):
            handle.write(json.dumps({"row_id": row_id, "lead": lead, "supporting": []}) + "\n")
    directory = load_directory("ma")

    class RanksKnown:  # justice first, health second, interior third, whatever the text
        body_ids = ["didh", "health", "interior", "justice"]

        def check_bodies(self, ids):
            assert set(self.body_ids) <= set(ids)

        def probabilities(self, embeddings, texts):
            assert len(texts) == len(embeddings)
            return np.array([[0.1, 0.25, 0.15, 0.5]] * len(embeddings))

    decisions = ministries.load_example_decisions(directory, Settings(data_dir=data_dir).data_dir, folder=folder)
    scores = ministries.held_out_scores(RanksKnown(), decisions, directory, embedder)
    assert scores == {"decisions": 4, "lead_accuracy@1": 0.5, "lead_accuracy@3": 1.0}
