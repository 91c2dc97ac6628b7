"""Factories for the intake tests: users with a role, consultants with a user, applications."""

from datetime import date

import factory

from trede.accounts.models import User
from trede.casework.intake.models import Application, Questionnaire
from trede.casework.intake.questionnaire import QUESTIONS
from trede.clients.tests.factories import ClientFactory

from .factories import ConsultantFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    role = "consulent_werk"
    # Unusable password: no slow hashing in tests; views log in with `client.force_login`.
    password = "!"


def consultant_user(username: str | None = None, **user_fields) -> User:
    """A werkconsulent login with its Consultant record (the caseload owner)."""
    user = UserFactory(**({"username": username} if username else {}), role="consulent_werk", **user_fields)
    ConsultantFactory(user=user, name=user.username)
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    client = factory.SubFactory(ClientFactory)
    kind = "melding"
    received_on = date(2024, 3, 1)
    consultant = factory.LazyAttribute(lambda o: o.client.consultant)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    application = factory.SubFactory(ApplicationFactory)
    client = factory.LazyAttribute(lambda o: o.application.client)


def full_answers(**overrides) -> dict[str, str]:
    """An answer to every choice question (the second choice, or the first), as a consultant records it."""
    answers = {}
    for question in QUESTIONS:
        if question.is_text:
            continue
        ranked = [c for c in question.choices if c.rank is not None or not question.scored]
        answers[question.id] = ranked[min(1, len(ranked) - 1)].value
    answers.update(overrides)
    return answers
