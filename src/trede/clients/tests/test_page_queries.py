"""The consultant's three daily pages answer in a fixed number of queries: the same for a
caseload of 30 as of 60 clients, and for a client file with few rows as with many (no
query per row), under a ceiling that fails when an optimisation is undone."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role, User
from trede.casework.models import Consultant, Contact, Plan
from trede.clients.management.commands.bench_caseload import Command
from trede.clients.models import Client

pytestmark = pytest.mark.django_db

# Measured on both databases: session, user, the page's own reads and one audit INSERT
# (the caseload and worklist: the listed clients; the file: its sections).
# The worklist's 14th query: voordrachten waiting for the client's consent (decision 128);
# 15-17: the caseload's placements, their nazorg contacts and the benefits behind the
# draaideur (decisions 175, 177), one query each whatever the caseload.
CEILINGS = {"clients:caseload": 12, "casework:worklist": 17, "clients:file": 20}


def _consultant_with(count: int, tag: str, seed: int = 7) -> User:
    user = User.objects.create(username=f"consulent-{tag}", role=Role.CONSULENT_WERK)
    consultant = Consultant.objects.create(
        consultant_id=f"M-{tag}", name=f"Consulent {tag}", team="Noord", user=user
    )
    # The benchmark's generator: benefits, diagnoses, route decisions, contacts, plans ...
    Command()._clients(consultant, count=count, prefix=f"{tag}-", rng=random.Random(seed))
    return user


def _queries(client, user, url: str) -> tuple[int, object]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("page", ["clients:caseload", "casework:worklist"])
def test_list_pages_do_not_grow_with_the_caseload(client, page):
    small, small_page = _queries(client, _consultant_with(30, "klein"), reverse(page))
    large, large_page = _queries(client, _consultant_with(60, "groot", seed=8), reverse(page))
    # The pages really list the caseloads (so equal counts are not two empty pages).
    assert small_page.content.count(b"klein-") >= 30
    assert large_page.content.count(b"groot-") >= 60
    assert small == large <= CEILINGS[page]


def test_client_file_does_not_grow_with_the_rows_of_the_client(client):
    user = _consultant_with(2, "dossier")
    few, many = Client.objects.filter(consultant__user=user).order_by("client_id")
    # Many more rows of every kind the file lists for one of the two clients.
    today = timezone.localdate()
    other = _consultant_with(25, "bron")
    Contact.objects.bulk_create(
        Contact(
            contact_id=f"{many.pk}-X{i}",
            client=many,
            date=today - timedelta(days=i),
            kind="gesprek",
            outcome="gehouden",
            note="Extra.",
        )
        for i in range(30)
    )
    Plan.objects.bulk_create(Plan(client=many, version=10 + i, status="concept") for i in range(5))
    for model in ("Benefit", "Diagnosis", "Trajectory", "Measure", "Placement"):
        # The other caseload's rows of these kinds, moved to this client.
        from django.apps import apps

        cls = next(m for m in apps.get_models() if m.__name__ == model)
        cls.objects.filter(client__consultant__user=other).update(client=many)
    url = reverse("clients:file", args=[few.pk])
    small, small_page = _queries(client, user, url)
    large, large_page = _queries(client, user, reverse("clients:file", args=[many.pk]))
    assert large_page.content.count(b"<li") > small_page.content.count(b"<li") + 50
    assert small == large <= CEILINGS["clients:file"]
