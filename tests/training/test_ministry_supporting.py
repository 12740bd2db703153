import numpy as np

from corpora.ministry_examples import ExampleDecision
from training.ministry_supporting import partners_alone, proposed

BODIES = ["justice", "parliament", "solidarity", "didh"]


def decision(lead, supporting):
    return ExampleDecision(row_id=1, text="t", lead=lead, supporting=tuple(supporting), note="")


def test_proposed_keeps_up_to_three_bodies_at_the_cut_off_or_above():
    rows = np.array([[0.9, 0.5, 0.36, 0.4], [0.1, 0.2, 0.3, 0.34]])
    assert proposed(rows, BODIES) == [{"justice", "parliament", "didh"}, set()]


def test_the_lead_s_usual_partners_alone_read_no_text():
    decisions = [decision("justice", ["parliament"])] * 3 + [decision("justice", ["solidarity"])]
    assert partners_alone(decisions, BODIES, ["justice", "didh"], 0.3) == [{"parliament"}, set()]
    assert partners_alone(decisions, BODIES, ["justice"], 0.2) == [{"parliament", "solidarity"}]
