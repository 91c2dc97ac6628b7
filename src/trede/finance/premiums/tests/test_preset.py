"""The premium settings live in the policy preset: stored by the migration, shown and
edited on the beheerder's preset page, validated with Dutch messages, and used at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.casework.policy.models import PolicyPreset
from trede.casework.tests.factories_plans import UserFactory
from trede.finance.premiums import selectors

pytestmark = pytest.mark.django_db


def _uitstroom():
    return next(s for s in selectors.active_schemes() if s.code == "uitstroompremie")


def test_every_stored_preset_has_the_seed_004_schemes():
    for preset in PolicyPreset.objects.all():
        scheme, werkpremie = preset.config["premiums"]["schemes"]
        assert scheme["total_eur"] == 750 and [p["after_months"] for p in scheme["parts"]] == [3, 6]
        assert werkpremie["trigger"] == "deelname_traject" and werkpremie["line"] == "werkpremies"
    active = _uitstroom()
    assert active.total == Decimal(750) and "seed 004" in active.source


def test_the_beheerder_edits_the_premium_on_the_preset_page(client):
    client.force_login(UserFactory(role=Role.BEHEERDER))
    key = PolicyPreset.objects.get(active=True).key
    url = reverse("casework:preset_edit", kwargs={"key": key})
    page = client.get(url)
    text = page.content.decode()
    assert "Premies" in text and "seed 004" in text and "Uitstroompremie: deel 2 na" in text
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}

    data.update(premium_uitstroompremie_part_2_months=3)
    refused = client.post(url, data)
    assert (
        refused.status_code == 200
        and "elk volgend deel komt later dan het vorige" in refused.content.decode()
    )

    data.update(
        premium_uitstroompremie_part_2_months=9,
        premium_uitstroompremie_part_1_amount=250,
        premium_uitstroompremie_min_benefit_months=24,
    )
    assert client.post(url, data).status_code == 302
    scheme = _uitstroom()
    assert [(p.after_months, p.amount) for p in scheme.parts] == [(3, Decimal(250)), (9, Decimal(375))]
    assert scheme.total == Decimal(625) and scheme.min_benefit_months == 24
