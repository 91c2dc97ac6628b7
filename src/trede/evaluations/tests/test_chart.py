"""The interval chart's SVG numbers must stay machine-readable under the Dutch locale
(Django would otherwise print 120,5 and the browser draws nothing)."""

import re

from django.template.loader import render_to_string
from django.utils import translation


def test_chart_coordinates_use_decimal_points_in_dutch():
    chart = {
        "width": 240.0,
        "zero": 120.5,
        "low": 100.25,
        "high": 180.75,
        "est": 140.5,
        "color": "#1f6fbf",
        "label": "effect",
    }
    with translation.override("nl"):
        svg = render_to_string("evaluations/_chart.html", {"chart": chart})
    numbers = re.findall(r'(?:x1|x2|cx|width)="([^"]+)"', svg)
    assert numbers and all("," not in n for n in numbers), numbers
    assert 'cx="140.5"' in svg
