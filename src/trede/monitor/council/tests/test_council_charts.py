"""The council report's charts: each on its own scale, every bar named in text with its number
beside it (readable without colour), and a hidden count drawn as its mark, never as a bar."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trede.benefits.tests.factories import BenefitFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.council.rendering import render_html
from trede.monitor.council.selectors import council_report, parse_quarter
from trede.utils.charts import BAR_LENGTH, bar_chart

values = st.one_of(st.integers(min_value=0, max_value=100_000), st.sampled_from(["<5", "x"]), st.none())


@given(st.lists(st.lists(values, min_size=1, max_size=4), min_size=1, max_size=6))
def test_each_chart_has_its_own_scale_and_hides_no_number(groups):
    series = [
        (f"groep {g}", [(f"staaf {b}", v) for b, v in enumerate(bars)]) for g, bars in enumerate(groups)
    ]
    chart = bar_chart("t", series)
    bars = [r for r in chart["rows"] if "name" in r]
    flat = [v for bars_of in groups for v in bars_of]
    assert [r["value"] for r in bars] == flat
    published = [v for v in flat if isinstance(v, int)]
    top = max(published, default=0)
    for row, value in zip(bars, flat, strict=True):
        assert row["name"] and row["text"]  # every bar named in text, its number beside it
        if isinstance(value, int) and top:
            # Rounded to one decimal: at most half a tenth off (and a hair for the float of .x5).
            assert row["length"] == pytest.approx(value * BAR_LENGTH / top, abs=0.05 + 1e-9)
            assert row["text"].replace(".", "") == str(value)
        else:  # a hidden count, a dash or an all-zero chart: no bar
            assert row["length"] == 0
            assert row["text"] == {None: "–"}.get(value, value if isinstance(value, str) else "0")
    if top:
        assert max(r["length"] for r in bars) == BAR_LENGTH


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r"<figure>\s*<figcaption>(.*?)</figcaption>(.*?)</figure>", html, re.S))


@pytest.mark.django_db
def test_a_small_regulation_gets_its_own_chart_with_a_visible_bar():
    """40 Participatiewet clients and 6 IOAW clients of 44, 2 IOAZ clients of 25 (a small cell in
    another age band, so no other cell is hidden for it), on benefit all quarter."""
    groups = (("pw", 40, date(1980, 6, 15)), ("ioaw", 6, date(1980, 6, 15)), ("ioaz", 2, date(1999, 6, 15)))
    for n, (regulation, count, birth) in enumerate(groups):
        for k in range(count):
            client = ClientFactory(given_name=f"Grafiek{n}{k}", family_name="Staafmans", birth_date=birth)
            BenefitFactory(
                client=client,
                regulation=regulation,
                start_date=date(2020, 1, 1),
                end_date=None,
                end_reason="",
            )
    quarter = parse_quarter("2025-Q2")
    html = render_html(quarter, council_report(quarter))
    figures = _figures(html)
    what = "mensen met een uitkering op de eerste en de laatste dag van het kwartaal"
    assert {f"{r}: {what}" for r in ("Participatiewet", "IOAW", "IOAZ", "Bbz")} <= set(figures)

    def bars(svg):
        return [
            float(w) for w in re.findall(r'<rect fill="#01426a" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)
        ]

    def numbers(svg):
        return re.findall(r'font-size="10" font-family="[^"]+" fill="#1a1a1a">([^<]+)</text>', svg)

    pw, ioaw, ioaz = (figures[f"{r}: {what}"] for r in ("Participatiewet", "IOAW", "IOAZ"))
    assert bars(pw) == [BAR_LENGTH, BAR_LENGTH] and bars(ioaw) == [BAR_LENGTH, BAR_LENGTH]
    assert numbers(ioaw) == ["1 april 2025", "6", "30 juni 2025", "6"]  # name, then the number beside it
    assert numbers(pw) == ["1 april 2025", "40", "30 juni 2025", "40"]
    # IOAZ's two are a small cell: the mark, no bar (and the accessible name carries it too).
    assert bars(ioaz) == [] and numbers(ioaz) == ["1 april 2025", "&lt;5", "30 juni 2025", "&lt;5"]
    assert 'aria-label="IOAZ: ' + what + ": 1 april 2025 &lt;5; 30 juni 2025 &lt;5" in ioaz
    # One colour for every bar: nothing is told by colour alone.
    assert set(re.findall(r'<rect fill="([^"]+)"', "".join(figures.values()))) == {"#01426a"}
    assert "eigen schaal" in html
