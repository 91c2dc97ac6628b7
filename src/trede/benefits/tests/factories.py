from datetime import date

import factory

from trede.benefits.models import Benefit
from trede.clients.tests.factories import ClientFactory


class BenefitFactory(factory.django.DjangoModelFactory):
    """An ongoing Participatiewet benefit; `ended=True` ends it with outflow to work."""

    class Meta:
        model = Benefit

    class Params:
        ended = factory.Trait(end_date=date(2020, 1, 1), end_reason="werk")

    benefit_id = factory.Sequence(lambda n: f"U{n:06d}")
    client = factory.SubFactory(ClientFactory)
    regulation = "pw"
    start_date = date(2018, 1, 1)
    end_date = None
    end_reason = ""
