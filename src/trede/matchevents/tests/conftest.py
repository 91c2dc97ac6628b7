"""The shared small world of the matchevents tests: an accountmanager with two open
vacancies (cleaning with two positions, warehouse), another accountmanager's vacancy, and
five clients on benefit, one beyond their own travel limit, one of another consultant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory, UserFactory
from trede.clients.models import ClientProfile, Postcode
from trede.employers.tests.factories import EmployerFactory, VacancyFactory
from trede.matchevents import services


def _client(consultant, pc, occupations, skills, hours=24, travel=None, **kw):
    client = ClientOnBenefitFactory(consultant=consultant, postcode4=pc, dutch_language="b1", **kw)
    ClientProfile.objects.create(
        client=client,
        desired_occupations=occupations,
        skills=skills,
        hours_available=hours,
        max_travel_km=travel,
    )
    return client


@pytest.fixture
def w():
    Postcode.objects.create(postcode4="2271", lat=Decimal("52.07"), lon=Decimal("4.40"))
    Postcode.objects.create(postcode4="2272", lat=Decimal("52.08"), lon=Decimal("4.41"))
    Postcode.objects.create(postcode4="9999", lat=Decimal("53.40"), lon=Decimal("6.90"))  # far away
    am = UserFactory(username="am", role=Role.ACCOUNTMANAGER)
    other_am = UserFactory(username="am2", role=Role.ACCOUNTMANAGER)
    consultant = ConsultantUserFactory()
    other_consultant = ConsultantUserFactory()
    employer = EmployerFactory(name="Schoon BV", account_manager=am, postcode4="2271")
    theirs = EmployerFactory(name="Ander BV", account_manager=other_am)
    today = timezone.localdate()
    cleaning = VacancyFactory(employer=employer, title="Schoonmaker", occupation_code="9112", open_date=today)
    cleaning.positions = 2
    cleaning.save()
    warehouse = VacancyFactory(
        employer=employer,
        title="Orderpicker",
        occupation_code="9333",
        skills=["heftruckcertificaat"],
        open_date=today,
    )
    clients = {
        "schoon1": _client(consultant, "2272", ["9112"], ["schoonmaken"]),
        "schoon2": _client(consultant, "2271", ["9112"], ["schoonmaken"], hours=32),
        "magazijn": _client(consultant, "2272", ["9333"], ["heftruckcertificaat"]),
        "ver": _client(consultant, "9999", ["9112"], ["schoonmaken"], travel=5),  # beyond own travel limit
        "anders": _client(other_consultant, "2272", ["9112"], ["schoonmaken"]),
    }
    event = services.matchevent_create(
        user=am,
        data=services.EventInput(name="Netwerkcafé december", date=date(2026, 12, 15), location="De Ster"),
    )
    return {
        "am": am,
        "other_am": other_am,
        "consultant": consultant.user,
        "other_consultant": other_consultant.user,
        "employer": employer,
        "theirs": VacancyFactory(employer=theirs, open_date=today),
        "cleaning": cleaning,
        "warehouse": warehouse,
        "clients": clients,
        "event": event,
        "today": today,
    }
