"""Sustained outflow, the draaideur and lasting placements: boundary cases of the rules,
the figures against a naive benefit-by-benefit oracle on random histories (Hypothesis), and the page."""

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
from trede.employers.models import Placement
from trede.monitor.duurzaam import rules
from trede.monitor.duurzaam.selectors import durability_figures
from trede.monitor.duurzaam.selectors import settings as durability_settings
from trede.monitor.tests import oracle
from trede.monitor.tests.test_properties import BASE, _store, histories
from trede.utils.dates import add_months

P2021 = [rules.Period("2021", date(2021, 1, 1), date(2022, 1, 1))]
AS_OF = date(2023, 1, 1)


def _spell(start, end=None, reason="werk", client="C"):
    return rules.Spell(client, start, end, reason if end else "")


# --------------------------------------------------------------------------- the rules (pure)


@pytest.mark.parametrize(
    "next_start, held",
    [
        (None, {1: True, 6: True, 12: True}),  # never back
        (date(2021, 4, 15), {1: True, 6: False, 12: False}),  # back after three months
        (date(2021, 9, 15), {1: True, 6: True, 12: False}),  # back exactly six months later: held six
        (date(2021, 9, 14), {1: True, 6: False, 12: False}),  # one day earlier: not
        (date(2021, 3, 16), {1: False, 6: False, 12: False}),  # back the day after
    ],
)
def test_an_outflow_holds_until_the_next_spell(next_start, held):
    spells = [_spell(date(2020, 1, 1), date(2021, 3, 15))]
    if next_start:
        spells.append(_spell(next_start, None))
    [row] = rules.sustained_outflow(spells, P2021, (1, 6, 12), AS_OF)
    assert row.count == 1
    assert {h.months: bool(h.lasted) for h in row.horizons} == held
    assert all(h.observed == 1 for h in row.horizons)


def test_a_term_that_is_not_up_is_not_counted_either_way():
    spells = [_spell(date(2020, 1, 1), date(2021, 11, 1))]
    [row] = rules.sustained_outflow(spells, P2021, (1, 6, 12), as_of=date(2022, 5, 1))
    assert [(h.months, h.observed) for h in row.horizons] == [(1, 1), (6, 1), (12, 0)]
    [row] = rules.sustained_outflow(spells, P2021, (6,), as_of=date(2022, 4, 30))
    assert row.horizons[0].observed == 0  # 1 May is the sixth month's end: not yet up


def test_only_outflow_to_work_counts_as_outflow_and_any_end_as_a_previous_spell():
    spells = [
        _spell(date(2020, 1, 1), date(2021, 2, 1), reason="verhuizing"),
        _spell(date(2021, 6, 1), None),
    ]
    [row] = rules.sustained_outflow(spells, P2021, (1,), AS_OF)
    assert row.count == 0
    [d] = rules.draaideur(spells, P2021, 12)
    assert (d.inflow, d.returning, d.returning_after_work) == (1, 1, 0)


@pytest.mark.parametrize(
    "previous_end, returning",
    [(date(2020, 6, 1), True), (date(2020, 5, 31), False), (None, False)],
)
def test_herinstroom_is_a_previous_spell_ended_at_most_the_window_before(previous_end, returning):
    spells = [_spell(date(2021, 6, 1), None)]
    if previous_end:
        spells.append(_spell(date(2019, 1, 1), previous_end))
    [d] = rules.draaideur(spells, P2021, 12)
    assert d.inflow == 1 and d.returning == returning and d.returning_after_work == returning


def test_a_placement_lasts_while_it_runs():
    placements = [
        (date(2021, 1, 10), None),
        (date(2021, 1, 10), date(2021, 7, 10)),  # ran exactly six months
        (date(2021, 1, 10), date(2021, 7, 9)),
        (date(2020, 12, 31), None),  # another year
    ]
    [row] = rules.lasting_placements(placements, P2021, (1, 6, 12), AS_OF)
    assert row.count == 3
    assert [(h.months, h.observed, h.lasted) for h in row.horizons] == [(1, 3, 3), (6, 3, 2), (12, 3, 1)]


def test_cbs_counts_every_outflow_and_asks_for_work_without_a_new_benefit():
    spells = [
        _spell(date(2020, 1, 1), date(2021, 3, 15), "werk", "A"),  # at work throughout
        _spell(date(2020, 1, 1), date(2021, 3, 15), "verhuizing", "B"),  # any reason counts
        _spell(date(2020, 1, 1), date(2021, 3, 15), "werk", "C"),  # reason werk, no placement
        _spell(date(2020, 1, 1), date(2021, 3, 15), "werk", "D"),  # works, but back on benefit
        _spell(date(2021, 6, 1), None, client="D"),
    ]
    placements = {
        "A": [(date(2021, 3, 16), None)],
        "B": [(date(2021, 4, 1), date(2021, 4, 15))],  # works a month later, not after six
        "D": [(date(2021, 3, 16), None)],
    }
    [row] = rules.cbs_sustained_outflow(spells, placements, P2021, (1, 6, 12), AS_OF)
    assert row.count == 4
    assert [(h.months, h.observed, h.lasted) for h in row.horizons] == [(1, 4, 3), (6, 4, 1), (12, 4, 1)]
    # The day the term is up: a placement ending that day still counts, one ending the day before not.
    assert rules.employed_on([(date(2021, 3, 16), date(2021, 4, 15))], date(2021, 4, 15))
    assert not rules.employed_on([(date(2021, 3, 16), date(2021, 4, 14))], date(2021, 4, 15))


