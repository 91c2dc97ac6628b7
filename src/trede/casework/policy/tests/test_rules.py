"""The presets' rules, case by case and as properties over every number of months."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trede.casework.policy.presets import PRESETS
from trede.casework.policy.rules import (
    caseload_status,
    category_for,
    classify,
    contact_interval_days,
    plan_required,
    route_for,
    route_limit_reached,
    validate_config,
)
from trede.utils.dates import months_between

LV = PRESETS["leidschendam_voorburg"]["config"]
SW = PRESETS["steenwijkerland"]["config"]
HVT = PRESETS["hof_van_twente"]["config"]


@pytest.mark.parametrize(
    ("months", "indicated", "step", "category", "route"),
    [
        (0, False, 5, "1A", "directe_bemiddeling"),
        (1, False, 5, "1A", "re_integratie"),
        (3, False, 5, "1A", "re_integratie"),
        (4, False, 5, "1B", "re_integratie"),
        (12, False, 4, "1B", "re_integratie"),
        (13, False, 4, "1C", "re_integratie"),
        (24, False, 4, "1C", "re_integratie"),
        (25, False, 3, "2A", "participatie"),
        (25, True, 3, "2B", "re_integratie"),
        (48, True, 3, "2B", "re_integratie"),
        (48, False, 3, "2A", "participatie"),
        (49, True, 3, "3A", "participatie"),
        (49, False, 2, "3B", "participatie"),
        (120, False, 1, "3B", "participatie"),
    ],
)
def test_leidschendam_voorburg_categories_and_routes(months, indicated, step, category, route):
    got = category_for(months, beschut_or_banenafspraak=indicated, ladder_step=step, config=LV)
    assert got == category
    assert route_for(months, category=got, config=LV) == route


@given(st.integers(min_value=0, max_value=120), st.booleans(), st.one_of(st.none(), st.integers(1, 6)))
def test_every_month_gets_exactly_one_consistent_category_and_route(months, indicated, step):
    result = classify(months_to_work=months, ladder_step=step, dgr=indicated, config=LV)
    assert result.category in {"1A", "1B", "1C", "2A", "2B", "3A", "3B"}
    # work routes only up to 24 months, or for 2B; participatie beyond
    if result.route == "participatie":
        assert months > 24 and result.category != "2B"
    if months <= 24:
        assert result.route != "participatie"
    # more months never brings a nearer category (monotone), given the same indication
    if months < 120:
        farther = classify(months_to_work=months + 1, ladder_step=step, dgr=indicated, config=LV)
        order = ["1A", "1B", "1C", "2A", "2B", "3A", "3B"]
        assert order.index(farther.category[:1] + "A") >= order.index(result.category[:1] + "A")


@pytest.mark.parametrize(
    ("config", "kwargs", "days"),
    [
        (SW, {"client_group": "direct_werk"}, 14),
        (SW, {"client_group": "werkvoorzienend"}, 365),  # "at least once a year"
        (HVT, {"ladder_step": 1}, 91),
        (HVT, {"ladder_step": 5}, 14),
        (LV, {"route": "participatie"}, 182),
        (SW, {"client_group": ""}, 14),  # unclassified: the most intensive regime
    ],
)
def test_contact_interval_follows_the_preset_basis(config, kwargs, days):
    assert contact_interval_days(config=config, **kwargs) == days


def test_route_limit_of_two_years():
    assert not route_limit_reached(
        route="re_integratie", since=date(2022, 3, 15), today=date(2024, 3, 14), config=LV
    )
    assert route_limit_reached(
        route="re_integratie", since=date(2022, 3, 15), today=date(2024, 3, 15), config=LV
    )
    assert not route_limit_reached(
        route="participatie", since=date(2010, 1, 1), today=date(2024, 1, 1), config=LV
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 400))
def test_months_between_counts_completed_months(start, days):
    from datetime import timedelta

    end = start + timedelta(days=days)
    months = months_between(start, end)
    assert 0 <= months <= days // 28 + 1
    assert months_between(start, start) == 0


def test_plan_required_under_27_or_everyone():
    assert plan_required(age=26, config=LV) and not plan_required(age=27, config=LV)
    assert plan_required(age=60, config=HVT)


def test_caseload_range():
    assert [caseload_status(n, config=LV) for n in (69, 70, 90, 91)] == [
        "te_laag",
        "binnen_norm",
        "binnen_norm",
        "te_hoog",
    ]


def test_presets_are_valid_and_edits_are_checked():
    for preset in PRESETS.values():
        assert validate_config(preset["config"]) == []
    broken = {
        **LV,
        "categories": [{"code": "1A", "min": 0, "max": 3}, {"code": "1B", "min": 5, "max": 12}],
        "caseload": {"min": 90, "max": 70},
    }
    problems = validate_config(broken)
    assert any("1B" in p for p in problems) and any("Caseload" in p for p in problems)
