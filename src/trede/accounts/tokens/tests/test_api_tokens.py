"""Application tokens against the real API (/api/v1/): the system account's role and
relationships bound what a token sees, its scopes narrow it further, a bad token is a
401 problem, and a token needs no CSRF token (it is not a browser session)."""

import pytest
from django.utils import timezone

from trede.audit.models import AuditEvent
from trede.tests_e2e.world import build_world

from .factories import ApplicationTokenFactory, SystemAccountFactory

pytestmark = pytest.mark.django_db
A = "KA0001"


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Token {token.secret}"}


def test_a_team_system_account_lists_only_its_teams_clients(client, world):
    team = world.user("tl_noord").team
    account = SystemAccountFactory(username="zaaksysteem", role="teamleider", team=team)
    token = ApplicationTokenFactory(user=account, scopes=["klanten.lezen"])
    response = client.get("/api/v1/klanten/", **auth(token))
    assert response.status_code == 200, response.content
    assert [row["client_id"] for row in response.json()["results"]] == [A]
    # The list is audited in the system account's name, as for a person.
    assert AuditEvent.objects.filter(event="client_listed", username="zaaksysteem", client_id=A).exists()
    # The role may read benefits, the token's scopes do not say so: 403 with a DENIED row.
    refused = client.get("/api/v1/uitkeringen/", **auth(token))
    assert refused.status_code == 403 and "token" in refused.json()["detail"].lower()
    wider = ApplicationTokenFactory(user=account, scopes=["klanten.lezen", "uitkeringen.lezen"])
    assert client.get("/api/v1/uitkeringen/", **auth(wider)).status_code == 200


def test_a_beleid_token_reads_figures_and_no_client(client, world):
    token = ApplicationTokenFactory(user=SystemAccountFactory(role="beleid"), scopes=["cijfers.lezen"])
    assert (
        client.get("/api/v1/monitor/bestand/?as_of=2024-06-01&regulations=pw", **auth(token)).status_code
        == 200
    )
    assert client.get("/api/v1/klanten/", **auth(token)).status_code == 403


def test_a_revoked_token_is_a_401_problem(client, world):
    token = ApplicationTokenFactory(revoked_at=timezone.now())
    response = client.get("/api/v1/monitor/bestand/?as_of=2024-06-01", **auth(token))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/problem+json")
    assert AuditEvent.objects.filter(event="token_refused", object_id=str(token.pk)).exists()
    # Without any credentials the challenge names the token too.
    assert client.get("/api/v1/klanten/").status_code == 401


def test_a_token_writes_without_csrf(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    team = world.user("tl_noord").team
    account = SystemAccountFactory(username="zaaksysteem", role="teamleider", team=team)
    token = ApplicationTokenFactory(user=account, scopes=["contacten.schrijven"])
    response = browser.post("/api/v1/contactmomenten/", {}, content_type="application/json", **auth(token))
    # Refused for its content (a Dutch problem with the fields), not for a missing CSRF token.
    assert response.status_code == 400, response.content
