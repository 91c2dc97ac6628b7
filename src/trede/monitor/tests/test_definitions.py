"""The core figures against the definitions of interchange.md, case by case."""

from datetime import date

import pytest

from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import DiagnosisFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.selectors import FigureError, flow_figures, stock_figures, stock_totals

pytestmark = pytest.mark.django_db

D = date


def benefit(client, start, end=None, reason="", regulation="pw", benefit_id=None):
    kwargs = {"benefit_id": benefit_id} if benefit_id else {}
    if end and not reason:
        reason = "overig"
    return BenefitFactory(
        client=client, start_date=start, end_date=end, end_reason=reason, regulation=regulation, **kwargs
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 12, 31), 0),  # the day before the start
        (D(2020, 1, 1), 1),  # the start day counts
        (D(2020, 6, 30), 1),  # the last day with benefit
        (D(2020, 7, 1), 0),  # end_date is the first day WITHOUT benefit
    ],
)
def test_active_on_start_day_not_on_end_day(day, expected):
    benefit(ClientFactory(), D(2020, 1, 1), D(2020, 7, 1), "werk")
    assert stock_figures(as_of=day)["total"] == expected


def test_a_client_counts_once_with_overlapping_benefits():
    client = ClientFactory()
    benefit(client, D(2020, 1, 1))
    benefit(client, D(2020, 3, 1), D(2020, 9, 1), "werk")
    assert stock_figures(as_of=D(2020, 4, 1))["total"] == 1


def test_regulation_selection():
    benefit(ClientFactory(), D(2020, 1, 1), regulation="ioaw")
    benefit(ClientFactory(), D(2020, 1, 1), regulation="pw")
    assert stock_figures(as_of=D(2020, 2, 1))["total"] == 1
    assert stock_figures(as_of=D(2020, 2, 1), regulations=["pw", "ioaw"])["total"] == 2
    assert stock_figures(as_of=D(2020, 2, 1), regulations=["ioaw"])["regulations"] == ["ioaw"]


@pytest.mark.parametrize(
    ("birth", "day", "band"),
    [
        (D(1999, 6, 15), D(2020, 6, 14), "<=20"),  # 20 the day before the 21st birthday
        (D(1999, 6, 15), D(2020, 6, 15), "21-30"),  # birthday: a completed year
        (D(1980, 2, 29), D(2020, 2, 28), "31-40"),  # 39 in a leap year, day before
        (D(1979, 2, 28), D(2020, 2, 28), "41-50"),
        (D(1970, 2, 28), D(2020, 2, 27), "41-50"),  # 49, birthday tomorrow
        (D(1960, 2, 29), D(2020, 2, 28), "51-60"),  # 59 the day before a leap-day birthday
        (D(1959, 3, 1), D(2020, 2, 29), "51-60"),  # 60, birthday tomorrow
        (D(1959, 2, 28), D(2020, 2, 28), ">=61"),
    ],
)
def test_age_band_in_completed_years(birth, day, band):
    benefit(ClientFactory(birth_date=birth), D(2019, 1, 1))
    assert stock_figures(as_of=day)["by_age_band"][band] == 1


@pytest.mark.parametrize(
    ("day", "age_band"),
    [
        (D(2021, 2, 28), "<=20"),  # born 29 Feb 2000: 20 on 28 Feb 2021
        (D(2021, 3, 1), "21-30"),  # completes the year on 1 March in a non-leap year
    ],
)
def test_leap_day_birthday_completes_on_first_of_march(day, age_band):
    benefit(ClientFactory(birth_date=D(2000, 2, 29)), D(2019, 1, 1))
    assert stock_figures(as_of=day)["by_age_band"][age_band] == 1


