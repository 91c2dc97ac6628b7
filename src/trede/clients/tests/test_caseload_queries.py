""" "Mijn klanten" answers in a constant number of queries, whatever the caseload size."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trede.accounts.models import Role, User
from trede.casework.models import Consultant
from trede.clients.management.commands.bench_caseload import Command

# session + user + 7 caseload queries + 1 audit row, with a little room.
MAX_QUERIES = 12


def _consultant_with(count: int, tag: str):
    user = User.objects.create(username=f"consulent-{tag}", role=Role.CONSULENT_WERK)
    consultant = Consultant.objects.create(consultant_id=f"M-{tag}", name=f"Consulent {tag}", user=user)
    # The benchmark's own generator: benefits, diagnoses, route decisions, contacts, plans ...
    Command()._clients(consultant, count=count, prefix=f"{tag}-", rng=random.Random(7))
    return user


def _queries(client, user) -> tuple[int, bytes]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("clients:caseload"))
    assert response.status_code == 200
    return len(captured), response.content


@pytest.mark.django_db
def test_caseload_of_120_clients_is_bounded(client, django_assert_max_num_queries):
    user = _consultant_with(120, "groot")
    _consultant_with(30, "ander")  # another caseload in the same tables
    client.force_login(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("clients:caseload"))
    content = response.content.decode()
    assert content.count('<th scope="row">') == 120
    assert "120</strong> klanten" in content


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_caseload(client):
    small, _ = _queries(client, _consultant_with(3, "klein"))
    large, _ = _queries(client, _consultant_with(120, "groot"))
    assert small == large <= MAX_QUERIES
