from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from trede.employers.models import Employer, Vacancy


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    employer_id = factory.Sequence(lambda n: f"WG{n:04d}")
    name = factory.Sequence(lambda n: f"Werkgever {n}")
    sector = "N"
    size_class = "10-49"
    postcode4 = "2271"


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    vacancy_id = factory.Sequence(lambda n: f"VC{n:04d}")
    employer = factory.SubFactory(EmployerFactory)
    title = "Schoonmaker"
    occupation_code = "9112"
    hours_per_week = Decimal("24")
    open_date = date(2024, 1, 1)
    skills = factory.LazyFunction(lambda: ["schoonmaken"])