@pytest.mark.parametrize(
    ("start", "day", "band"),
    [
        (D(2019, 5, 10), D(2020, 5, 9), "<1"),
        (D(2019, 5, 10), D(2020, 5, 10), "1-3"),
        (D(2017, 5, 10), D(2020, 5, 9), "1-3"),
        (D(2017, 5, 10), D(2020, 5, 10), "3-5"),
        (D(2015, 5, 10), D(2020, 5, 10), ">=5"),
        (D(2016, 2, 29), D(2021, 2, 28), "3-5"),  # four completed years, the fifth on 1 March
        (D(2016, 2, 29), D(2021, 3, 1), ">=5"),
    ],
)
def test_duration_band_counts_from_spell_start(start, day, band):
    benefit(ClientFactory(), start)
    assert stock_figures(as_of=day)["by_duration_band"][band] == 1


def test_duration_runs_from_the_start_of_the_whole_spell_across_regulations():
    client = ClientFactory()
    benefit(client, D(2014, 1, 1), D(2016, 1, 1), "overig", regulation="ioaw")
    benefit(client, D(2016, 1, 1), regulation="pw")  # touches: same spell when both selected
    assert stock_figures(as_of=D(2020, 1, 1), regulations=["pw", "ioaw"])["by_duration_band"][">=5"] == 1
    # with pw alone the spell starts in 2016
    assert stock_figures(as_of=D(2020, 1, 1))["by_duration_band"]["3-5"] == 1


def test_household_empty_is_onbekend_and_all_codes_present():
    benefit(ClientFactory(household=""), D(2019, 1, 1))
    figures = stock_figures(as_of=D(2020, 1, 1))
    assert figures["by_household"] == {
        "alleenstaand": 0,
        "alleenstaande_ouder": 0,
        "gehuwd_samenwonend": 0,
        "overig": 0,
        "onbekend": 1,
    }
    assert set(figures["by_ladder_step"]) == {"1", "2", "3", "4", "5", "6", "onbekend"}
    assert set(figures["by_age_band"]) == {"<=20", "21-30", "31-40", "41-50", "51-60", ">=61"}
    assert set(figures["by_duration_band"]) == {"<1", "1-3", "3-5", ">=5"}


def test_ladder_step_latest_diagnosis_on_or_before_day_highest_id_on_ties():
    client = ClientFactory()
    benefit(client, D(2019, 1, 1))
    DiagnosisFactory(client=client, diagnosis_id="D9", date=D(2019, 3, 1), ladder_step=2)
    DiagnosisFactory(client=client, diagnosis_id="D10", date=D(2019, 3, 1), ladder_step=4)  # higher id
    DiagnosisFactory(client=client, diagnosis_id="D11", date=D(2019, 5, 1), ladder_step=None)  # no step
    DiagnosisFactory(client=client, diagnosis_id="D12", date=D(2019, 9, 1), ladder_step=5)  # later
    assert stock_figures(as_of=D(2019, 2, 28))["by_ladder_step"]["onbekend"] == 1
    assert stock_figures(as_of=D(2019, 3, 1))["by_ladder_step"]["4"] == 1
    assert stock_figures(as_of=D(2019, 8, 31))["by_ladder_step"]["4"] == 1
    assert stock_figures(as_of=D(2019, 9, 1))["by_ladder_step"]["5"] == 1


