"""Expired client files for the demo municipality: the generator's eight years are all
within the ten-year period, so `trede demo` adds a few clients of the system Trede
replaced whose last benefit ended 11 to 14 years ago (with a diagnosis, contact moments
and sometimes a trajectory, as an import from that system would bring), so that
`beheerder` and `privacy` see a non-empty list and can try a destruction. Deterministic;
only when none of them exist yet."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from trede.benefits.models import Benefit
from trede.casework.models import Contact, Diagnosis
from trede.clients.models import Client
from trede.instruments.models import Instrument, Provider, Trajectory

from . import rules
from .selectors import period_of

PREFIX = "ARCH-"
NAMES = [
    ("Gerrit", "Oudshoorn"),
    ("Hendrika", "van Vliet"),
    ("Johannes", "Bakker"),
    ("Wilhelmina", "de Groot"),
    ("Cornelis", "Mulder"),
    ("Adriana", "Verhoeven"),
]
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _bsn(rng: random.Random) -> str:
    while True:
        text = f"{rng.randint(100_000_000, 999_999_999):09d}"
        if sum(int(d) * w for d, w in zip(text, WEIGHTS, strict=True)) % 11 == 0:
            return text


def demo_retention_seed(*, today: date, seed: int = 11) -> dict[str, int]:
    if Client.objects.filter(pk__startswith=PREFIX).exists():
        return {}
    rng = random.Random(seed)
    years = period_of("klantdossier").years
    instrument = Instrument.objects.order_by("pk").first()
    provider = Provider.objects.order_by("pk").first()
    made = 0
    with transaction.atomic():
        for i, (given, family) in enumerate(NAMES, start=1):
            client_id = f"{PREFIX}{i:04d}"
            end = rules.add_years(today, -(years + 1 + i % 4)) - timedelta(days=rng.randint(0, 200))
            start = end - timedelta(days=rng.randint(400, 2500))
            client = Client.objects.create(
                client_id=client_id,
                bsn=_bsn(rng),
                given_name=given,
                family_name=family,
                birth_date=date(1950 + rng.randint(0, 25), rng.randint(1, 12), rng.randint(1, 28)),
                gender=rng.choice(["man", "vrouw"]),
                household=rng.choice(["alleenstaand", "alleenstaande_ouder", "gehuwd_samenwonend"]),
                consultant=None,  # an archived file: on nobody's caseload
            )
            Benefit.objects.create(
                benefit_id=f"{client_id}-U1",
                client=client,
                regulation="pw",
                start_date=start,
                end_date=end,
                end_reason=rng.choice(["werk", "verhuizing", "aow", "overig"]),
            )
            Diagnosis.objects.create(
                diagnosis_id=f"{client_id}-D1",
                client=client,
                date=start + timedelta(days=30),
                assessed_by="consultant",
                months_to_work=rng.choice([3, 10, 18]),
                ladder_step=rng.randint(2, 5),
            )
            for c in range(rng.randint(1, 3)):
                Contact.objects.create(
                    contact_id=f"{client_id}-C{c + 1}",
                    client=client,
                    date=start + timedelta(days=60 + 90 * c),
                    kind="gesprek",
                    outcome="gehouden",
                )
            if instrument and provider and i % 2:
                referral = start + timedelta(days=120)
                Trajectory.objects.create(
                    trajectory_id=f"{client_id}-T1",
                    client=client,
                    instrument=instrument,
                    provider=provider,
                    referral_date=referral,
                    start_date=referral + timedelta(days=14),
                    end_date=min(end, referral + timedelta(days=200)),
                    result="geslaagd",
                )
            made += 1
    return {"klanten": made}
