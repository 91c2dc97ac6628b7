"""Two beheerders editing one preset: the later save over the earlier is refused, named by
the settings' Dutch labels (issue 7, point 5); the preset's audit rows (point 4)."""

import copy
import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.policy import services as preset_services
from trede.casework.policy.forms import PresetForm
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import PRESETS
from trede.casework.policy.services import preset_activate, preset_edit_token, preset_update
from trede.casework.tests.factories_plans import UserFactory
from trede.utils.concurrency import StaleEditError

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder():
    return UserFactory(role=Role.BEHEERDER)


@pytest.fixture
def preset():
    # A transactional test runs after others have flushed the migration's presets away.
    shipped = PRESETS["steenwijkerland"]
    return PolicyPreset.objects.get_or_create(
        key="steenwijkerland", defaults={"name": shipped["name"], "config": copy.deepcopy(shipped["config"])}
    )[0]


def _with(preset, **changes):
    config = copy.deepcopy(preset.config)
    for path, value in changes.items():
        target = config
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[key]
        target[leaf] = value
    return config


def _page_data(client, url):
    form = client.get(url).context["form"]
    return {name: form[name].value() for name in form.fields}


def test_a_save_over_a_colleagues_newer_save_is_refused_and_lists_the_settings(beheerder, preset):
    mine = preset_edit_token(preset)
    preset_update(
        user=beheerder,
        preset=preset,
        config=_with(
            preset, caseload__max=85, contact_interval_days__client_group__zorg=120, contact_basis="route"
        ),
        edit_token=preset_edit_token(preset),
    )
    with pytest.raises(StaleEditError) as refused:
        preset_update(user=beheerder, preset=preset, config=_with(preset, nazorg_days=200), edit_token=mine)
    changes = [str(change) for change in refused.value.changes]
    assert changes == [
        "Contactfrequentie geldt: per klantgroep (Steenwijkerland) → per route (Leidschendam-Voorburg)",
        "Caseload maximaal: 90 → 85",
        "Contactfrequentie per klantgroep, zorg: 182 → 120",
    ]
    assert "Iemand anders heeft deze beleidsinstelling gewijzigd" in refused.value.messages[0]
    preset.refresh_from_db()
    assert (preset.config["nazorg_days"], preset.config["caseload"]["max"], preset.lock_version) == (
        365,
        85,
        1,
    )


def test_two_beheerders_on_the_edit_page_the_second_gets_409_and_can_then_save(client, beheerder, preset):
    url = reverse("casework:preset_edit", kwargs={"key": preset.key})
    client.force_login(beheerder)
    first, second = _page_data(client, url), _page_data(client, url)
    assert client.post(url, dict(first, caseload_max=80)).status_code == 302
    refused = client.post(url, dict(second, no_show_days=10))
    assert refused.status_code == 409
    html = re.sub(r"\s+", " ", refused.content.decode())
    assert "Iemand anders heeft deze beleidsinstelling gewijzigd nadat u de pagina opende" in html
    assert "Caseload maximaal: 90 → 80" in html
    preset.refresh_from_db()
    assert (preset.config["caseload"]["max"], preset.config["no_show_days"]) == (80, 28)
    # The page shows the beheerder's own values with the stored version: saving again lands
    # (a choice made knowing what changed).
    again = {name: refused.context["form"][name].value() for name in refused.context["form"].fields}
    assert again["no_show_days"] in (10, "10")
    assert client.post(url, again).status_code == 302
    preset.refresh_from_db()
    assert preset.config["no_show_days"] == 10


def test_an_edit_without_a_valid_token_writes_nothing(client, beheerder, preset):
    url = reverse("casework:preset_edit", kwargs={"key": preset.key})
    client.force_login(beheerder)
    data = _page_data(client, url)
    for token in (
        "",
        data["edit_token"][:-4] + "abcd",
        preset_edit_token(PolicyPreset.objects.get(key="hof_van_twente")),
    ):
        response = client.post(url, dict(data, edit_token=token, caseload_max=80))
        assert response.status_code == 400 and "Open de pagina opnieuw" in response.content.decode()
    preset.refresh_from_db()
    assert (preset.config["caseload"]["max"], preset.lock_version) == (90, 0)


def test_activation_keeps_an_open_edit_valid(client, beheerder, preset):
    """Taking a preset into use changes none of its settings, so an edit in progress lands."""
    url = reverse("casework:preset_edit", kwargs={"key": preset.key})
    client.force_login(beheerder)
    data = _page_data(client, url)
    preset_activate(user=beheerder, preset=preset)
    assert client.post(url, dict(data, caseload_max=80)).status_code == 302


def test_every_setting_on_the_form_is_in_the_snapshot_with_a_dutch_label(preset):
    from trede.casework.policy.forms import settings_shown

    shown = settings_shown(preset)
    assert set(shown) == set(PresetForm(preset=preset).fields) - {"edit_token"}
    assert shown["band_1A_max"] == ("Categorie 1A tot en met (maanden)", "3")
    assert shown["rechtmatigheid_zorg"][1] == "tweejaarlijks"
    assert all(label and "_" not in label for label, _value in shown.values())


def test_preset_events_are_readable_and_hold_codes_only(beheerder, preset):
    preset_update(user=beheerder, preset=preset, config=_with(preset, caseload__max=85, nazorg_days=200))
    preset_activate(user=beheerder, preset=preset)
    updated, activated = AuditEvent.objects.filter(object_type="policy_preset").order_by("id")
    assert (updated.event, updated.details) == ("preset_updated", {"onderdelen": ["caseload", "nazorg_days"]})
    assert (
        describe(updated)
        == "Beleidsinstelling steenwijkerland gewijzigd: caseloadnorm, nazorg na einde uitkering."
    )
    assert (activated.event, activated.details) == ("preset_activated", {"vorige": ["leidschendam_voorburg"]})
    assert describe(activated) == (
        "Beleidsinstelling steenwijkerland in gebruik genomen; daarvoor in gebruik: leidschendam_voorburg."
    )


def test_policy_services_write_audit_only_through_logevent():
    source = Path(preset_services.__file__).read_text()
    assert "audit_record" not in source and "audit.services" not in source


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_on_one_version_one_lands(beheerder, preset):
    if connection.vendor == "sqlite":
        pytest.skip("threads need a database server; SQLite's in-memory test database is per connection")
    token = preset_edit_token(preset)
    outcomes, barrier = [], threading.Barrier(2)

    def save(maximum):
        from django.db import connections

        try:
            barrier.wait()
            preset_update(
                user=beheerder, preset=preset, config=_with(preset, caseload__max=maximum), edit_token=token
            )
            outcomes.append("landed")
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(m,)) for m in (80, 85)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["landed", "refused"]
    preset.refresh_from_db()
    assert preset.lock_version == 1 and preset.config["caseload"]["max"] in (80, 85)
    assert AuditEvent.objects.filter(event="preset_updated").count() == 1
