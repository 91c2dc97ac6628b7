"""Two people, one plan or one preset: the later save is refused on an accessible page that
says what changed, and nothing is overwritten (issue 7, point 5)."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from trede.accounts.models import Role, User
from trede.casework.plans.models import Plan
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import PRESETS

from .axe import axe_violations
from .conftest import E2E
from .world import PASSWORD

pytestmark = E2E


def _revise(page, goals: str):
    soon = (timezone.localdate() + timedelta(days=60)).isoformat()
    page.get_by_label("Doelen").fill(goals)
    page.get_by_label("Afspraak 1: uiterlijk").fill(soon)
    page.get_by_role("button", name="Plan opslaan als concept").click()


def test_a_revision_over_a_colleagues_version_is_refused(world, live_server, new_page, login):
    url = live_server.url + "/werk/klanten/KA0001/plan/nieuw/"
    mine, theirs = login(new_page(), "sanne"), login(new_page(), "sanne")
    for page in (mine, theirs):
        page.goto(url)
        expect(page.get_by_role("heading", name="Nieuwe versie van het plan van aanpak")).to_be_visible()
    _revise(theirs, "Werk in de logistiek, met heftruckcertificaat.")
    expect(theirs.get_by_role("heading", name="Versie 2 wacht op akkoord")).to_be_visible()

    _revise(mine, "Eerst de taalcursus, dan werk.")
    alert = mine.get_by_role("alert")
    expect(alert).to_contain_text("Iemand anders heeft het plan van aanpak van deze klant gewijzigd")
    expect(alert).to_contain_text("Versie 2: (er was nog geen) → concept")
    expect(alert).not_to_contain_text("Versie 1")  # the signed plan itself is unchanged
    expect(mine.get_by_label("Doelen")).to_have_value("Eerst de taalcursus, dan werk.")
    assert axe_violations(mine) == []
    assert list(
        Plan.objects.filter(client_id="KA0001").order_by("version").values_list("goals", flat=True)
    ) == [
        "Binnen een jaar betaald werk in de logistiek.",
        "Werk in de logistiek, met heftruckcertificaat.",
    ]


def test_a_preset_save_over_a_colleagues_save_is_refused(world, live_server, new_page, login):
    for name in ("beheer_a", "beheer_b"):
        User.objects.create_user(username=name, password=PASSWORD, role=Role.BEHEERDER, first_name=name)
    shipped = PRESETS["steenwijkerland"]  # the migration's rows are flushed in e2e runs
    preset, _ = PolicyPreset.objects.get_or_create(
        key="steenwijkerland", defaults={"name": shipped["name"], "config": copy.deepcopy(shipped["config"])}
    )
    url = f"{live_server.url}/werk/beleid/{preset.key}/"
    mine, theirs = login(new_page(), "beheer_a"), login(new_page(), "beheer_b")
    for page in (mine, theirs):
        page.goto(url)
    theirs.get_by_label("Caseload maximaal").fill("95")
    theirs.get_by_role("button", name="Instellingen opslaan").click()
    expect(theirs.get_by_role("status").first).to_contain_text("opgeslagen")

    mine.get_by_label("Nazorg na einde uitkering (dagen)").fill("200")
    mine.get_by_role("button", name="Instellingen opslaan").click()
    alert = mine.get_by_role("alert")
    expect(alert).to_contain_text("Iemand anders heeft deze beleidsinstelling gewijzigd")
    expect(alert).to_contain_text("Caseload maximaal: 90 → 95")
    assert axe_violations(mine) == []
    preset.refresh_from_db()
    assert (preset.config["caseload"]["max"], preset.config["nazorg_days"]) == (95, 365)
