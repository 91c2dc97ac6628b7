"""Chain attribution: the rule on boundary cases, the property that partners add up to the
outflow to work of `flow_figures` with each outflow once (against a naive oracle), and
the page."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.instruments.models import Provider, Trajectory
from trede.monitor.chain import rules
from trede.monitor.chain.selectors import OWN_NAME, outflow_attribution, window_months
from trede.monitor.selectors import flow_figures
from trede.monitor.tests import oracle
from trede.monitor.tests.test_properties import BASE, _store, histories

E = date(2021, 6, 15)


def _t(tid, start, end=None, partner="A1", client="C"):
    return rules.Involvement(client, tid, partner, start, end)


# --------------------------------------------------------------------------- the rule (pure)


@pytest.mark.parametrize(
    "trajectory, credited",
    [
        (_t("T1", date(2021, 1, 1)), True),  # running on the day
        (_t("T1", E, E), True),  # started and ended on the day itself
        (_t("T1", date(2020, 1, 1), date(2021, 3, 15)), True),  # ended exactly 3 months before
        (_t("T1", date(2020, 1, 1), date(2021, 3, 14)), False),  # one day longer ago
        (_t("T1", E + timedelta(days=1)), False),  # started after the outflow
        (_t("T1", None), False),  # never started: a no-show earns nothing
        (_t("T1", date(2021, 1, 1), client="other"), False),  # someone else's
    ],
)
def test_which_trajectory_counts(trajectory, credited):
    outflow = rules.Outflow("C", E)
    assert rules.counts(outflow, trajectory, 3) is credited
    assert rules.attribute([outflow], [trajectory], 3) == {("A1" if credited else rules.OWN): 1}


def test_the_trajectory_started_last_wins_then_the_longest_then_the_highest_id():
    outflow = rules.Outflow("C", E)
    early = _t("T1", date(2020, 1, 1), partner="early")
    late = _t("T2", date(2021, 2, 1), date(2021, 5, 1), partner="late")
    assert rules.credited(outflow, [early, late], 3) == late
    running = _t("T3", date(2021, 2, 1), None, partner="running")
    assert rules.credited(outflow, [late, running], 3) == running
    t9, t10 = _t("T9", date(2021, 2, 1), partner="nine"), _t("T10", date(2021, 2, 1), partner="ten")
    assert rules.credited(outflow, [t10, t9], 3) == t10  # T10 > T9 by length first
    assert rules.attribute([outflow, outflow], [early, late], 3) == {"late": 2}


# --------------------------------------------------------------------------- the property

PARTNERS = ["A1", "A2", "A3"]


@st.composite
def chains(draw):
    clients, benefits, diagnoses = draw(histories())
    trajectories = []
    for client_id in clients:
        for _ in range(draw(st.integers(0, 3))):
            start = BASE + timedelta(days=draw(st.integers(0, 4 * 366)))
            started = draw(st.integers(0, 5)) > 0
            end = (
                None
                if draw(st.booleans()) and draw(st.booleans())
                else start + timedelta(days=draw(st.integers(0, 400)))
            )
            trajectories.append(
                {
                    "trajectory_id": f"T{len(trajectories)}",
                    "client_id": client_id,
                    "provider_id": draw(st.sampled_from([*PARTNERS, None])),
                    "referral_date": start - timedelta(days=7),
                    "start_date": start if started else None,
                    "end_date": end if started else None,
                }
            )
    return clients, benefits, diagnoses, trajectories


def _oracle(benefits, trajectories, date_from, date_to, regulations, window):
    """Naive: the oracle's spells, and per outflow a plain loop over the client's trajectories."""
    spells = oracle.spells(benefits, set(regulations))
    result = {}
    for s in spells:
        if s["end_reason"] != "werk" or not (date_from <= s["end"] < date_to):
            continue
        month = s["end"].month - 1 - window
        year, month = s["end"].year + month // 12, month % 12 + 1
        day = min(
            s["end"].day, [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        )
        limit = date(year, month, day)
        best, partner = None, ""
        for t in trajectories:
            if t["client_id"] != s["client_id"] or t["start_date"] is None or t["start_date"] > s["end"]:
                continue
            if t["end_date"] is not None and t["end_date"] < limit:
                continue
            key = (
                t["start_date"],
                t["end_date"] or date(9999, 12, 31),
                len(t["trajectory_id"]),
                t["trajectory_id"],
            )
            if best is None or key > best:
                best, partner = key, t["provider_id"] or ""
        result[partner] = result.get(partner, 0) + 1
    return result


class TestAttributionAddsUp(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(chains(), st.integers(0, 2), st.integers(0, 12), st.sampled_from([("pw",), ("pw", "ioaw", "bbz")]))
    def test_partners_sum_to_the_outflow_to_work_once_each(self, chain, first_year, window, regulations):
        clients, benefits, diagnoses, trajectories = chain
        _store(clients, benefits, diagnoses)
        Provider.objects.bulk_create([Provider(provider_id=p, name=f"Aanbieder {p}") for p in PARTNERS])
        Trajectory.objects.bulk_create([Trajectory(**t) for t in trajectories])
        date_from, date_to = date(2016 + first_year, 1, 1), date(2019, 1, 1)
        result = outflow_attribution(
            date_from=date_from, date_to=date_to, regulations=regulations, window=window
        )
        flows = flow_figures(date_from=date_from, date_to=date_to, period="year", regulations=regulations)
        to_work = sum(p["outflow"]["werk"] for p in flows["periods"])
        assert result["total"] == to_work
        assert sum(p["outflows"] for p in result["partners"]) == to_work
        assert len({p["partner_id"] for p in result["partners"]}) == len(result["partners"])
        got = {p["partner_id"]: p["outflows"] for p in result["partners"]}
        assert got == _oracle(benefits, trajectories, date_from, date_to, regulations, window)


# --------------------------------------------------------------------------- the page


@pytest.fixture
def world(db):
    provider = Provider.objects.create(provider_id="A9", name="Werkbedrijf", kind="sw_bedrijf")
    for i in range(12):
        client = ClientFactory(client_id=f"W-{i:03d}")
        BenefitFactory(
            client=client,
            start_date=date(2019, 1, 1),
            end_date=date(2020, 3, 1) + timedelta(days=i),
            end_reason="werk",
            regulation="pw",
        )
        if i < 7:  # seven with a trajectory running when they left
            Trajectory.objects.create(
                trajectory_id=f"T-{i}",
                client=client,
                provider=provider,
                referral_date=date(2019, 6, 1),
                start_date=date(2019, 7, 1),
            )
    return provider


QUERY = {"date_from": "2020-01-01", "date_to": "2021-01-01", "regulations": "pw"}


@pytest.mark.parametrize("role", [Role.BELEID, Role.TEAMLEIDER, Role.CONTRACTMANAGER])
def test_the_page_shows_partners_adding_up(client, world, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("chain:index"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="row">Werkbedrijf</th><td>SW-bedrijf</td><td class="num">7</td>' in page
    assert f'<th scope="row">{OWN_NAME}</th><td></td><td class="num">5</td>' in page
    assert "12 keer uitstroom naar werk" in page
    assert window_months() == 3 and "ten hoogste 3 maanden daarvoor" in page


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER, Role.BEHEERDER])
@pytest.mark.django_db
def test_others_may_not_see_it(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("chain:index")).status_code == 403


def test_the_default_is_last_year_and_the_export_is_audited(client, world):
    user = UserFactory(role=Role.TEAMLEIDER)
    client.force_login(user)
    assert client.get(reverse("chain:index")).status_code == 200
    response = client.get(reverse("chain:index"), {**QUERY, "formaat": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["ketenpartner", "soort", "uitstroom naar werk", "aandeel"]
    assert [r[2] for r in rows[1:]] == ["7", "5", "12"]
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 1


def test_small_counts_are_hidden_for_beleid_with_their_complement(client, db):
    provider = Provider.objects.create(provider_id="A8", name="Klein bureau")
    for i in range(9):
        c = ClientFactory(client_id=f"S-{i:03d}")
        BenefitFactory(
            client=c,
            start_date=date(2019, 1, 1),
            end_date=date(2020, 5, 1),
            end_reason="werk",
            regulation="pw",
        )
        if i < 2:
            Trajectory.objects.create(
                trajectory_id=f"S-{i}",
                client=c,
                provider=provider,
                referral_date=date(2019, 6, 1),
                start_date=date(2019, 7, 1),
            )
    client.force_login(UserFactory(role=Role.BELEID))
    page = client.get(reverse("chain:index"), QUERY).content.decode()
    assert '<th scope="row">Klein bureau</th><td></td><td class="num">&lt;5</td>' in page
    assert f'<th scope="row">{OWN_NAME}</th><td></td><td class="num">&lt;5</td>' in page  # 7 hidden too


def test_a_bad_period_is_a_dutch_message(client, db):
    client.force_login(UserFactory(role=Role.BELEID))
    response = client.get(reverse("chain:index"), {**QUERY, "date_to": "2019-01-01"})
    assert response.status_code == 400 and "moet na" in response.content.decode()
