import pytest

from evaluation.ministry_targets import against_targets, curve_rises, describe, wilson_interval


def test_the_wilson_interval_of_known_proportions():
    low, high = wilson_interval(93, 120)
    assert (round(low, 3), round(high, 3)) == (0.692, 0.841)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(10, 10)[0] == pytest.approx(0.722, abs=1e-3)
    with pytest.raises(ValueError, match="11 hits out of 10"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="at least one row"):
        wilson_interval(0, 0)


def test_a_target_is_met_by_the_figure_and_told_apart_by_the_interval():
    small = against_targets({"lead_accuracy@1": 93 / 120, "lead_accuracy@3": 112 / 120}, 120)
    assert small["lead_accuracy@1"]["hits"] == 93
    assert not small["lead_accuracy@1"]["met"] and not small["lead_accuracy@1"]["told_apart"]
    large = against_targets({"lead_accuracy@1": 0.81, "lead_accuracy@3": 0.97}, 9600)
    assert large["lead_accuracy@1"]["met"] and large["lead_accuracy@1"]["told_apart"]
    assert large["lead_accuracy@3"]["met"] and large["lead_accuracy@3"]["told_apart"]
    line = describe("test part", small)
    assert "lead_accuracy@1 0.775 (93 of 120; 95% 0.692-0.841) for 0.80: not met, the interval holds" in line


def test_a_flat_curve_does_not_rise():
    def step(at1):
        return {"all": {"lead_accuracy@1": at1}}

    assert not curve_rises({"0": step(0.775), "20": step(0.775), "100": step(0.775)})
    assert curve_rises({"0": step(0.775), "50": step(0.70), "100": step(0.78)})


def test_the_verdict_reads_a_curve_as_computed_or_as_read_back():
    from evaluation.ministries import verdict

    def curve(key):
        return {key(step): {"all": {"lead_accuracy@1": 0.775, "lead_accuracy@3": 0.9333}} for step in (0, 20, 100)}

    held = {"chosen": {"lead_accuracy@1": 0.81, "lead_accuracy@3": 0.97}}
    computed, read_back = verdict(curve(int), 120, held, 9600), verdict(curve(str), 120, None, 0)
    assert computed["test_part"] == read_back["test_part"] and not computed["curve_rises"]
    assert computed["held_out_mapper"]["lead_accuracy@1"]["met"] and "held_out_mapper" not in read_back
