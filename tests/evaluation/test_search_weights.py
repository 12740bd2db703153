import pytest

from evaluation.common import EVAL_DATA, read_jsonl
from evaluation.search import FRESH_SETS
from evaluation.search_weights import GRIDS as SHIPPED_GRIDS
from evaluation.search_weights import Grid, bounded, choose_weights, development_items, parse_weights

GRIDS = (Grid("a", (0.0, 1.0, 2.0)), Grid("b", (0.0, 0.5, 1.0), with_top_10=False))


def counter(table):
    calls = []

    def count(weights):
        calls.append(dict(weights))
        return table(weights["a"], weights["b"])

    return count, calls


def test_each_weight_takes_the_best_value_until_none_moves():
    # rank-1 hits peak at a = 1, b = 0.5; the top 10 does not depend on them
    count, calls = counter(lambda a, b: (100 - 3 * abs(a - 1) - 4 * abs(b - 0.5), 200))
    chosen, fixed = choose_weights(count, GRIDS, {"a": 0.0, "b": 0.0})
    assert chosen == {"a": 1.0, "b": 0.5} and fixed
    # a combination of weights is searched once however often the rule comes back to it
    assert len(calls) == len({tuple(c.values()) for c in calls})


def test_ties_go_to_the_smallest_value_and_the_key_term_rule_ignores_the_top_10():
    # b's top-10 hits rise with b, but b is chosen at rank 1 alone, where every value ties
    count, _ = counter(lambda a, b: (50 + (a >= 1), 80 + int(10 * b)))
    chosen, fixed = choose_weights(count, GRIDS, {"a": 2.0, "b": 1.0})
    assert chosen == {"a": 1.0, "b": 0.0} and fixed


def test_a_weight_still_moving_after_the_last_round_is_no_fixed_point():
    # the first round moves both weights, so only a second round can find that neither moves again
    count, _ = counter(lambda a, b: (100 - 5 * abs(a - 2) - abs(b - a / 2), 0))
    chosen, fixed = choose_weights(count, GRIDS, {"a": 0.0, "b": 0.0}, rounds=1)
    assert chosen == {"a": 2.0, "b": 1.0} and not fixed
    assert choose_weights(count, GRIDS, {"a": 0.0, "b": 0.0}, rounds=2) == ({"a": 2.0, "b": 1.0}, True)


def test_the_development_queries_are_every_set_but_the_fresh_ones_and_the_training_rows(data_dir):
    items = development_items(data_dir)
    assert len(items) == 1100 + 2400
    assert all(item["en"] and item["fr"] and item["ar"] for item in items)
    fresh = {item["row_id"] for name in FRESH_SETS for item in read_jsonl(EVAL_DATA / name)}
    assert not fresh & {item["row_id"] for item in items}


def test_start_weights_are_read_by_name_and_a_wrong_one_is_named():
    assert parse_weights(["word_order=12", "hub_penalty=0.5"]) == {"word_order": 12.0, "hub_penalty": 0.5}
    with pytest.raises(SystemExit, match="unknown weight 'hub'"):
        parse_weights(["hub=0.5"])
    with pytest.raises(SystemExit, match="word_order needs a number, not 'x'"):
        parse_weights(["word_order=x"])


def test_a_bound_leaves_out_the_larger_values_of_that_weight_alone():
    grids = bounded(SHIPPED_GRIDS, parse_weights(["word_window=0.2"], "--at-most"))
    window = next(grid for grid in grids if grid.attribute == "word_window")
    assert window.values == (0.05, 0.1, 0.15, 0.2)
    others = [grid for grid in grids if grid.attribute != "word_window"]
    assert others == [grid for grid in SHIPPED_GRIDS if grid.attribute != "word_window"]
    with pytest.raises(SystemExit, match="--at-most: no value of word_order"):
        bounded(SHIPPED_GRIDS, {"word_order": -1.0})
