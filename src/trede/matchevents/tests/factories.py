from __future__ import annotations

from datetime import date

import factory

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import UserFactory
from trede.matchevents.models import MatchEvent


class MatchEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchEvent

    name = factory.Sequence(lambda n: f"Netwerkcafé {n}")
    date = date(2026, 12, 15)
    location = "Wijkcentrum De Ster"
    organiser = factory.SubFactory(UserFactory, role=Role.ACCOUNTMANAGER)
