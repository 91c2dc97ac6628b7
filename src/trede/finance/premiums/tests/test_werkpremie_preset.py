"""The werkpremie's amount, first month and types, and the ceiling thresholds, are the
beheerder's to edit on the preset page (decisions 73 and 74): an edit changes what is
earned and what an approval may book; bad input is refused with a specific Dutch message."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from trede.accounts.models import Role
from trede.casework.policy.models import PolicyPreset
from trede.casework.tests.factories_plans import UserFactory
from trede.finance.models import Budget, PremiumStatus
from trede.finance.premiums import selectors, services
from trede.finance.premiums.services import PremiumRefused

pytestmark = pytest.mark.django_db
JAN, FEB, APR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 4, 1)


def _page(client):
    client.force_login(UserFactory(role=Role.BEHEERDER, username="beheer"))
    url = reverse("casework:preset_edit", kwargs={"key": PolicyPreset.objects.get(active=True).key})
    page = client.get(url)
    form = page.context["form"]
    return url, page.content.decode(), {name: form[name].value() for name in form.fields}


def _werkpremie_amounts(as_of=APR):
    return [r.due.amount for r in selectors.eligible(None, as_of=as_of) if r.due.scheme == "werkpremie"]


def test_the_beheerder_edits_the_werkpremie_and_it_applies_at_once(volunteer, client):
    url, text, data = _page(client)
    assert (
        "Werkpremie: bedrag per maand (euro)" in text and "Werkpremie: soorten traject die meetellen" in text
    )
    assert (
        data["premium_werkpremie_monthly_amount"] == 50
        and "vrijwilligerswerk" in data["premium_werkpremie_types"]
    )
    assert _werkpremie_amounts() == [Decimal(50)] * 3

    data.update(premium_werkpremie_monthly_amount=75, premium_werkpremie_months_from="01-02-2024")
    assert client.post(url, data).status_code == 302
    assert _werkpremie_amounts() == [Decimal(75)] * 2  # February and March, at the new amount

    url, _text, data = _page(client)  # a fresh page: the edit token of the saved version
    data.update(premium_werkpremie_types=["scholing"])
    assert client.post(url, data).status_code == 302
    assert _werkpremie_amounts() == []  # volunteer work no longer counts


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"premium_werkpremie_monthly_amount": 0},
            "Werkpremie: geef het bedrag per maand in hele euro&#x27;s (1 tot 10.000).",
        ),
        ({"premium_werkpremie_types": []}, "Werkpremie: kies ten minste één soort traject die meetelt."),
        (
            {"ceiling_warn_pct": "100", "ceiling_block_pct": "95"},
            "Plafonds: de waarschuwing (100 %) moet onder de blokkade (95 %) liggen",
        ),
        ({"ceiling_block_pct": "0"}, "Plafonds: de blokkade ligt tussen 1 en 150 % van het plafond."),
        (
            {"ceiling_warn_pct": "veel"},
            "Waarschuwing vanaf (% van het plafond): Vul een percentage in als getal, zoals 90 of 7,5.",
        ),
        (
            {"vangnet_band_to_pct": "5"},
            "BUIG-vangnet: de grens van de gedeeltelijke vergoeding (5 %) ligt onder het eigen risico (7,5 %).",
        ),
        (
            {"vangnet_band_share_pct": "120"},
            "BUIG-vangnet: het vergoede deel van het tekort ligt tussen 0 en 100 %.",
        ),
        (
            {"vangnet_own_risk_pct": "-1"},
            "BUIG-vangnet: het eigen risico ligt tussen 0 en 100 % van het BUIG-budget.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_specific_message(client, changes, message):
    url, _text, data = _page(client)
    before = PolicyPreset.objects.get(active=True).config
    data.update(changes)
    refused = client.post(url, data)
    assert refused.status_code == 200 and message in refused.content.decode(), refused.content.decode()[:3000]
    assert PolicyPreset.objects.get(active=True).config == before


def _pay_month(w, period):
    row = services.premium_propose(
        user=w["inkomen"], client=w["volunteer"], scheme="werkpremie", part=1, period=period, as_of=APR
    )
    services.premium_check(user=w["inkomen"], part=row)
    return services.premium_approve(user=w["tl"], part=row, as_of=APR)


def test_raising_the_block_threshold_lets_an_approval_through(volunteer, client):
    # A werkpremies budget of €80 in 2024: the second month (€100, 125 %) is blocked at 100 %.
    Budget.objects.create(
        budget_id="BW", year=2024, line="werkpremies", funding="reintegratiebudget", amount_eur=80
    )
    assert _pay_month(volunteer, JAN).status == PremiumStatus.BETAALD
    with pytest.raises(PremiumRefused, match="werkpremies"):
        _pay_month(volunteer, FEB)
    url, _text, data = _page(client)
    data.update(ceiling_warn_pct="90", ceiling_block_pct="130")
    assert client.post(url, data).status_code == 302
    feb = selectors.PremiumPart.objects.get(period=FEB, status=PremiumStatus.GECONTROLEERD)
    assert services.premium_approve(user=volunteer["tl"], part=feb, as_of=APR).status == PremiumStatus.BETAALD


def test_the_migration_adds_the_werkpremie_and_finance_settings_to_an_older_preset():
    preset = PolicyPreset.objects.get(active=True)
    config = dict(preset.config)
    config.pop("ceilings"), config.pop("buig_vangnet")
    config["premiums"] = {**config["premiums"], "schemes": config["premiums"]["schemes"][:1]}
    preset.config = config
    preset.save(update_fields=["config"])
    module = importlib.import_module("trede.casework.migrations.0009_werkpremie_and_finance_settings")
    module.add_settings(apps, None)
    module.add_settings(apps, None)  # twice: nothing doubles
    preset.refresh_from_db()
    assert [s["code"] for s in preset.config["premiums"]["schemes"]] == ["uitstroompremie", "werkpremie"]
    assert preset.config["ceilings"] == {"warn_pct": 90, "block_pct": 100}
    assert preset.config["buig_vangnet"]["own_risk_pct"] == 7.5
