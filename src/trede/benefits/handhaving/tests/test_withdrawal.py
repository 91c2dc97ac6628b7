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
