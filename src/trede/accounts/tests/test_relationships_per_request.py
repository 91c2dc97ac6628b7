"""A user's relationship to a client is looked up once per request, never kept past a
write that may change it, and never outside the request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trede.accounts import access
from trede.accounts import permissions as perms
from trede.accounts.models import Waarneming
from trede.accounts.permissions import Relation
from trede.clients.models import Client
from trede.tests_e2e.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _relationship_queries(captured) -> int:
    # The relationship is a CASE over the conditions, the only query that names them so.
    return sum("'eigen caseload'" in q["sql"] for q in captured.captured_queries)


def test_the_client_file_asks_for_the_relationship_once(world, client):
    client.force_login(world.user("sanne"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("clients:file", args=["KA0001"]))
    assert response.status_code == 200
    assert len(response.context["links"]) >= 3  # several permission checks on the client
    assert _relationship_queries(captured) == 1


def test_open_client_finds_the_client_and_its_relationship_in_one_query(world, django_assert_num_queries):
    sanne = world.user("sanne")
    with access.relationships_per_request(), django_assert_num_queries(1):
        client = perms.open_client(sanne, perms.SECTION_READ["basis"], "KA0001")
        assert access.relationship(sanne, client) == Relation.EIGEN_CASELOAD


def test_open_client_still_refuses_outside_the_relationships(world):
    with access.relationships_per_request(), pytest.raises(perms.WaarnemingRequired):
        perms.open_client(world.user("sanne"), perms.SECTION_READ["basis"], "KB0002")


def test_a_waarneming_granted_during_the_request_counts_at_once(world):
    sanne, bert = world.user("sanne"), Client.objects.get(pk="KB0002")
    with access.relationships_per_request():
        assert access.relationship(sanne, bert) == ""
        Waarneming.objects.create(
            user=sanne, client=bert, reason="Collega ziek", valid_until=timezone.now() + timedelta(days=1)
        )
        assert access.relationship(sanne, bert) == Relation.WAARNEMING


def test_a_transfer_by_queryset_update_counts_at_once(world):
    """No signal fires for an UPDATE by queryset: any statement but a SELECT forgets."""
    sanne, anna = world.user("sanne"), Client.objects.get(pk="KA0001")
    with access.relationships_per_request():
        assert access.relationship(sanne, anna) == Relation.EIGEN_CASELOAD
        Client.objects.filter(pk=anna.pk).update(consultant=world.consultants["bob"])
        assert access.relationship(sanne, anna) == ""


def test_remembered_per_user(world):
    anna = Client.objects.get(pk="KA0001")
    with access.relationships_per_request():
        assert access.relationship(world.user("sanne"), anna) == Relation.EIGEN_CASELOAD
        assert access.relationship(world.user("bob"), anna) == ""


def test_outside_a_request_nothing_is_remembered(world, django_assert_num_queries):
    sanne, anna = world.user("sanne"), Client.objects.get(pk="KA0001")
    access.relationship(sanne, anna)
    with django_assert_num_queries(1):
        access.relationship(sanne, anna)
