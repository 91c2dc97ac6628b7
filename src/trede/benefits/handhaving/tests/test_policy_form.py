"""The maatregelenverordening on the beheerder's preset form (decision 85): shown, edited,
used at once by handhaving, and refused with a Dutch message when unusable."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trede.accounts.models import Role
from trede.benefits.handhaving import rules, selectors
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.services import preset_update
from trede.casework.tests.factories_plans import UserFactory

pytestmark = pytest.mark.django_db


def test_the_form_shows_and_edits_the_verordening(client):
    client.force_login(UserFactory(role=Role.BEHEERDER))
    preset = PolicyPreset.objects.get(active=True)
    url = reverse("casework:preset_edit", kwargs={"key": preset.key})
    page = client.get(url)
    assert "Handhaving: maatregelenverordening en boetes" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not False and v is not None}
    assert data["hh_cat_1_1_pct"] == "20" and data["hh_bezwaar_weeks"] == 6
    data.update(hh_cat_1_1_pct="25", hh_verminderd_pct="40", hh_waarschuwing_max_eur="200")
    data.pop("hh_four_eyes_maatregel")  # no longer four eyes for a maatregel
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = selectors.handhaving_policy()
    assert policy.category("1").steps[0].percentage == Decimal(25)
    assert policy.verminderd_pct == Decimal(40) and policy.waarschuwing_max_benadeling == Decimal(200)
    assert not rules.needs_four_eyes(policy, "maatregel") and rules.needs_four_eyes(policy, "boete")
    m = rules.maatregel(policy, category="1", offence=1, verwijtbaarheid="verminderd")
    assert m.percentage == Decimal("10.00")

    data.update(hh_cat_2_2_pct="30")  # lighter than the first step (50)
    refused = client.post(url, data)
    assert refused.status_code in (400, 409, 200) and "niet lichter" in refused.content.decode()


def test_a_stored_preset_without_the_section_uses_the_default_and_a_broken_one_is_refused():
    preset = PolicyPreset.objects.get(active=True)
    config = copy.deepcopy(preset.config)
    config.pop("handhaving", None)
    beheerder = UserFactory(role=Role.BEHEERDER)
    preset_update(user=beheerder, preset=preset, config=config)
    assert selectors.handhaving_policy().bezwaar_weeks == 6
    config["handhaving"] = {"categories": []}
    with pytest.raises(ValidationError, match="Handhaving"):
        preset_update(user=beheerder, preset=PolicyPreset.objects.get(pk=preset.pk), config=config)
