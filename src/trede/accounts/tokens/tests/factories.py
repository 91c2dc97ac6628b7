"""Factories for application tokens: system accounts and tokens with a known secret."""

from __future__ import annotations

import factory

from trede.accounts.models import User
from trede.accounts.tokens import services
from trede.accounts.tokens.models import ApplicationToken, secret_hash


class SystemAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"systeem{n}")
    role = "beleid"
    system_account = True
    password = "!"


class BeheerderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"beheerder{n}")
    role = "beheerder"
    password = "!"


class ApplicationTokenFactory(factory.django.DjangoModelFactory):
    """A token whose secret is on `token.secret` (as the page shows it once)."""

    class Meta:
        model = ApplicationToken

    name = factory.Sequence(lambda n: f"Koppeling {n}")
    user = factory.SubFactory(SystemAccountFactory)
    scopes = factory.LazyFunction(lambda: ["cijfers.lezen"])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        prefix, secret = services._new_secret()
        kwargs.setdefault("prefix", prefix)
        kwargs.setdefault("secret_hash", secret_hash(secret))
        token = super()._create(model_class, *args, **kwargs)
        token.secret = secret
        return token
