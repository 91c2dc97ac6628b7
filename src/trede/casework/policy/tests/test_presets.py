"""Policy presets: validation with Dutch messages, activation, the beheerder's screen."""

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.policy.forms import PresetForm
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.services import config_problems, preset_activate, preset_update
from trede.casework.tests.factories_plans import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder():
    return UserFactory(role=Role.BEHEERDER)


@pytest.fixture
def steenwijkerland():
    return PolicyPreset.objects.get(key="steenwijkerland")


def test_the_three_seed_presets_are_valid_and_one_is_active():
    presets = list(PolicyPreset.objects.all())
    assert {p.key for p in presets} == {"leidschendam_voorburg", "steenwijkerland", "hof_van_twente"}
    assert [p.key for p in presets if p.active] == ["leidschendam_voorburg"]
    for preset in presets:
        assert config_problems(preset.config) == [], preset.key


def _edited(preset, **changes):
    config = copy.deepcopy(preset.config)
    for path, value in changes.items():
        target = config
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[key]
        target[leaf] = value
    return config


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"caseload__min": 95}, "Caseload: het minimum ligt boven het maximum."),
        (
            {"contact_interval_days__client_group__zorg": 0},
            "Contactfrequentie client_group zorg: kies 1 tot 730 dagen.",
        ),
        ({"contact_interval_days__route__participatie": 800}, "kies 1 tot 730 dagen"),
        ({"routes__directe_bemiddeling_max_months": 24}, "Routes: de grens voor directe bemiddeling"),
        ({"rechtmatigheid_months__zorg": 18}, "kies jaarlijks (12) of tweejaarlijks (24)"),
        ({"plan_required": "soms"}, "Plan van aanpak: kies"),
        ({"contact_basis": "postcode"}, "Contactfrequentie: kies of die per klantgroep"),
        ({"stale_diagnosis_months": 0}, "Diagnose verouderd na"),
        ({"route_limit_months__re_integratie": None}, "Maximale duur re-integratie"),
    ],
)
def test_invalid_settings_are_refused_with_dutch_messages(beheerder, steenwijkerland, changes, message):
    before = copy.deepcopy(steenwijkerland.config)
    with pytest.raises(ValidationError) as refused:
        preset_update(user=beheerder, preset=steenwijkerland, config=_edited(steenwijkerland, **changes))
    assert any(message in m for m in refused.value.messages), refused.value.messages
    steenwijkerland.refresh_from_db()
    assert steenwijkerland.config == before


def test_bands_that_do_not_connect_are_refused(beheerder, steenwijkerland):
    config = copy.deepcopy(steenwijkerland.config)
    config["categories"][1]["min"] = 5  # 1A ends at 3, so 1B must start at 4
    with pytest.raises(ValidationError, match="1B sluit niet aan"):
        preset_update(user=beheerder, preset=steenwijkerland, config=config)


def test_valid_update_is_stored_and_audited(beheerder, steenwijkerland):
    config = _edited(steenwijkerland, contact_interval_days__client_group__zorg=120, caseload__max=85)
    preset_update(user=beheerder, preset=steenwijkerland, config=config)
    steenwijkerland.refresh_from_db()
    assert steenwijkerland.config["contact_interval_days"]["client_group"]["zorg"] == 120
    assert steenwijkerland.updated_by == beheerder
    audit = AuditEvent.objects.get(object_type="policy_preset", object_id="steenwijkerland")
    assert (audit.event, audit.details) == (
        "preset_updated",
        {"onderdelen": ["caseload", "contact_interval_days"]},
    )


@pytest.mark.parametrize("role", [Role.TEAMLEIDER, Role.CONSULENT_WERK, Role.BELEID])
def test_only_the_beheerder_edits_or_activates(steenwijkerland, role):
    user = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        preset_update(user=user, preset=steenwijkerland, config=steenwijkerland.config)
    with pytest.raises(PermissionDenied):
        preset_activate(user=user, preset=steenwijkerland)
    assert PolicyPreset.objects.get(active=True).key == "leidschendam_voorburg"


def test_activation_leaves_exactly_one_active(beheerder, steenwijkerland):
    preset_activate(user=beheerder, preset=steenwijkerland)
    assert list(PolicyPreset.objects.filter(active=True).values_list("key", flat=True)) == ["steenwijkerland"]
    preset_activate(user=beheerder, preset=PolicyPreset.objects.get(key="hof_van_twente"))
    assert list(PolicyPreset.objects.filter(active=True).values_list("key", flat=True)) == ["hof_van_twente"]


def test_form_round_trip_keeps_the_settings(steenwijkerland):
    form = PresetForm(preset=steenwijkerland)
    data = {name: form[name].value() for name in form.fields}
    bound = PresetForm(data, preset=steenwijkerland)
    assert bound.is_valid(), bound.errors
    assert bound.config() == steenwijkerland.config


def test_beheerder_edits_through_the_page(client, beheerder, steenwijkerland):
    client.force_login(beheerder)
    url = reverse("casework:preset_edit", kwargs={"key": "steenwijkerland"})
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}

    data.update(caseload_min=100, caseload_max=90)
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Caseload: het minimum ligt boven het maximum." in refused.content.decode()

    data.update(caseload_min=60, caseload_max=80, interval_client_group_direct_werk=7, rechtmatigheid_zorg=12)
    assert client.post(url, data).status_code == 302
    steenwijkerland.refresh_from_db()
    assert steenwijkerland.config["caseload"] == {"min": 60, "max": 80}
    assert steenwijkerland.config["contact_interval_days"]["client_group"]["direct_werk"] == 7
    assert steenwijkerland.config["rechtmatigheid_months"]["zorg"] == 12

    assert (
        client.post(reverse("casework:preset_activate", kwargs={"key": "steenwijkerland"})).status_code == 302
    )
    assert PolicyPreset.objects.get(active=True).key == "steenwijkerland"
    assert client.get(reverse("casework:preset_list")).status_code == 200


@pytest.mark.parametrize("role", [Role.TEAMLEIDER, Role.CONSULENT_WERK, Role.INWONER, Role.PRIVACY])
def test_preset_pages_are_for_the_beheerder_only(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("casework:preset_list")).status_code == 403
    assert client.get(reverse("casework:preset_edit", kwargs={"key": "steenwijkerland"})).status_code == 403
    assert (
        client.post(reverse("casework:preset_activate", kwargs={"key": "steenwijkerland"})).status_code == 403
    )
    assert PolicyPreset.objects.get(active=True).key == "leidschendam_voorburg"
