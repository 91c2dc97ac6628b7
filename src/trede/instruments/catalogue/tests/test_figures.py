"""Use and result on the catalogue: the instrument page and the list show the figures of
`trede instruments report` (the same function), per provider and in total, with small
cells hidden for policy staff."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import UserFactory
from trede.finance.models import Payment
from trede.instruments.catalogue.selectors import (
    PERIOD_LAST_12_MONTHS,
    catalogue_use,
    figure_period,
    figure_periods,
    instrument_figures,
)
from trede.instruments.models import Trajectory
from trede.instruments.reporting import instrument_report
from trede.instruments.tests.factories import InstrumentFactory, ProviderFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

YEAR_2025 = figure_period(date(2026, 6, 1), "2025")


def _world():
    """Instrument WEP with provider A (6 referrals: 1 no-show, 5 started, 3 succeeded,
    1 failed) and provider B (2 referrals, 1 succeeded)."""
    wep = InstrumentFactory(instrument_code="WEP")
    a = ProviderFactory(provider_id="PA", name="Aanbieder A")
    b = ProviderFactory(provider_id="PB", name="Aanbieder B")
    referral, start = date(2025, 2, 1), date(2025, 3, 1)

    def trajectory(provider, **extra):
        return TrajectoryFactory(instrument=wep, provider=provider, referral_date=referral, **extra)

    trajectory(a)  # no-show
    for _ in range(3):
        trajectory(
            a, start_date=start, end_date=date(2025, 9, 1), result="geslaagd", cost_eur=Decimal("1000")
        )
    paid = trajectory(
        a, start_date=start, end_date=date(2025, 6, 1), result="niet_geslaagd", cost_eur=Decimal("900")
    )
    trajectory(a, start_date=start)  # still running
    trajectory(b, start_date=start, end_date=date(2025, 8, 1), result="geslaagd", cost_eur=Decimal("1200"))
    trajectory(b, start_date=None)
    # Payments replace the booked cost of a trajectory: 800 paid, 300 recovered.
    for pid, amount in (("P1", "800"), ("P2", "-300")):
        Payment.objects.create(
            payment_id=pid,
            client=paid.client,
            trajectory=paid,
            date=date(2025, 6, 1),
            amount_eur=Decimal(amount),
        )
    # Another instrument's trajectory never counts for WEP.
    TrajectoryFactory(referral_date=referral, provider=a)
    return wep


def test_figures_per_provider_and_total_come_from_the_report():
    wep = _world()
    figures = instrument_figures(wep, period=YEAR_2025, suppress=False)
    total = figures.total
    assert (total.referrals, total.no_shows, total.starts, total.ended, total.successes) == (
        "8",
        "2",
        "6",
        "5",
        "4",
    )
    assert total.no_show_rate == "25%" and total.success_rate == "80%"
    # 3 × 1000 + (800 − 300) + 1200 = 4700 over the ended ones; per success 4700 / 4.
    assert total.cost == "€ 4.700,00" and total.cost_per_success == "€ 1.175,00"
    a, b = figures.providers
    assert (a.label, a.referrals, a.no_shows, a.successes, a.success_rate) == (
        "Aanbieder A",
        "6",
        "1",
        "3",
        "75%",
    )
    assert (b.label, b.referrals, b.no_shows, b.ended, b.success_rate) == (
        "Aanbieder B",
        "2",
        "1",
        "1",
        "100%",
    )
    report = instrument_report(YEAR_2025.date_from, YEAR_2025.date_to, "instrument")
    wep_row = next(r for r in report if r.instrument_code == "WEP")
    assert wep_row.cost_per_success_eur == 1175.0 and wep_row.referrals == 8


def test_policy_staff_see_small_cells_hidden_with_what_gives_them_back():
    wep = _world()
    figures = instrument_figures(wep, period=YEAR_2025, suppress=True)
    a, b = figures.providers
    # B's 2 referrals are hidden; A's 6 would give them back from the total 8, so A's too.
    assert b.referrals == "<5" and a.referrals == "<5" and figures.total.referrals == "8"
    # Rates and amounts resting on a hidden count are hidden with it.
    assert b.success_rate == "<5" and b.cost_per_success == "<5" and b.no_show_rate == "<5"
    # The total's 4 successes name people: hidden, with the rate and the cost per success.
    assert figures.total.successes == "<5" and figures.total.cost_per_success == "<5"
    assert figures.total.starts == "6"


def test_no_figures_in_a_period_without_trajectories():
    wep = _world()
    figures = instrument_figures(wep, period=figure_period(date(2026, 6, 1), "2023"), suppress=False)
    assert figures.total is None and figures.providers == []


def test_periods_are_the_last_twelve_months_and_three_full_years():
    periods = figure_periods(date(2028, 2, 29))
    assert [p.value for p in periods] == [PERIOD_LAST_12_MONTHS, "2027", "2026", "2025"]
    last = periods[0]
    assert last.date_from == date(2027, 3, 1) and last.last_day == date(2028, 2, 29)
    assert figure_period(date(2026, 6, 1), "1999").value == PERIOD_LAST_12_MONTHS


def test_catalogue_use_per_instrument():
    _world()
    use = catalogue_use(YEAR_2025, suppress=False)
    assert use["WEP"].referrals == "8" and use["WEP"].success_rate == "80%"
    other = next(code for code in use if code != "WEP")
    assert use[other].referrals == "1" and use[other].success_rate == "–"
    assert catalogue_use(YEAR_2025, suppress=True)[other].referrals == "<5"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["WEP", "SA"]),
            st.sampled_from(["PA", "PB", None]),
            st.integers(0, 500),
            st.one_of(st.none(), st.integers(0, 200)),
            st.sampled_from(["", "geslaagd", "niet_geslaagd", "voortijdig_gestopt"]),
        ),
        max_size=12,
    )
)
def test_narrowing_to_one_instrument_gives_that_instruments_rows(trajectories):
    Trajectory.objects.all().delete()
    instruments = {code: InstrumentFactory.build(instrument_code=code) for code in ("WEP", "SA")}
    for instrument in instruments.values():
        instrument.save()
    providers = {pid: ProviderFactory(provider_id=pid) for pid in ("PA", "PB")}
    for n, (code, pid, referral_offset, start_offset, result) in enumerate(trajectories):
        referral = date(2024, 6, 1) + timedelta(days=referral_offset)
        start = None if start_offset is None else referral + timedelta(days=start_offset)
        end = start + timedelta(days=30) if start and result else None
        TrajectoryFactory(
            trajectory_id=f"H{n}",
            instrument=instruments[code],
            provider=providers.get(pid),
            referral_date=referral,
            start_date=start,
            end_date=end,
            result=result if end else "",
        )
    date_from, date_to = date(2025, 1, 1), date(2026, 1, 1)
    for by in ("instrument", "instrument_provider"):
        whole = [r for r in instrument_report(date_from, date_to, by) if r.instrument_code == "WEP"]
        assert instrument_report(date_from, date_to, by, instrument_code="WEP") == whole


def test_instrument_page_and_list_show_use_and_result(client):
    wep = _world()
    client.force_login(UserFactory(role=Role.CONTRACTMANAGER))
    page = client.get(reverse("instruments:instrument", args=[wep.pk]), {"periode": "2025"}).content.decode()
    assert "Aanbieder A" in page and "€ 1.175,00" in page and "80%" in page
    assert 'value="2025" selected' in page
    policy = UserFactory(role=Role.BELEID)
    client.force_login(policy)
    page = client.get(reverse("instruments:instrument", args=[wep.pk]), {"periode": "2025"}).content.decode()
    assert "€ 1.175,00" not in page and "&lt;5" in page
    # The list counts the last twelve months up to today: the 2025 world lies before them.
    for _ in range(6):
        TrajectoryFactory(instrument=wep, referral_date=timezone.localdate() - timedelta(days=10))
    listing = client.get(reverse("instruments:catalogue"))
    row = next(r for r in listing.context["rows"] if r.instrument.pk == "WEP")
    assert row.use.referrals == "6" and row.use.success_rate == "–"
    assert "Verwijzingen" in listing.content.decode()
