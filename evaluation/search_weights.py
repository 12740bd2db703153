"""Choose the cross-lingual ranking's weights on every development query: ``python -m evaluation.search_weights``.

The rule of :mod:`evaluation.search`, run on more queries and to its fixed point: each weight of
:class:`nlp.search.Searcher` in turn takes the smallest value of its grid with the most French and
Arabic queries finding their English original at rank 1 plus in the top 10 (the key-term weight: at
rank 1 alone), the others held; rounds repeat until no weight moves (or ``--rounds`` is reached).

The development queries are those of every translation set but the fresh ones
(:data:`evaluation.search.FRESH_SETS`, never chosen on) and the 2,400 translated training rows of
``training/data/word_translations.jsonl`` (seed 20261229), which neither the shipped word-translation
tables nor any weight had used: 7,000 queries into English against the 2,200 of ``evaluation.search``.
30-45 s per value tried on 2 cores (the store of ``evaluation.search``: the dev set and the
translation sets' French and Arabic texts); a round of the grids below takes 20-45 minutes.
``--start NAME=VALUE ...`` starts from other weights; ``--at-most NAME=VALUE ...`` tries no value above
a bound (the word window at 0.2 keeps search under its latency target).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.common import EVAL_DATA, open_dev_pipeline, read_jsonl
from evaluation.search import (
    COPIES_WEIGHTS,
    FRESH_SETS,
    HUB_PENALTIES,
    KEY_TERM_PENALTIES,
    TRANSLATION_SETS,
    WORD_ORDERS,
    WORD_PENALTIES,
    WORD_WINDOWS,
    ranking_weights,
    wanted_ranks,
)
from nlp.pipeline import Pipeline
from nlp.search import Searcher
from nlp.wording import wording_key
from service.config import Settings
from training.translations import TRAINING_DATA, read_pairs

TRAINING_QUERIES = TRAINING_DATA / "word_translations.jsonl"


@dataclass(frozen=True)
class Grid:
    attribute: str
    values: tuple[float, ...]
    #: count the top 10 as well as rank 1 (the key-term weight is chosen at rank 1 alone)
    with_top_10: bool = True


GRIDS = (
    Grid("key_term_penalty", KEY_TERM_PENALTIES, with_top_10=False),
    Grid("hub_penalty", (*HUB_PENALTIES, 0.6, 0.8)),
    Grid("word_penalty", WORD_PENALTIES),
    Grid("word_window", (*WORD_WINDOWS, 0.4, 0.5)),
    Grid("copies_weight", COPIES_WEIGHTS),
    Grid("word_order", WORD_ORDERS),
)

#: queries found at rank 1 and in the top 10, for the weights given
HitCounter = Callable[[Mapping[str, float]], tuple[int, int]]


def choose_weights(
    count_hits: HitCounter, grids: Sequence[Grid], start: Mapping[str, float], rounds: int = 6
) -> tuple[dict[str, float], bool]:
    """The rule's choice from ``start`` and whether it is a fixed point (no weight moved in the last round)."""
    weights = dict(start)
    seen: dict[tuple[float, ...], tuple[int, int]] = {}

    def hits(candidate: dict[str, float]) -> tuple[int, int]:
        key = tuple(candidate[grid.attribute] for grid in grids)
        if key not in seen:
            seen[key] = count_hits(candidate)
        return seen[key]

    for round_number in range(1, rounds + 1):
        moved = False
        for grid in grids:
            tried = []
            for value in grid.values:
                at_1, at_10 = hits({**weights, grid.attribute: value})
                found = at_1 + (at_10 if grid.with_top_10 else 0)
                tried.append((found, -value))
                print(f"  {grid.attribute} = {value}: {at_1} at rank 1, {at_10} in the top 10", flush=True)
            best = -max(tried)[1]
            print(f"round {round_number}: {grid.attribute} {weights[grid.attribute]} -> {best}", flush=True)
            moved |= best != weights[grid.attribute]
            weights[grid.attribute] = best
        if not moved:
            return weights, True
    return weights, False


def development_items(data_dir: Path) -> list[dict]:
    """The development queries' items (``en``, ``fr``, ``ar``): every translation set but the fresh ones, then
    the translated training rows with their English original read from the dev set."""
    items = [item for name in TRANSLATION_SETS if name not in FRESH_SETS for item in read_jsonl(EVAL_DATA / name)]
    return items + read_pairs((TRAINING_QUERIES,), (), data_dir)[0]


def into_english_hits(pipeline: Pipeline, items: Sequence[dict]) -> HitCounter:
    """A counter of French and Arabic queries finding their English original's wording, for given weights."""
    wanted = [wording_key(item["en"], "en") for item in items]

    def count(weights: Mapping[str, float]) -> tuple[int, int]:
        ranks: list[int | None] = []
        with ranking_weights(weights):
            for language in ("fr", "ar"):
                results = pipeline.search_many([item[language] for item in items], 10, language="en")
                ranks += wanted_ranks(results, wanted, "en")
        return sum(rank == 1 for rank in ranks), sum(rank is not None for rank in ranks)

    return count


def parse_weights(given: Sequence[str], option: str = "--start") -> dict[str, float]:
    """``NAME=VALUE`` pairs naming weights of the grids."""
    names = {grid.attribute for grid in GRIDS}
    weights = {}
    for pair in given:
        name, _, value = pair.partition("=")
        if name not in names:
            raise SystemExit(f"{option}: unknown weight {name!r}; one of {sorted(names)}")
        try:
            weights[name] = float(value)
        except ValueError:
            raise SystemExit(f"{option}: {name} needs a number, not {value!r}") from None
    return weights


def bounded(grids: Sequence[Grid], at_most: Mapping[str, float]) -> tuple[Grid, ...]:
    """The grids without the values above a weight's bound (a latency bound on the word window, say)."""
    kept = []
    for grid in grids:
        values = tuple(v for v in grid.values if v <= at_most.get(grid.attribute, v))
        if not values:
            raise SystemExit(f"--at-most: no value of {grid.attribute}'s grid {grid.values} is that small")
        kept.append(Grid(grid.attribute, values, grid.with_top_10))
    return tuple(kept)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="evaluation store (default evaluation/results/store)")
    parser.add_argument("--rounds", type=int, default=6, help="stop after this many rounds without a fixed point")
    parser.add_argument(
        "--start", nargs="*", default=[], metavar="NAME=VALUE", help="start from these weights instead of the shipped"
    )
    parser.add_argument(
        "--at-most", nargs="*", default=[], metavar="NAME=VALUE", help="try no value of a weight above this bound"
    )
    args = parser.parse_args(argv)
    shipped = {grid.attribute: getattr(Searcher, grid.attribute) for grid in GRIDS}
    start = {**shipped, **parse_weights(args.start)}
    grids = bounded(GRIDS, parse_weights(args.at_most, "--at-most"))
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    items = development_items(settings.data_dir)
    pipeline = open_dev_pipeline(args.store, settings)
    print(f"{2 * len(items)} development queries into English; shipped weights {shipped}; start {start}")
    chosen, fixed = choose_weights(into_english_hits(pipeline, items), grids, start, args.rounds)
    print(("fixed point: " if fixed else f"no fixed point after {args.rounds} rounds; last: ") + str(chosen))
    pipeline.close()
    return chosen


if __name__ == "__main__":
    main()
