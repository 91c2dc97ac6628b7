"""The comparison with other municipalities on the beheerder's preset form: the own
population (for benefits per 1,000 inhabitants) and the years shown, used at once by
trede.monitor.peers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import PRESETS
from trede.casework.tests.factories_plans import UserFactory
from trede.monitor.peers.selectors import peers_settings

pytestmark = pytest.mark.django_db


def _form_data(page):
    form = page.context["form"]
    return {name: form[name].value() for name in form.fields}


def test_the_form_shows_and_edits_population_and_years(client):
    client.force_login(UserFactory(role=Role.BEHEERDER))
    preset = PolicyPreset.objects.get(active=True)
    url = reverse("casework:preset_edit", kwargs={"key": preset.key})
    page = client.get(url)
    assert "Vergelijking met andere gemeenten" in page.content.decode()
    data = _form_data(page)
    shipped = PRESETS[preset.key]["config"]["peers"]
    assert (data["peers_population"], data["peers_years"]) == (shipped["population"], shipped["years"])

    data.update(peers_population="81250", peers_years="5")
    assert client.post(url, data).status_code == 302
    assert PolicyPreset.objects.get(active=True).config["peers"] == {"population": 81_250, "years": 5}
    settings = peers_settings()
    assert (settings.population, settings.years) == (81_250, 5)


def test_a_population_of_zero_is_refused_and_nothing_changes(client):
    client.force_login(UserFactory(role=Role.BEHEERDER))
    preset = PolicyPreset.objects.get(active=True)
    before = preset.config.get("peers")
    url = reverse("casework:preset_edit", kwargs={"key": preset.key})
    data = _form_data(client.get(url))
    data.update(peers_population="0")
    page = client.post(url, data)
    assert page.status_code == 200
    assert "peers_population" in page.context["form"].errors
    assert PolicyPreset.objects.get(active=True).config.get("peers") == before
