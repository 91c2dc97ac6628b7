"""Geometry of server-rendered SVG charts, for templates (`templates/charts/line.html`).

One approach for the product: the view hands values, this module computes coordinates,
ticks and a Dutch summary, the template draws them. Series are told apart by line style
and a legend with their names, never by colour alone, and every chart sits beside a table
with the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .dutch import format_number

LINE_STYLES = ("solid", "dashed", "dotted")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None = no point there
    style: str = "solid"


@dataclass(frozen=True)
class Band:
    """A shaded range (an interval) over the labels where both bounds are known."""

    name: str
    low: Sequence[float | None]
    high: Sequence[float | None]


def nice_step(span: float, ticks: int = 5) -> int:
    """A round tick distance (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, int(factor * power))
    return int(10 * power)


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    band: Band | None = None,
    tick_labels: Sequence[str | None] | None = None,
    from_zero: bool = True,
    summary: str = "",
    highlight_last: bool = False,
    width: int = 760,
    height: int = 300,
) -> dict | None:
    """Coordinates for a line chart over `labels` (one x position each).

    `tick_labels`: the text under each x position, None for none (default: every label).
    `from_zero=False` lets the y axis start near the lowest value, for a level that moves
    little; the template then says the axis does not start at 0. `highlight_last` rings
    the first series' last point (where "now" is on a development over time).
    """
    values = [v for s in series for v in s.values if v is not None]
    if band:
        values += [v for v in (*band.low, *band.high) if v is not None]
    if not labels or not values:
        return None
    left, right, top, bottom = 64, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = min(values), max(values)
    if from_zero:
        low = min(0, low)
    step = nice_step(high - low if high > low else max(abs(high), 1))
    y_min = math.floor(low / step) * step
    y_max = max(y_min + step, math.ceil(high / step) * step)
    n = len(labels)

    def x(i: int) -> float:
        return round(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(top + plot_h - plot_h * (v - y_min) / (y_max - y_min), 1)

    drawn = []
    for s in series:
        points = [(x(i), y(v), labels[i], v) for i, v in enumerate(s.values) if v is not None]
        drawn.append(
            {
                "name": s.name,
                "style": s.style if s.style in LINE_STYLES else "solid",
                "polyline": " ".join(f"{a},{b}" for a, b, _l, _v in points),
                "dots": [
                    {"x": a, "y": b, "title": f"{s.name}, {lab}: {format_number(round(v))}"}
                    for a, b, lab, v in points
                ],
            }
        )
    band_shape = None
    if band:
        known = [i for i in range(n) if band.low[i] is not None and band.high[i] is not None]
        if known:
            upper = [f"{x(i)},{y(band.high[i])}" for i in known]
            lower = [f"{x(i)},{y(band.low[i])}" for i in reversed(known)]
            band_shape = {"name": band.name, "points": " ".join(upper + lower)}
    ticks = tick_labels if tick_labels is not None else labels
    last = None
    if highlight_last and drawn and drawn[0]["dots"]:
        last = {"x": drawn[0]["dots"][-1]["x"], "y": drawn[0]["dots"][-1]["y"]}
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "series": drawn,
        "band": band_shape,
        "y_ticks": [{"y": y(v), "label": format_number(v)} for v in range(int(y_min), int(y_max) + 1, step)],
        "x_ticks": [{"x": x(i), "label": text} for i, text in enumerate(ticks) if text],
        "from_zero": y_min == 0,
        "summary": summary,
        "last": last,
    }
