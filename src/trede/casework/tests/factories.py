from datetime import date

import factory

from trede.casework.caseload.models import Consultant
from trede.casework.contacts.models import Contact
from trede.casework.intake.models import Diagnosis
from trede.clients.tests.factories import ClientFactory


class ConsultantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultant

    consultant_id = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Faker("name", locale="nl_NL")
    team = "Werk"
    role = "werkconsulent"


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    diagnosis_id = factory.Sequence(lambda n: f"D{n:06d}")
    client = factory.SubFactory(ClientFactory)
    date = date(2018, 2, 1)
    months_to_work = 12
    ladder_step = 3
    ladder_target = 4
    assessed_by = "tool"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    contact_id = factory.Sequence(lambda n: f"G{n:06d}")
    client = factory.SubFactory(ClientFactory)
    date = date(2018, 3, 1)
    kind = "gesprek"