def test_touching_benefits_form_one_spell_no_flow_between_them():
    client = ClientFactory()
    benefit(client, D(2020, 1, 1), D(2020, 6, 1), "overig")
    benefit(client, D(2020, 6, 1), D(2020, 12, 1), "werk")
    result = flow_figures(date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year")
    (year,) = result["periods"]
    assert year["inflow"] == 1
    assert year["outflow_total"] == 1
    assert year["outflow"]["werk"] == 1  # the reason of the benefit that ends last


def test_a_gap_of_one_day_makes_two_spells():
    client = ClientFactory()
    benefit(client, D(2020, 1, 1), D(2020, 6, 1), "werk")
    benefit(client, D(2020, 6, 2), None)
    (year,) = flow_figures(date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year")["periods"]
    assert (year["inflow"], year["outflow"]["werk"]) == (2, 1)


def test_outflow_reason_of_the_benefit_ending_last_even_if_it_started_first():
    client = ClientFactory()
    benefit(client, D(2020, 1, 1), D(2020, 12, 1), "verhuizing")
    benefit(client, D(2020, 3, 1), D(2020, 5, 1), "werk")
    (year,) = flow_figures(date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year")["periods"]
    assert year["outflow"]["verhuizing"] == 1 and year["outflow"]["werk"] == 0


def test_spells_only_look_at_selected_regulations():
    client = ClientFactory()
    benefit(client, D(2019, 1, 1), D(2020, 11, 1), "aow", regulation="ioaw")
    benefit(client, D(2020, 1, 1), D(2020, 6, 1), "werk", regulation="pw")
    pw = flow_figures(date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year")["periods"][0]
    both = flow_figures(
        date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year", regulations=["pw", "ioaw"]
    )["periods"][0]
    assert (pw["inflow"], pw["outflow"]["werk"]) == (1, 1)
    assert (both["inflow"], both["outflow"]["werk"], both["outflow"]["aow"]) == (0, 0, 1)


def test_periods_labels_and_cut_ranges():
    client = ClientFactory()
    benefit(client, D(2015, 2, 10), D(2015, 5, 20), "werk")
    result = flow_figures(date_from=D(2015, 2, 15), date_to=D(2015, 8, 1), period="quarter")
    assert [p["period"] for p in result["periods"]] == ["2015-Q1", "2015-Q2", "2015-Q3"]
    # the inflow on 10 February lies before the range: not counted in the cut Q1
    assert [p["inflow"] for p in result["periods"]] == [0, 0, 0]
    assert [p["outflow_total"] for p in result["periods"]] == [0, 1, 0]
    months = flow_figures(date_from=D(2015, 1, 1), date_to=D(2015, 3, 1), period="month")
    assert [p["period"] for p in months["periods"]] == ["2015-01", "2015-02"]
    assert months["periods"][1]["inflow"] == 1
    years = flow_figures(date_from=D(2014, 6, 1), date_to=D(2016, 1, 1), period="year")
    assert [p["period"] for p in years["periods"]] == ["2014", "2015"]
    # only the whole year 2015 gets a rate
    assert list(years["outflow_to_work_rate"]) == ["2015"]


def test_outflow_to_work_rate_is_werk_outflow_over_average_month_start_stock():
    # Two clients on benefit all of 2020; one leaves for work on 1 July.
    a, b = ClientFactory(), ClientFactory()
    benefit(a, D(2019, 1, 1))
    benefit(b, D(2019, 1, 1), D(2020, 7, 1), "werk")
    result = flow_figures(date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year")
    average = (6 * 2 + 6 * 1) / 12
    assert result["outflow_to_work_rate"] == {"2020": pytest.approx(1 / average)}
    assert stock_totals(days=[D(2020, 6, 1), D(2020, 7, 1)]) == {D(2020, 6, 1): 2, D(2020, 7, 1): 1}


def test_every_end_reason_is_a_key_with_zero():
    result = flow_figures(date_from=D(2020, 1, 1), date_to=D(2020, 2, 1), period="month")
    assert set(result["periods"][0]["outflow"]) == {
        "werk",
        "onderwijs",
        "verhuizing",
        "aow",
        "overlijden",
        "detentie",
        "partner_inkomen",
        "rechtmatigheid",
        "overig",
    }
    assert result["periods"][0]["outflow_total"] == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"date_from": D(2020, 1, 1), "date_to": D(2020, 1, 1), "period": "month"},
        {"date_from": D(2020, 1, 1), "date_to": D(2021, 1, 1), "period": "week"},
        {"date_from": D(2020, 1, 1), "date_to": D(2021, 1, 1), "period": "year", "regulations": ["ww"]},
    ],
)
def test_wrong_arguments_are_refused(kwargs):
    with pytest.raises(FigureError):
        flow_figures(**kwargs)
