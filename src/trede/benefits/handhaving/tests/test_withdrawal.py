"""Withdrawing a final decision: a reason, the original kept, four eyes where the preset
asks it, audited, the measures.csv row gone and the zaak open for a corrected decision."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trede.audit.models import AuditEvent
from trede.benefits.handhaving import services
from trede.benefits.handhaving.models import Besluit, ZaakStatus
from trede.benefits.models import Measure

from .test_handhaving import _decide, _hear, _signal
from .test_handhaving import world as world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _final_maatregel(world):
    zaak = _signal(world)
    _hear(world, zaak)
    return services.besluit_approve(user=world["tl"], besluit=_decide(world, zaak))


def test_a_four_eyes_withdrawal_waits_for_a_colleague_and_keeps_the_original(world):
    besluit = _final_maatregel(world)
    assert besluit.four_eyes and Measure.objects.count() == 1
    with pytest.raises(ValidationError, match="reden"):
        services.besluit_withdraw(user=world["ink"], besluit=besluit, reason="")
    asked = services.besluit_withdraw(user=world["ink"], besluit=besluit, reason="Afspraak was verplaatst.")
    assert asked.status == "definitief" and Measure.objects.count() == 1  # not yet
    with pytest.raises(services.HandhavingRefused, match="zelf voorgesteld"):
        services.besluit_withdraw_confirm(user=world["ink"], besluit=besluit)
    with pytest.raises(services.HandhavingRefused, match="wacht al"):
        services.besluit_withdraw(user=world["ink2"], besluit=besluit, reason="Nog een keer.")
    done = services.besluit_withdraw_confirm(user=world["ink2"], besluit=besluit)
    assert done.status == "ingetrokken" and done.withdrawn_by == world["ink2"]
    assert done.withdrawal_reason == "Afspraak was verplaatst."
    # The original stays as it was decided; its measures.csv row is gone, its history kept.
    assert (done.kind, done.percentage, done.months, done.approved_by) == (
        besluit.kind,
        besluit.percentage,
        besluit.months,
        world["tl"],
    )
    assert not Measure.objects.exists()
    assert Measure.history.filter(measure_id=besluit.planned_measure_id, history_type="-").exists()
    assert done.zaak.status == ZaakStatus.GEHOORD
    events = list(
        AuditEvent.objects.filter(event__startswith="handhaving_withdraw").values_list("event", flat=True)
    )
    assert sorted(events) == ["handhaving_withdrawal_requested", "handhaving_withdrawn"]
    # A correction: a new decision in the same zaak, next to the withdrawn one.
    again = services.besluit_approve(
        user=world["tl"], besluit=_decide(world, done.zaak, verwijtbaarheid="verminderd")
    )
    assert again.status == "definitief" and Besluit.objects.filter(zaak=done.zaak).count() == 2
    assert Measure.objects.get().percentage == again.percentage


def test_without_four_eyes_the_withdrawal_is_immediate_and_only_of_a_final_decision(world):
    zaak = _signal(world, kind="inkomsten_niet_gemeld", benadelingsbedrag=120)
    _hear(world, zaak)
    warning = _decide(world, zaak, kind="waarschuwing", category="")
    assert not warning.four_eyes
    done = services.besluit_withdraw(user=world["ink"], besluit=warning, reason="Inkomsten waren wel gemeld.")
    assert done.status == "ingetrokken" and not Measure.objects.exists()
    with pytest.raises(services.HandhavingRefused, match="definitief"):
        services.besluit_withdraw(user=world["ink"], besluit=done, reason="Nogmaals intrekken.")


def test_the_database_refuses_a_withdrawal_without_reason_or_confirmed_by_the_asker(world):
    besluit = _final_maatregel(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Besluit.objects.filter(pk=besluit.pk).update(
            status="ingetrokken", withdrawn_by=world["ink"], measure=None
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Besluit.objects.filter(pk=besluit.pk).update(
            withdrawal_requested_by=world["ink"], withdrawn_by=world["ink"], withdrawal_reason="x"
        )


def test_who_may_withdraw(world):
    besluit = _final_maatregel(world)
    from django.core.exceptions import PermissionDenied

    for name in ("werk", "beleid", "zuid"):
        with pytest.raises(PermissionDenied):
            services.besluit_withdraw(user=world[name], besluit=besluit, reason="Geen recht hierop.")


def test_the_zaak_page_withdraws_with_four_eyes_and_shows_the_original(world, client):
    from django.urls import reverse

    besluit = _final_maatregel(world)
    url = reverse("handhaving:zaak", args=[besluit.zaak.pk])
    client.force_login(world["ink"])
    page = client.get(url).content.decode()
    assert "Besluit intrekken" in page
    assert client.post(url, {"actie": "intrekken", "reason": ""}).status_code == 400
    response = client.post(url, {"actie": "intrekken", "reason": "De afspraak was verplaatst."})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "eigen-intrekking" in page and "Intrekking bevestigen" not in page
    refused = client.post(url, {"actie": "intrekking_bevestigen"})
    assert refused.status_code == 409 and Measure.objects.count() == 1
    client.force_login(world["ink2"])
    assert client.post(url, {"actie": "intrekking_bevestigen"}).status_code == 302
    page = client.get(url).content.decode()
    assert "ingetrokken door ink2" in page and "De afspraak was verplaatst." in page
    assert not Measure.objects.exists()
    assert Besluit.objects.get().status == "ingetrokken"


def _worklist(user, world_or_today=None):
    from django.utils import timezone

    from trede.accounts import permissions as perms
    from trede.accounts.access import client_scope
    from trede.benefits.handhaving import selectors

    return selectors.worklist(
        client_scope(user, relations=perms.HANDHAVING_READ.relations), today=timezone.localdate(), user=user
    )


def test_a_withdrawal_awaiting_four_eyes_is_on_the_worklist_of_who_may_confirm_it(world, client):
    """Decision 168: the colleague's line, never the asker's; gone once confirmed."""
    from django.urls import reverse

    besluit = _final_maatregel(world)
    zaak = besluit.zaak
    assert [z.pk for z in _worklist(world["ink2"]).bezwaar] == [zaak.pk]
    assert _worklist(world["ink2"]).intrekking == []
    services.besluit_withdraw(user=world["ink"], besluit=besluit, reason="Afspraak was verplaatst.")
    for name in ("ink2", "tl"):
        work = _worklist(world[name])
        assert [z.pk for z in work.intrekking] == [zaak.pk]
        assert zaak.pk not in [z.pk for z in work.bezwaar]  # each zaak once
    own = _worklist(world["ink"])
    assert own.intrekking == [] and [z.pk for z in own.bezwaar] == [zaak.pk]
    werk = _worklist(world["werk"])  # reads handhaving, confirms nothing
    assert werk.intrekking == [] and [z.pk for z in werk.bezwaar] == [zaak.pk]
    assert _worklist(world["zuid"]).intrekking == []  # another team's client

    client.force_login(world["ink2"])
    page = client.get(reverse("handhaving:list")).content.decode()
    assert 'id="tabel-intrekking"' in page and "intrekking voorgesteld door ink" in page
    client.force_login(world["ink"])
    page = client.get(reverse("handhaving:list")).content.decode()
    assert 'id="tabel-intrekking"' not in page and "Intrekking bevestigen (vier ogen) (0)" in page

    services.besluit_withdraw_confirm(user=world["ink2"], besluit=besluit)
    for name in ("ink", "ink2", "tl"):
        work = _worklist(world[name])
        assert work.intrekking == [] and work.bezwaar == []


def test_a_refused_withdrawal_leaves_the_worklist_and_the_decision_stands(world, client):
    from django.urls import reverse

    besluit = _final_maatregel(world)
    services.besluit_withdraw(user=world["ink"], besluit=besluit, reason="Afspraak was verplaatst.")
    with pytest.raises(services.HandhavingRefused, match="zelf voorgesteld"):
        services.besluit_withdraw_refuse(user=world["ink"], besluit=besluit, reason="Toch niet doen.")
    with pytest.raises(ValidationError, match="reden"):
        services.besluit_withdraw_refuse(user=world["ink2"], besluit=besluit, reason="")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.besluit_withdraw_refuse(user=world["werk"], besluit=besluit, reason="Geen recht hierop.")

    url = reverse("handhaving:zaak", args=[besluit.zaak.pk])
    client.force_login(world["ink2"])
    page = client.get(url).content.decode()
    assert "Niet bevestigen" in page and "Reden van niet bevestigen" in page
    assert client.post(url, {"actie": "intrekking_weigeren", "reason": ""}).status_code == 400
    response = client.post(
        url, {"actie": "intrekking_weigeren", "reason": "De afspraak stond wel in de agenda."}
    )
    assert response.status_code == 302
    kept = Besluit.objects.get()
    assert kept.status == "definitief" and kept.withdrawal_requested_by is None and not kept.withdrawal_reason
    assert Measure.objects.count() == 1
    work = _worklist(world["ink2"])
    assert work.intrekking == [] and [z.pk for z in work.bezwaar] == [besluit.zaak.pk]
    event = AuditEvent.objects.get(event="handhaving_withdrawal_refused")
    assert event.details["reden"] == "De afspraak stond wel in de agenda."
    assert (
        event.details["voorstel"] == "Afspraak was verplaatst." and event.details["voorgesteld_door"] == "ink"
    )
    with pytest.raises(services.HandhavingRefused, match="Er wacht geen intrekking"):
        services.besluit_withdraw_refuse(user=world["ink2"], besluit=kept, reason="Nog een keer weigeren.")
    # A new request may follow.
    again = services.besluit_withdraw(user=world["ink"], besluit=kept, reason="Nu met het verslag erbij.")
    assert again.withdrawal_requested_by == world["ink"]
