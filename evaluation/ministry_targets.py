"""The ministry mapping's targets, and how far one sample can say a figure meets them.

Lead accuracy must reach 0.80 at rank 1 and 0.95 at rank 3 on the test part with nothing fed, and the
learning curve must rise from no correction to the last step. A figure on 120 rows moves by several
points from one draw to another, so each comes with its 95% Wilson score interval: a target is met
when the figure reaches it, and the interval says whether the sample could tell it from the target.
"""

from __future__ import annotations

import math

#: lead accuracy the mapper must reach at ranks 1 and 3
TARGETS = {"lead_accuracy@1": 0.80, "lead_accuracy@3": 0.95}
Z_95 = 1.959964


def wilson_interval(hits: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion of ``hits`` in ``n`` (95% by default)."""
    if n <= 0:
        raise ValueError("an interval needs at least one row")
    if not 0 <= hits <= n:
        raise ValueError(f"{hits} hits out of {n} rows")
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def against_targets(scores: dict[str, float], n: int) -> dict[str, dict]:
    """Per target: the figure, its hits out of ``n``, its interval, whether it is met and whether the
    sample tells it from the target (the interval lies wholly on one side)."""
    out = {}
    for name, target in TARGETS.items():
        value = scores[name]
        hits = round(value * n)
        low, high = wilson_interval(hits, n)
        out[name] = {
            "value": value,
            "hits": hits,
            "rows": n,
            "interval_95": [round(low, 4), round(high, 4)],
            "target": target,
            "met": value >= target,
            "told_apart": not low <= target <= high,
        }
    return out


def curve_rises(curve: dict[str, dict], metric: str = "lead_accuracy@1") -> bool:
    """Whether the learning curve's last step (most corrections fed) scores above its first."""
    steps = sorted(curve, key=int)
    return curve[steps[-1]]["all"][metric] > curve[steps[0]]["all"][metric]


def describe(name: str, verdict: dict[str, dict]) -> str:
    """One line per target, for the script's output."""
    parts = []
    for metric, v in verdict.items():
        low, high = v["interval_95"]
        state = "met" if v["met"] else "not met"
        told = "" if v["told_apart"] else ", the interval holds the target"
        parts.append(
            f"{metric} {v['value']:.3f} ({v['hits']} of {v['rows']}; 95% {low:.3f}-{high:.3f}) for {v['target']:.2f}: "
            f"{state}{told}"
        )
    return f"{name}: " + "; ".join(parts)