_DAYS = st.integers(0, 900)


@st.composite
def _cbs_world(draw):
    """Per client non-overlapping spells from random day offsets, and random placements."""
    origin = date(2020, 1, 1)
    spells, placements = [], {}
    for c in range(draw(st.integers(1, 4))):
        client = f"C{c}"
        cuts = sorted(set(draw(st.lists(_DAYS, min_size=1, max_size=6))))
        for start, end in zip(cuts[::2], cuts[1::2] + [None], strict=False):
            end_day = origin + timedelta(days=end) if end is not None else None
            if end_day is not None and end_day <= origin + timedelta(days=start):
                continue
            spells.append(
                _spell(
                    origin + timedelta(days=start), end_day, draw(st.sampled_from(["werk", "overig"])), client
                )
            )
        for start, length in draw(
            st.lists(st.tuples(_DAYS, st.one_of(st.none(), st.integers(0, 300))), max_size=3)
        ):
            begin = origin + timedelta(days=start)
            placements.setdefault(client, []).append(
                (begin, None if length is None else begin + timedelta(days=length))
            )
    return spells, placements


@settings(max_examples=150, deadline=None)
@given(_cbs_world(), st.integers(0, 1200))
def test_cbs_agrees_with_asking_each_term_day_directly(world, as_of_offset):
    spells, placements = world
    as_of = date(2020, 1, 1) + timedelta(days=as_of_offset)
    periods = [rules.Period(str(y), date(y, 1, 1), date(y + 1, 1, 1)) for y in (2020, 2021, 2022)]
    rows = rules.cbs_sustained_outflow(spells, placements, periods, (1, 6, 12), as_of)
    for row in rows:
        ended = [s for s in spells if s.end is not None and row.period.start <= s.end < row.period.end]
        assert row.count == len(ended)
        for h in row.horizons:
            observed = lasted = 0
            for s in ended:
                day = add_months(s.end, h.months)
                if day > as_of:
                    continue
                observed += 1
                back = any(o.client_id == s.client_id and s.end < o.start < day for o in spells)
                works = any(a <= day and (b is None or day <= b) for a, b in placements.get(s.client_id, []))
                lasted += works and not back
            assert (h.observed, h.lasted) == (observed, lasted)


# --------------------------------------------------------------------------- against a naive oracle


def _back_within(benefits, client_id, after: date, before: date, regulations) -> bool:
    """A benefit of the client starting after `after` (one starting on it would have joined
    the spell) and before `before`: a new spell, even a benefit of no days (as inflow counts it)."""
    return any(
        b["client_id"] == client_id and b["regulation"] in regulations and after < b["start_date"] < before
        for b in benefits
    )


def _expected(benefits, regulations, periods, horizons, window, as_of):
    """Benefit by benefit: for every outflow to work, whether a benefit of the client started
    in the term after it; for every new spell, whether an earlier one ended in the window."""
    spells = oracle.spells(benefits, set(regulations))
    outflow, returning = {}, {}
    for p in periods:
        outflow[p.label] = {"count": 0, **{k: [0, 0] for k in horizons}}
        returning[p.label] = [0, 0]
    for s in spells:
        ended = s["end"] != oracle.FAR and s["end"] <= as_of
        for p in periods:
            if ended and s["end_reason"] == "werk" and p.start <= s["end"] < p.end:
                row = outflow[p.label]
                row["count"] += 1
                for k in horizons:
                    up = add_months(s["end"], k)
                    if up <= as_of:
                        row[k][0] += 1
                        row[k][1] += not _back_within(benefits, s["client_id"], s["end"], up, regulations)
            if p.start <= s["start"] < p.end:
                returning[p.label][0] += 1
                limit = add_months(s["start"], -window)
                returning[p.label][1] += any(
                    o["client_id"] == s["client_id"]
                    and o["end"] != oracle.FAR
                    and limit <= o["end"] < s["start"]
                    for o in spells
                )
    return outflow, returning


