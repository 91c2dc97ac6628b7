"""The ceiling thresholds and the BUIG vangnet on the beheerder's preset form (decision 74):
shown, stored the Dutch way (7,5), used at once by trede.finance, and refused with a
specific Dutch message when unusable."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trede.accounts.models import Role
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.services import config_problems, preset_update
from trede.casework.tests.factories_plans import UserFactory
from trede.finance import buig, ceilings
from trede.finance.selectors import finance_policy

pytestmark = pytest.mark.django_db


def test_the_form_shows_and_edits_ceilings_and_vangnet(client):
    client.force_login(UserFactory(role=Role.BEHEERDER))
    url = reverse("casework:preset_edit", kwargs={"key": PolicyPreset.objects.get(active=True).key})
    page = client.get(url)
    text = page.content.decode()
    assert "Plafonds en BUIG-vangnet" in text and 'value="7,5"' in text
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    assert (data["ceiling_warn_pct"], data["ceiling_block_pct"], data["vangnet_band_share_pct"]) == (
        "90",
        "100",
        "50",
    )
    thresholds, _rule = finance_policy()
    assert ceilings.status(85, 100, thresholds) == ceilings.BINNEN

    data.update(
        ceiling_warn_pct="80",
        ceiling_block_pct="110",
        vangnet_own_risk_pct="5,5 %",
        vangnet_band_to_pct="10",
        vangnet_band_share_pct="40",
        vangnet_source="Eigen lezing van een nieuw besluit",
    )
    assert client.post(url, data).status_code == 302
    stored = PolicyPreset.objects.get(active=True).config
    assert stored["ceilings"] == {"warn_pct": 80, "block_pct": 110}
    assert stored["buig_vangnet"] == {
        "own_risk_pct": 5.5,
        "band_to_pct": 10,
        "band_share": 0.4,
        "source": "Eigen lezing van een nieuw besluit",
    }
    thresholds, rule = finance_policy()
    assert ceilings.status(85, 100, thresholds) == ceilings.WAARSCHUWING  # 85 % now warns
    assert ceilings.status(105, 100, thresholds) == ceilings.WAARSCHUWING  # blocks only above 110 %
    assert (rule.own_risk_pct, rule.band_to_pct, rule.band_share) == (
        Decimal("5.5"),
        Decimal(10),
        Decimal("0.4"),
    )
    # A deficit of 8 % of a budget of 1000: 55 own risk, of the 25 in the band 40 % compensated.
    vangnet = buig.Vangnet(budget=Decimal(1000), expected=Decimal(1080), rule=rule)
    assert vangnet.threshold == Decimal("55.0")


def _with(config, key, **values):
    config = copy.deepcopy(config)
    config[key] = {**config[key], **values}
    return config


@pytest.mark.parametrize(
    ("key", "values", "message"),
    [
        (
            "ceilings",
            {"warn_pct": 0},
            "Plafonds: de waarschuwing geldt vanaf 1 tot en met 100 % van het plafond.",
        ),
        ("ceilings", {"block_pct": "100"}, "Plafonds: de blokkade ligt tussen 1 en 150 % van het plafond."),
        (
            "ceilings",
            {"warn_pct": 95, "block_pct": 90},
            "Plafonds: de waarschuwing (95 %) moet onder de blokkade (90 %) liggen",
        ),
        (
            "buig_vangnet",
            {"band_share": 1.5},
            "BUIG-vangnet: het vergoede deel van het tekort ligt tussen 0 en 100 %.",
        ),
        ("buig_vangnet", {"source": " "}, "BUIG-vangnet: noem de bron van de regeling."),
        (
            "buig_vangnet",
            {"band_to_pct": True},
            "BUIG-vangnet: de grens van de gedeeltelijke vergoeding ligt tussen 0 en 100 %",
        ),
    ],
)
def test_unusable_settings_are_refused_by_the_service(key, values, message):
    preset = PolicyPreset.objects.get(active=True)
    config = _with(preset.config, key, **values)
    assert any(message in p for p in config_problems(config)), config_problems(config)
    with pytest.raises(ValidationError):
        preset_update(user=UserFactory(role=Role.BEHEERDER), preset=preset, config=config)


def test_a_preset_stored_without_them_still_uses_the_defaults():
    preset = PolicyPreset.objects.get(active=True)
    config = copy.deepcopy(preset.config)
    config.pop("ceilings"), config.pop("buig_vangnet")
    assert config_problems(config) == []
    PolicyPreset.objects.filter(pk=preset.pk).update(config=config)
    thresholds, rule = finance_policy()
    assert (thresholds.warn_pct, thresholds.block_pct, rule.own_risk_pct) == (90, 100, Decimal("7.5"))
