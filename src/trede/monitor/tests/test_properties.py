"""Property-based checks: the SQL figures equal the naive oracle on random histories,
and stock(t2 − 1 day) = stock(t1 − 1 day) + inflow − outflow over [t1, t2)."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.benefits.models import Benefit
from trede.casework.models import Diagnosis
from trede.clients.models import Client
from trede.monitor.periods import add_months
from trede.monitor.selectors import flow_figures, stock_figures, stock_totals

from . import oracle

BASE = date(2016, 1, 1)
REASONS = ["werk", "onderwijs", "verhuizing", "overig", "aow"]
REGULATIONS = ["pw", "ioaw", "bbz"]

day_offsets = st.integers(min_value=0, max_value=4 * 366)


@st.composite
def histories(draw):
    n_clients = draw(st.integers(min_value=1, max_value=6))
    clients, benefits, diagnoses = {}, [], []
    for c in range(n_clients):
        client_id = f"C{c}"
        birth = BASE - timedelta(days=draw(st.integers(min_value=16 * 365, max_value=70 * 365)))
        clients[client_id] = {
            "birth_date": birth,
            "household": draw(st.sampled_from(["", "alleenstaand", "overig"])),
        }
        cursor = draw(st.integers(min_value=0, max_value=400))
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            # overlaps, exact touches (a new benefit on the old one's end date) and gaps
            start = cursor + draw(
                st.one_of(st.just(0), st.just(1), st.integers(min_value=-60, max_value=120))
            )
            length = draw(st.integers(min_value=0, max_value=500))
            ongoing = draw(st.booleans()) and draw(st.booleans())
            end = None if ongoing else BASE + timedelta(days=max(start, 0) + length)
            benefits.append(
                {
                    "benefit_id": f"B{len(benefits)}",
                    "client_id": client_id,
                    "regulation": draw(st.sampled_from(REGULATIONS)),
                    "start_date": BASE + timedelta(days=max(start, 0)),
                    "end_date": end,
                    "end_reason": draw(st.sampled_from(REASONS)) if end else "",
                }
            )
            cursor = max(start, 0) + length
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            diagnoses.append(
                {
                    "diagnosis_id": f"D{len(diagnoses)}",
                    "client_id": client_id,
                    "date": BASE + timedelta(days=draw(day_offsets)),
                    "ladder_step": draw(st.sampled_from([None, 1, 3, 6])),
                }
            )
    return clients, benefits, diagnoses


def _store(clients, benefits, diagnoses):
    Client.objects.bulk_create(
        [
            Client(client_id=k, birth_date=v["birth_date"], household=v["household"])
            for k, v in clients.items()
        ]
    )
    Benefit.objects.bulk_create([Benefit(**b) for b in benefits])
    Diagnosis.objects.bulk_create([Diagnosis(**d) for d in diagnoses])


def _nonzero(mapping):
    return {k: v for k, v in mapping.items() if v}


class FiguresAgreeWithDefinitions(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(histories(), day_offsets, st.sampled_from([("pw",), ("pw", "ioaw", "bbz")]))
    def test_stock_equals_oracle(self, history, offset, regulations):
        clients, benefits, diagnoses = history
        _store(clients, benefits, diagnoses)
        day = BASE + timedelta(days=offset)
        expected = oracle.stock(clients, benefits, diagnoses, day, regulations)
        got = stock_figures(as_of=day, regulations=regulations)
        assert got["total"] == expected["total"]
        for dim in ("by_age_band", "by_duration_band", "by_household", "by_ladder_step"):
            assert _nonzero(got[dim]) == expected[dim], dim

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(histories(), day_offsets, day_offsets, st.sampled_from([("pw",), ("pw", "ioaw", "bbz")]))
    def test_flow_identity_and_oracle(self, history, a, b, regulations):
        clients, benefits, diagnoses = history
        _store(clients, benefits, diagnoses)
        t1, t2 = sorted((BASE + timedelta(days=a), BASE + timedelta(days=b + 1)))
        if t1 == t2:
            t2 += timedelta(days=1)
        result = flow_figures(date_from=t1, date_to=t2, period="month", regulations=regulations)
        inflow = sum(p["inflow"] for p in result["periods"])
        outflow = sum(p["outflow_total"] for p in result["periods"])
        before = stock_figures(as_of=t1 - timedelta(days=1), regulations=regulations)["total"]
        after = stock_figures(as_of=t2 - timedelta(days=1), regulations=regulations)["total"]
        assert after == before + inflow - outflow
        expected = oracle.flows(benefits, t1, t2, regulations)
        assert inflow == expected["inflow"]
        by_reason = {}
        for p in result["periods"]:
            for reason, n in p["outflow"].items():
                by_reason[reason] = by_reason.get(reason, 0) + n
        assert _nonzero(by_reason) == expected["outflow"]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(histories(), st.sampled_from(["month", "quarter", "year"]))
    def test_period_split_does_not_change_totals(self, history, period):
        clients, benefits, diagnoses = history
        _store(clients, benefits, diagnoses)
        t1, t2 = date(2016, 2, 10), date(2019, 11, 20)
        totals = {}
        for p in ("month", period):
            result = flow_figures(date_from=t1, date_to=t2, period=p, regulations=["pw", "ioaw", "bbz"])
            totals[p] = (
                sum(x["inflow"] for x in result["periods"]),
                sum(x["outflow_total"] for x in result["periods"]),
            )
        assert totals["month"] == totals[period]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        histories(),
        st.lists(st.integers(min_value=0, max_value=59), min_size=1, max_size=14, unique=True),
        st.sampled_from([("pw",), ("pw", "ioaw", "bbz")]),
    )
    def test_month_start_stocks_and_rates_equal_oracle(self, history, months, regulations):
        # The month-start stocks are counted from +1/-1 changes per month (not a join of
        # days with spells); they must equal the stock on each day, from a first month
        # with spells already running (February 2016) and with gaps between the months.
        clients, benefits, diagnoses = history
        _store(clients, benefits, diagnoses)
        days = sorted(add_months(date(2016, 2, 1), m) for m in months)
        expected = {d: oracle.stock(clients, benefits, diagnoses, d, regulations)["total"] for d in days}
        assert stock_totals(days=days, regulations=regulations) == expected
        result = flow_figures(
            date_from=date(2017, 1, 1), date_to=date(2019, 1, 1), period="year", regulations=regulations
        )
        for year in (2017, 2018):
            stocks = [
                oracle.stock(clients, benefits, diagnoses, date(year, m, 1), regulations)["total"]
                for m in range(1, 13)
            ]
            to_work = oracle.flows(benefits, date(year, 1, 1), date(year + 1, 1, 1), regulations)[
                "outflow"
            ].get("werk", 0)
            rate = result["outflow_to_work_rate"][str(year)]
            if sum(stocks):
                assert rate == to_work / (sum(stocks) / 12)
            else:
                assert rate is None
