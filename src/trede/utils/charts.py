"""Geometry of server-rendered SVG charts, for templates (`templates/charts/line.html`,
`templates/charts/bars.html`).

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


# ---------------------------------------------------------------------------- bars

# Horizontal bars, each named in text on its left and with its number on its right, so a
# chart reads without colour; every chart has its own scale (its largest published value
# is the full length), so a small regulation is not a line next to the Participatiewet.
LABEL_WIDTH = 110  # "30 september 2026" at 10 px
BAR_LENGTH = 190
NUMBER_WIDTH = 60  # 360 in all: fits a 390 px screen unscaled
ROW_HEIGHT = 18
BAR_HEIGHT = 12
# Dark blue against white: a contrast far above 3:1 (WCAG 1.4.11).
BAR_FILL = "#01426a"


def shown_value(value) -> str:
    """A number as Dutch text, a hidden mark ('<5', 'x') as it is, nothing as a dash."""
    if value is None:
        return "–"
    return value if isinstance(value, str) else format_number(value)


def bar_chart(title: str, series: list[tuple[str, list[tuple[str, int | str | None]]]]) -> dict:
    """A horizontal bar chart as SVG shapes: `series` is [(group label, [(bar label, value)])];
    a group label of "" draws its bars without a heading line.

    The scale is this chart's own: its largest published value is `BAR_LENGTH` long. A
    hidden value ('<5', 'x') gets no bar, only its mark beside the axis: a bar length
    would give the count back, and so would a scale resting on it.
    """
    numbers = [v for _g, bars in series for _b, v in bars if isinstance(v, int)]
    top = max(numbers, default=0)
    rows = []
    y = 4
    for group, bars in series:
        if group:
            rows.append({"group": group, "text_y": y + ROW_HEIGHT - 5})
            y += ROW_HEIGHT
        for name, value in bars:
            length = round(value / top * BAR_LENGTH, 1) if isinstance(value, int) and top else 0
            rows.append(
                {
                    "name": name,
                    "group_of": group,
                    "value": value,
                    "text": shown_value(value),
                    "hidden": isinstance(value, str),
                    "bar_y": y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                    "length": length,
                    "text_y": y + ROW_HEIGHT - 5,
                    "number_x": LABEL_WIDTH + length + 4,
                }
            )
            y += ROW_HEIGHT
    return {
        "title": title,
        "width": LABEL_WIDTH + BAR_LENGTH + NUMBER_WIDTH,
        "height": y + 4,
        "axis_x": LABEL_WIDTH,
        "label_x": 8 if any(g for g, _b in series) else 0,
        "bar_height": BAR_HEIGHT,
        "fill": BAR_FILL,
        "top": top,
        "rows": rows,
    }
