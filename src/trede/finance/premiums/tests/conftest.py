from __future__ import annotations

from datetime import date

import pytest

from trede.accounts.models import Role
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import ConsultantFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.instruments.tests.factories import InstrumentFactory, TrajectoryFactory

# Out of benefit on 1 March 2021 after 14 months: part 1 on 1 June, part 2 on 1 September.
OUTFLOW = date(2021, 3, 1)
AFTER_BOTH = date(2021, 9, 1)


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    noord = ConsultantFactory(team="Noord")
    zuid = ConsultantFactory(team="Zuid")
    earned = ClientFactory(client_id="KP0001", given_name="Fenna", family_name="Bos", consultant=noord)
    BenefitFactory(client=earned, start_date=date(2020, 1, 1), end_date=OUTFLOW, end_reason="werk")
    short = ClientFactory(client_id="KP0002", given_name="Kees", family_name="Kort", consultant=noord)
    BenefitFactory(client=short, start_date=date(2020, 6, 1), end_date=OUTFLOW, end_reason="werk")
    other_team = ClientFactory(client_id="KP0003", given_name="Zara", family_name="Zuid", consultant=zuid)
    BenefitFactory(client=other_team, start_date=date(2019, 1, 1), end_date=OUTFLOW, end_reason="werk")
    return {
        "earned": earned,
        "short": short,
        "other_team": other_team,
        "inkomen": UserFactory(username="ink", role=Role.CONSULENT_INKOMEN, team="Noord"),
        "inkomen2": UserFactory(username="ink2", role=Role.CONSULENT_INKOMEN, team="Noord"),
        "tl": UserFactory(username="tl", role=Role.TEAMLEIDER, team="Noord"),
        "tl2": UserFactory(username="tl2", role=Role.TEAMLEIDER, team="Noord"),
        "tl_zuid": UserFactory(username="tlz", role=Role.TEAMLEIDER, team="Zuid"),
        "cm": UserFactory(username="cm", role=Role.CONTRACTMANAGER),
    }


@pytest.fixture
def volunteer(world):
    """On benefit since 2022; volunteer work from 10 January to 1 April 2024 (Jan-Mar)."""
    person = ClientFactory(
        client_id="KP0004",
        given_name="Vera",
        family_name="Vrijwilliger",
        consultant=world["earned"].consultant,
    )
    BenefitFactory(client=person, start_date=date(2022, 1, 1), end_date=None, end_reason="")
    TrajectoryFactory(
        trajectory_id="TW1",
        client=person,
        instrument=InstrumentFactory(instrument_code="VRW", type="vrijwilligerswerk"),
        referral_date=date(2024, 1, 2),
        start_date=date(2024, 1, 10),
        end_date=date(2024, 4, 1),
    )
    return {**world, "volunteer": person}
