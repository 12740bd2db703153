import numpy as np
import pytest

from nlp.decision_memory import DecisionMemory

IDS = ["a", "b", "c"]


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_nearest_decision_naming_each_body_as_lead_or_as_lead_or_supporting():
    memory = DecisionMemory(IDS, 3)
    memory.add(np.stack([unit(1, 0, 0), unit(0, 1, 0)]), ["a", "b"], [["b"], []], ["first", "second"])
    query = unit(1, 0.2, 0)[None, :]
    cosine, rows = memory.nearest_naming(memory.cosines(query))
    assert rows[0].tolist() == [0, 0, -1]  # b is named by the first decision, nearer than the one it led
    assert cosine[0, 0] == pytest.approx(float(query[0] @ unit(1, 0, 0)))
    assert cosine[0, 2] == -1.0
    led_cosine, led_rows = memory.nearest_naming(memory.cosines(query), led_only=True)
    assert led_rows[0].tolist() == [0, 1, -1]
    assert led_cosine[0, 1] == pytest.approx(float(query[0] @ unit(0, 1, 0)))
    assert memory.texts_ == ["first", "second"]


def test_an_empty_memory_names_no_body():
    empty = DecisionMemory(IDS, 3)
    cosine, rows = empty.nearest_naming(empty.cosines(unit(1, 0, 0)[None, :]))
    assert rows.tolist() == [[-1, -1, -1]] and cosine.tolist() == [[-1.0, -1.0, -1.0]]


def test_decisions_kept_only_to_illustrate_do_not_decide_the_same_wording():
    memory = DecisionMemory(IDS, 3)
    memory.add(unit(1, 0, 0)[None, :], ["a"], [[]], ["Ratify the CPED"], same_wording=False)
    memory.add(unit(0, 1, 0)[None, :], ["b"], [[]])  # no text: quoted as nothing
    assert memory.decided("Ratify the CPED") is None and memory.texts_ == ["Ratify the CPED", ""]
    memory.add(unit(0, 0, 1)[None, :], ["c"], [[]], ["Ratify the CPED"])
    assert memory.decided("ratify the CPED.").tolist() == [0.0, 0.0, 1.0]


def test_texts_must_come_one_per_decision():
    with pytest.raises(ValueError, match="1 texts for 2 decisions"):
        DecisionMemory(IDS, 3).add(np.stack([unit(1, 0, 0), unit(0, 1, 0)]), ["a", "b"], [[], []], ["one"])