class FiguresAgreeWithTheDays(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(histories(), st.integers(200, 5 * 366), st.sampled_from([("pw",), ("pw", "ioaw", "bbz")]))
    def test_sustained_outflow_and_herinstroom(self, history, as_of_offset, regulations):
        clients, benefits, diagnoses = history
        _store(clients, benefits, diagnoses)
        as_of = BASE + timedelta(days=as_of_offset)
        result = durability_figures(
            date_from=BASE, date_to=date(2022, 1, 1), as_of=as_of, regulations=regulations
        )
        config = durability_settings()
        outflow, returning = _expected(
            benefits, regulations, result["periods"], config.horizons_months, config.draaideur_months, as_of
        )
        for row in result["outflow"]:
            want = outflow[row.period.label]
            assert row.count == want["count"]
            assert [(h.observed, h.lasted) for h in row.horizons] == [
                tuple(want[k]) for k in config.horizons_months
            ]
        for row in result["draaideur"]:
            assert [row.inflow, row.returning] == returning[row.period.label]


# --------------------------------------------------------------------------- the page


@pytest.fixture
def world(db):
    """Twelve clients who left for work in 2020: five came back after two months."""
    for i in range(12):
        client = ClientFactory(client_id=f"D-{i:03d}")
        end = date(2020, 3, 1) + timedelta(days=i)
        BenefitFactory(client=client, start_date=date(2019, 1, 1), end_date=end, end_reason="werk")
        if i < 5:
            BenefitFactory(client=client, start_date=add_months(end, 2))
        Placement.objects.create(placement_id=f"PL-{i}", client=client, start_date=end)
    return None


QUERY = {"year_from": "2020", "year_to": "2021", "regulations": "pw"}


def _table_row(page: str, table: str, label: str) -> str:
    start = page.index(f'id="{table}"')
    row = page.index(f'<th scope="row">{label}</th>', start)
    return page[row : page.index("</tr>", row)]


@pytest.mark.parametrize("role", [Role.BELEID, Role.TEAMLEIDER, Role.CONTRACTMANAGER, Role.ACCOUNTMANAGER])
def test_the_page_shows_what_lasted(client, world, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("duurzaam:index"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    row = _table_row(page, "tabel-uitstroom", "2020")
    # 12 outflows; after 1 month all 12 still off benefit; after 6 and 12 months 7 of 12.
    cells = [c.split(">")[1] for c in row.split("<td")[1:]]
    assert cells[0].startswith("12")
    assert [c.split("<")[0] for c in cells[1:]] == [
        "12",
        "12",
        "100,0%",
        "12",
        "7",
        "58,3%",
        "12",
        "7",
        "58,3%",
    ]
    herinstroom = _table_row(page, "tabel-draaideur", "2020")
    assert '<td class="num">5</td>' in herinstroom  # five came back within a year, in 2020
    placements = _table_row(page, "tabel-plaatsingen", "2020")
    assert '<td class="num">12</td>' in placements
    # CBS: the twelve have a placement from their last day on; five are back after two months.
    cbs = _table_row(page, "tabel-cbs", "2020")
    cells = [c.split(">")[1].split("<")[0] for c in cbs.split("<td")[1:]]
    assert cells == ["12", "12", "12", "100,0%", "12", "7", "58,3%", "12", "7", "58,3%"]


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER, Role.BEHEERDER])
@pytest.mark.django_db
def test_others_may_not_see_it(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("duurzaam:index")).status_code == 403


def test_small_counts_are_hidden_for_beleid_with_their_complement(client, world):
    client.force_login(UserFactory(role=Role.BELEID))
    page = client.get(reverse("duurzaam:index"), QUERY).content.decode()
    row = _table_row(page, "tabel-uitstroom", "2020")
    assert "&lt;5" not in row  # 7 of 12 held, 5 did not: both shown
    herinstroom = _table_row(page, "tabel-draaideur", "2020")
    # inflow 2020 is the five who came back; every one ended with werk: 5 of 5, complement 0
    assert '<td class="num">5</td>' in herinstroom
    # 2021: no inflow, nothing to hide
    BenefitFactory(client=ClientFactory(client_id="D-new"), start_date=date(2021, 3, 1))
    page = client.get(reverse("duurzaam:index"), QUERY).content.decode()
    assert '<td class="num">&lt;5</td>' in _table_row(page, "tabel-draaideur", "2021")


def test_the_export_is_one_table_and_audited(client, world):
    user = UserFactory(role=Role.TEAMLEIDER)
    client.force_login(user)
    response = client.get(reverse("duurzaam:index"), {**QUERY, "formaat": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "onderwerp",
        "jaar",
        "aantal",
        "termijn (maanden)",
        "waarvan bekend",
        "waarvan",
        "aandeel",
    ]
    six = [r for r in rows[1:] if r[0].startswith("uitstroom") and r[1] == "2020" and r[3] == "6"]
    assert six and six[0][2:6] == ["12", "6", "12", "7"]
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 1


def test_the_default_is_five_years_and_bad_years_are_a_dutch_message(client, db):
    client.force_login(UserFactory(role=Role.BELEID))
    assert client.get(reverse("duurzaam:index")).status_code == 200
    response = client.get(reverse("duurzaam:index"), {**QUERY, "year_from": "2022"})
    assert response.status_code == 400 and "mag niet voor" in response.content.decode()
