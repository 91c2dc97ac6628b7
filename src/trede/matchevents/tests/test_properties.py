"""The stored indeling is optimal: on small random events its total score equals the best
total found by trying every assignment (with the engine's scores of the pairs it lists),
no vacancy gets more candidates than its places, no candidate two vacancies, and every
stored pair has the engine's score for it. Also after a pair is dropped and one confirmed."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.accounts.models import Role
from trede.benefits.models import Benefit
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.models import Client, ClientProfile, Postcode
from trede.employers.models import Employer, Vacancy
from trede.matchevents import services
from trede.matchevents.constants import PairStatus
from trede.matchevents.models import EventPair

DAY = date(2026, 6, 1)
OCCUPATIONS = ["9112", "9113", "9333", "5223", "4110"]
SKILLS = ["schoonmaken", "heftruckcertificaat", "klantcontact", "kassa"]
POSTCODES = {"2271": ("52.07", "4.40"), "2272": ("52.08", "4.41"), "2500": ("52.30", "4.70")}


@st.composite
def events(draw):
    vacancies = [
        {
            "occupation": draw(st.sampled_from(OCCUPATIONS)),
            "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True)),
            "hours": draw(st.sampled_from([None, 16, 24, 36])),
            "places": draw(st.integers(1, 3)),
        }
        for _ in range(draw(st.integers(1, 3)))
    ]
    clients = [
        {
            "occupations": draw(st.lists(st.sampled_from(OCCUPATIONS), max_size=2, unique=True)),
            "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True)),
            "hours": draw(st.sampled_from([None, 12, 24, 40])),
            "postcode": draw(st.sampled_from(sorted(POSTCODES))),
            "travel": draw(st.sampled_from([None, 5, 50])),
        }
        for _ in range(draw(st.integers(0, 5)))
    ]
    return vacancies, clients, draw(st.booleans()), draw(st.booleans())


def best_total(pairs: dict, places: dict) -> int:
    """Every way to give each client one vacancy or none, within the places."""
    vacancy_ids = sorted(pairs)
    clients = sorted({c for row in pairs.values() for c in row})
    best = 0
    for choice in itertools.product([None, *vacancy_ids], repeat=len(clients)):
        used = {v: 0 for v in vacancy_ids}
        total = 0
        for client, vacancy in zip(clients, choice, strict=True):
            if vacancy is None:
                continue
            if client not in pairs[vacancy]:
                break
            used[vacancy] += 1
            total += pairs[vacancy][client]
        else:
            if all(used[v] <= places[v] for v in vacancy_ids):
                best = max(best, total)
    return best


class IndelingIsOptimal(TestCase):
    def _build(self, vacancies, clients):
        for pc, (lat, lon) in POSTCODES.items():
            Postcode.objects.create(postcode4=pc, lat=Decimal(lat), lon=Decimal(lon))
        am = UserFactory(username="am-prop", role=Role.ACCOUNTMANAGER)
        employer = Employer.objects.create(employer_id="WGP", name="P", postcode4="2271", account_manager=am)
        event = services.matchevent_create(user=am, data=services.EventInput(name="Netwerkcafé", date=DAY))
        for i, v in enumerate(vacancies):
            vacancy = Vacancy.objects.create(
                vacancy_id=f"VP{i}",
                employer=employer,
                title=f"Vacature {i}",
                occupation_code=v["occupation"],
                skills=v["skills"],
                hours_per_week=v["hours"],
                open_date=DAY,
            )
            services.matchevent_vacancy_set(user=am, event=event, vacancy=vacancy, places=v["places"])
        for j, c in enumerate(clients):
            client = Client.objects.create(
                client_id=f"KP{j}", birth_date=date(1985, 1, 1), postcode4=c["postcode"], dutch_language="b1"
            )
            Benefit.objects.create(
                benefit_id=f"UP{j}", client=client, regulation="pw", start_date=date(2024, 1, 1)
            )
            ClientProfile.objects.create(
                client=client,
                desired_occupations=c["occupations"],
                skills=c["skills"],
                hours_available=c["hours"],
                max_travel_km=c["travel"],
            )
            services.matchevent_candidate_invite(user=am, event=event, client=client)
        return am, event

    def _check(self, event):
        _v, _c, _s, pairs, free = services.indeling_problem(event, DAY)
        stored = list(EventPair.objects.filter(event=event, status=PairStatus.VOORGESTELD))
        assert sum(p.units for p in stored) == best_total(pairs, free)
        for vacancy_id, places in free.items():
            assert sum(1 for p in stored if p.vacancy_id == vacancy_id) <= places
        assert len({p.client_id for p in stored}) == len(stored)
        for p in stored:
            assert pairs[p.vacancy_id][p.client_id] == p.units and p.reasons
        places = dict(event.vacancies.values_list("vacancy_id", "places"))
        standing = EventPair.objects.filter(event=event).exclude(status=PairStatus.VERVALLEN)
        for vacancy_id, n in places.items():
            assert standing.filter(vacancy_id=vacancy_id).count() <= n
        return stored

    def _make(self, am, event):
        event.refresh_from_db()
        services.indeling_make(user=am, event=event, token=services.event_edit_token(event), day=DAY)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(events())
    def test_stored_total_is_the_brute_force_optimum(self, instance):
        vacancies, clients, drop, confirm = instance
        am, event = self._build(vacancies, clients)
        self._make(am, event)
        stored = self._check(event)
        if stored and drop:
            services.pair_drop(user=am, pair=stored[0])
            self._make(am, event)
            stored = self._check(event)
        if stored and confirm:
            services.pair_confirm(user=am, pair=stored[-1])
            self._make(am, event)
            self._check(event)
