"""Horizontal bar charts drawn as SVG on the server: no chart library, nothing fetched by the browser."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 560
ROW = 28
LABEL_WIDTH = 250
VALUE_WIDTH = 40


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int


def _shorten(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(bars: Iterable[Bar], title: str, rtl: bool = False, limit: int = 12) -> Markup:
    """An accessible SVG (``role="img"`` with a title) of the ``limit`` largest bars, mirrored for RTL.

    Example:
        >>> svg = bar_chart([Bar("Goal 4", 3), Bar("Goal 5", 1)], "Per goal")
        >>> "<svg" in svg and "Goal 4" in svg
        True
    """
    shown = sorted(bars, key=lambda bar: (-bar.value, bar.label))[:limit]
    top = max((bar.value for bar in shown), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(shown), 1) * ROW + 8
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for row, bar in enumerate(shown):
        y = row * ROW + 4
        length = max(round(span * bar.value / top), 1 if bar.value else 0)
        # labels run from the reading side's edge; the bars grow away from them
        if rtl:
            label_x, direction, bar_x = WIDTH - 4, "rtl", WIDTH - LABEL_WIDTH - length
            value_x, value_anchor = bar_x - 6, "end"
        else:
            label_x, direction, bar_x = 4, "ltr", LABEL_WIDTH
            value_x, value_anchor = LABEL_WIDTH + length + 6, "start"
        parts.append(
            f"<g><title>{escape(bar.label)}: {bar.value}</title>"
            f'<text x="{label_x}" y="{y + 18}" direction="{direction}">{escape(_shorten(bar.label))}</text>'
            f'<rect class="bar" x="{bar_x}" y="{y + 3}" width="{length}" height="{ROW - 8}" rx="2"/>'
            f'<text x="{value_x}" y="{y + 18}" text-anchor="{value_anchor}">{bar.value}</text></g>'
        )
    if not shown:
        parts.append(f'<text x="{WIDTH / 2}" y="20" text-anchor="middle">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
