"""The shared chart geometry and its template."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.utils import charts

NUMBER_ATTRIBUTES = re.compile(r'\b(?:cx|cy|x|y|x1|x2|y1|y2|width|height)="([^"]*)"')


def _chart():
    return charts.line_chart(
        labels=["jan 2024", "feb 2024", "mrt 2024"],
        series=[
            charts.Series("Bestand", [100.5, 120.25, 90]),
            charts.Series("Basis", [None, 110, 95], "dashed"),
        ],
        band=charts.Band("80 %-interval", [None, 100, 80], [None, 130, 110]),
        summary="Het bestand daalde.",
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_coordinates_are_never_localised(language):
    """A Dutch page must not get `cy="264,0"`: a decimal comma breaks the SVG."""
    with translation.override(language):
        html = render_to_string("charts/line.html", {"chart": _chart(), "chart_id": "t", "title": "Titel"})
    numbers = NUMBER_ATTRIBUTES.findall(html)
    assert len(numbers) > 10
    for value in numbers:
        float(value)
    for points in re.findall(r'points="([^"]*)"', html):
        for pair in points.split():
            x, y = pair.split(",")
            float(x), float(y)
    assert "Basis" in html and "80 %-interval" in html and "Het bestand daalde." in html


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        # No subnormal floats: -5e-324 / step underflows to -0.0 and lies "below" an axis
        # at 0 by 5e-324; no count, share or rate the charts draw is ever that small.
        st.one_of(
            st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False)
        ),
        min_size=1,
        max_size=30,
    ),
    from_zero=st.booleans(),
)
def test_every_point_lies_inside_the_plot_and_the_ticks_cover_the_values(values, from_zero):
    labels = [str(i) for i in range(len(values))]
    chart = charts.line_chart(labels=labels, series=[charts.Series("s", values)], from_zero=from_zero)
    known = [v for v in values if v is not None]
    if not known:
        assert chart is None
        return
    for dot in chart["series"][0]["dots"]:
        assert chart["left"] <= dot["x"] <= chart["right"]
        assert chart["top"] - 0.05 <= dot["y"] <= chart["bottom"] + 0.05
    assert len(chart["series"][0]["dots"]) == len(known)
    tick_values = [
        float(t["label"].replace(".", "").replace(",", ".").replace("−", "-")) for t in chart["y_ticks"]
    ]
    assert min(tick_values) <= min(known) and max(tick_values) >= max(known)
    if from_zero and min(known) >= 0:
        assert chart["from_zero"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_bar_coordinates_are_never_localised_and_a_hidden_count_has_no_bar(language):
    chart = charts.bar_chart(
        "Titel", [("jan", [("instroom", 1234), ("uitstroom", "<5")]), ("feb", [("instroom", 7)])]
    )
    with translation.override(language):
        html = render_to_string("charts/bars.html", {"chart": chart})
    for value in NUMBER_ATTRIBUTES.findall(html):
        float(value)
    assert html.count("<rect") == 2  # 1234 and 7; the hidden count only its mark
    assert "1.234" in html and "&lt;5" in html
    lengths = [r["length"] for r in chart["rows"] if "length" in r]
    assert lengths[0] == charts.BAR_LENGTH and lengths[1] == 0 and 0 < lengths[2] < 2
