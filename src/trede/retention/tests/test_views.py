"""The pages: who sees what (counts for the beheerder, client numbers for the privacy
officer only, nothing for anyone else), propose on one page and approve as another user
on the run page, the log without client numbers, and the periods form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.clients.models import Client
from trede.retention.models import DestructionRun

from .world import UNIQUE_ID, full_client, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    full_client()
    return {
        "beheerder": staff("beheer", Role.BEHEERDER),
        "privacy": staff("privacy", Role.PRIVACY),
        "consulent": staff("consulent", Role.CONSULENT_WERK),
        "beleid": staff("beleid", Role.BELEID),
    }


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["consulent", "beleid"])
def test_other_roles_get_403(client, world, role):
    _as(client, world[role])
    for name in ("retention:index", "retention:log", "retention:periods"):
        assert client.get(reverse(name)).status_code == 403


def test_beheerder_sees_counts_not_numbers(client, world):
    page = _as(client, world["beheerder"]).get(reverse("retention:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="verlopen-klanten">1<' in html
    assert UNIQUE_ID not in html
    assert client.get(reverse("retention:periods")).status_code == 200


def test_privacy_sees_numbers_and_each_is_audited(client, world):
    html = _as(client, world["privacy"]).get(reverse("retention:index")).content.decode()
    assert UNIQUE_ID in html
    assert AuditEvent.objects.filter(event="client_listed", client_id=UNIQUE_ID).count() == 1
    assert client.get(reverse("retention:periods")).status_code == 403


def test_propose_then_a_colleague_approves_on_the_page(client, world):
    _as(client, world["beheerder"])
    response = client.post(reverse("retention:index"), {"soort": "klantdossier"})
    run = DestructionRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("retention:run", args=[run.pk])
    own = client.get(response.url).content.decode()
    assert "Goedkeuren en vernietigen" not in own and "Een collega" in own
    # A forged POST by the proposer is refused.
    refused = client.post(reverse("retention:run", args=[run.pk]), {"actie": "goedkeuren"})
    assert refused.status_code == 409
    assert Client.objects.filter(pk=UNIQUE_ID).exists()

    _as(client, world["privacy"])
    page = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert "Goedkeuren en vernietigen" in page and UNIQUE_ID in page
    done = client.post(reverse("retention:run", args=[run.pk]), {"actie": "goedkeuren"}, follow=True)
    assert done.status_code == 200
    assert not Client.objects.filter(pk=UNIQUE_ID).exists()
    html = done.content.decode()
    assert "uitgevoerd" in html and "clients_client" in html and UNIQUE_ID not in html
    log = client.get(reverse("retention:log")).content.decode()
    assert str(run.pk) in log and UNIQUE_ID not in log


def test_reject_needs_a_reason(client, world):
    _as(client, world["privacy"]).post(reverse("retention:index"), {"soort": "klantdossier"})
    run = DestructionRun.objects.get()
    _as(client, world["beheerder"])
    assert (
        client.post(reverse("retention:run", args=[run.pk]), {"actie": "afwijzen", "reason": ""}).status_code
        == 400
    )
    client.post(reverse("retention:run", args=[run.pk]), {"actie": "afwijzen", "reason": "Bezwaar loopt nog"})
    run.refresh_from_db()
    assert run.status == "afgewezen" and Client.objects.filter(pk=UNIQUE_ID).exists()


def test_periods_form(client, world):
    _as(client, world["beheerder"])
    bad = client.post(
        reverse("retention:periods"), {"record_type": "klantdossier", "years": "0", "basis": "x"}
    )
    assert bad.status_code == 400
    ok = client.post(
        reverse("retention:periods"),
        {"record_type": "klantdossier", "years": "12", "basis": "Raadsbesluit: twaalf jaar bewaren"},
        follow=True,
    )
    assert ok.status_code == 200 and "nu 12 jaar" in ok.content.decode()
