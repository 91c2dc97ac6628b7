from datetime import date

import factory

from trede.clients.models import Client, ClientProfile


def valid_bsn(n: int) -> str:
    """The n-th nine-digit number that passes the 11-proef (deterministic)."""
    base = 100_000_000 + n * 11
    while True:
        text = f"{base:09d}"
        total = sum(int(d) * w for d, w in zip(text, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
        if total % 11 == 0:
            return text
        base += 1


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    client_id = factory.Sequence(lambda n: f"K{n:06d}")
    bsn = factory.Sequence(lambda n: valid_bsn(n))
    given_name = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    birth_date = date(1980, 6, 15)
    gender = "vrouw"
    household = "alleenstaand"


class ClientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProfile

    client = factory.SubFactory(ClientFactory)
    desired_occupations = factory.LazyFunction(lambda: ["5223"])
    skills = factory.LazyFunction(lambda: ["klantcontact"])
