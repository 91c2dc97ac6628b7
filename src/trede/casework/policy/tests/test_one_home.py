"""Every routing and service-level threshold is read from the policy preset.

Each test changes one setting of the preset and checks that the outcome changes with it:
the classification, the diagnosis tool's target step, the worklist and "Mijn klanten".
"""

import copy
from datetime import date, timedelta

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from trede.casework.classification import client_group
from trede.casework.contacts.selectors import worklist_for
from trede.casework.intake.scoring import ladder_target_for
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.rules import classify, plan_required
from trede.casework.policy.selectors import active_policy
from trede.casework.policy.services import config_problems
from trede.casework.tests.factories import ContactFactory, DiagnosisFactory
from trede.casework.tests.factories_plans import (
    ClientOnBenefitFactory,
    ConsultantUserFactory,
    RouteDecisionFactory,
)
from trede.clients.selectors import caseload_rows
from trede.clients.tests.factories import ClientFactory

TODAY = date(2024, 6, 15)


def config(**changes) -> dict:
    """The default preset's settings with some of them changed (dotted keys for nested ones)."""
    result = copy.deepcopy(PRESETS[DEFAULT_PRESET]["config"])
    for key, value in changes.items():
        target = result
        *path, last = key.split("__")
        for part in path:
            target = target[part]
        target[last] = value
    return result


# --- classification -----------------------------------------------------------------------


@given(
    months=st.integers(0, 120),
    direct=st.integers(0, 30),
    gap=st.integers(1, 60),
    step=st.integers(1, 6),
    zorg_step=st.integers(1, 6),
)
def test_client_group_follows_the_preset_bounds(months, direct, gap, step, zorg_step):
    rules = config(
        client_groups__direct_werk_max_months=direct,
        client_groups__werken_en_ervaren_max_months=direct + gap,
        client_groups__zorg_max_ladder_step=zorg_step,
    )
    group = client_group(months_to_work=months, ladder_step=step, dgr=False, config=rules)
    if months <= direct:
        assert group == "direct_werk"
    elif months <= direct + gap:
        assert group == "werken_en_ervaren"
    else:
        assert group == ("zorg" if step <= zorg_step else "leren_en_ontwikkelen")
    # classify() uses the same bounds.
    assert classify(months_to_work=months, ladder_step=step, dgr=False, config=rules).client_group == group


def test_without_a_preset_the_default_presets_bounds_apply():
    # The generator and the effects engine classify without a database.
    assert client_group(months_to_work=6, ladder_step=3, dgr=False) == "direct_werk"
    assert client_group(months_to_work=7, ladder_step=3, dgr=False) == "werken_en_ervaren"
    assert (
        client_group(
            months_to_work=7, ladder_step=3, dgr=False, config=config(client_groups__direct_werk_max_months=9)
        )
        == "direct_werk"
    )


def test_classify_keeps_what_the_diagnosis_recorded_and_derives_the_rest():
    recorded = classify(
        months_to_work=60,
        ladder_step=2,
        dgr=False,
        config=config(),
        category="1A",
        route="directe_bemiddeling",
        client_group="direct_werk",
    )
    assert (recorded.category, recorded.route, recorded.client_group, recorded.derived) == (
        "1A",
        "directe_bemiddeling",
        "direct_werk",
        False,
    )
    filled = classify(months_to_work=60, ladder_step=2, dgr=False, config=config(), route="re_integratie")
    assert (filled.route, filled.client_group, filled.category, filled.derived) == (
        "re_integratie",
        "zorg",
        "3B",
        True,
    )
    unknown = classify(months_to_work=None, ladder_step=2, dgr=False, config=config(), route="participatie")
    assert (unknown.route, unknown.client_group, unknown.derived) == ("participatie", "", False)


# --- the diagnosis tool's target step -------------------------------------------------------


def test_target_step_bounds_come_from_the_preset():
    default, rule = ladder_target_for(ladder_step=3, months_to_work=10, config=config())
    assert default == 5 and "7 tot 24 maanden" in rule
    wider, rule = ladder_target_for(
        ladder_step=3, months_to_work=10, config=config(ladder_target__work_max_months=12)
    )
    assert wider == 6 and "hooguit 12 maanden" in rule
    hold, _ = ladder_target_for(ladder_step=3, months_to_work=60, config=config())
    assert hold == 4  # below step 4: one step up
    held, _ = ladder_target_for(
        ladder_step=3, months_to_work=60, config=config(ladder_target__hold_from_step=3)
    )
    assert held == 3


# --- plan van aanpak ------------------------------------------------------------------------


@given(age=st.integers(16, 70), under=st.integers(16, 67))
def test_plan_required_under_the_presets_age(age, under):
    rules = config(plan_required_under_age=under)
    assert plan_required(age=age, config=rules) is (age < under)
    assert plan_required(age=age, config={**rules, "plan_required": "everyone"}) is True


# --- the worklist ---------------------------------------------------------------------------


@pytest.fixture
def consultant(db):
    return ConsultantUserFactory()


def _kinds(consultant, rules):
    return {(i.client_id, i.kind) for i in worklist_for(consultant=consultant, today=TODAY, config=rules)}


@pytest.mark.django_db
def test_worklist_plan_age_is_the_presets(consultant):
    thirty = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1994, 1, 1))
    assert (thirty.pk, "plan_missing") not in _kinds(consultant, config())
    items = worklist_for(consultant=consultant, today=TODAY, config=config(plan_required_under_age=35))
    (missing,) = [i for i in items if i.kind == "plan_missing"]
    assert missing.client_id == thirty.pk and "jonger dan 35" in missing.detail


@pytest.mark.django_db
def test_worklist_no_show_window_is_the_presets(consultant):
    client = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    ContactFactory(client=client, date=TODAY - timedelta(days=40), outcome="niet_verschenen")
    assert (client.pk, "no_show") not in _kinds(consultant, config())
    assert (client.pk, "no_show") in _kinds(consultant, config(no_show_contact_days=60))


@pytest.mark.django_db
def test_worklist_contact_interval_follows_the_presets_group_bounds(consultant):
    # An imported diagnosis (no group recorded), 10 months to work, contact 20 days ago.
    client = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    DiagnosisFactory(client=client, date=date(2024, 3, 1), months_to_work=10, ladder_step=4)
    RouteDecisionFactory(client=client, decided_on=date(2024, 3, 1), route="re_integratie", client_group="")
    ContactFactory(client=client, date=TODAY - timedelta(days=20), outcome="gehouden")
    by_group = config(contact_basis="client_group")
    # 10 months: werken en ervaren (28 days), not yet late.
    assert (client.pk, "contact_overdue") not in _kinds(consultant, by_group)
    # Direct werk up to 12 months: every 14 days, so 20 days is late.
    wider = {**by_group, "client_groups": {**by_group["client_groups"], "direct_werk_max_months": 12}}
    assert (client.pk, "contact_overdue") in _kinds(consultant, wider)


# --- "Mijn klanten" -------------------------------------------------------------------------


@pytest.mark.django_db
def test_current_clients_follow_the_presets_nazorg_days(consultant):
    ended = ClientFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    ended.benefits.create(
        benefit_id="UEND1",
        start_date=date(2020, 1, 1),
        end_date=TODAY - timedelta(days=400),
        end_reason="werk",
    )
    user = consultant.user
    assert [r.client_id for r in caseload_rows(user=user, benefit="actueel", today=TODAY)] == []
    preset = PolicyPreset.objects.get(active=True)
    preset.config = {**preset.config, "nazorg_days": 500}
    preset.save()
    assert [r.client_id for r in caseload_rows(user=user, benefit="actueel", today=TODAY)] == [ended.pk]


@pytest.mark.django_db
def test_imported_diagnosis_on_mijn_klanten_follows_the_presets_group_bounds(consultant):
    client = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1980, 1, 1))
    DiagnosisFactory(client=client, date=date(2024, 3, 1), months_to_work=10, ladder_step=4)
    user = consultant.user
    (row,) = caseload_rows(user=user, today=TODAY)
    assert (row.client_group, row.derived) == ("werken_en_ervaren", True)
    preset = PolicyPreset.objects.get(active=True)
    preset.config = {
        **preset.config,
        "client_groups": {**preset.config["client_groups"], "direct_werk_max_months": 12},
    }
    preset.save()
    (row,) = caseload_rows(user=user, today=TODAY)
    assert row.client_group == "direct_werk"


# --- the preset itself ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_active_policy_names_whose_rules_apply_when_none_is_marked():
    PolicyPreset.objects.update(active=False)
    policy = active_policy()
    assert (policy.key, policy.preset) == (DEFAULT_PRESET, None)
    assert policy.config == PRESETS[DEFAULT_PRESET]["config"]
    preset = PolicyPreset.objects.get(key="steenwijkerland")
    preset.active = True
    preset.save()
    assert (active_policy().key, active_policy().preset) == ("steenwijkerland", preset)


@pytest.mark.django_db
def test_stored_presets_from_before_get_the_new_settings_with_the_old_values():
    migration = __import__("trede.casework.migrations.0005_policy_thresholds", fromlist=["add_settings"])
    old = copy.deepcopy(PRESETS[DEFAULT_PRESET]["config"])
    for key in (
        "client_groups",
        "ladder_target",
        "plan_required_under_age",
        "no_show_contact_days",
        "nazorg_days",
    ):
        del old[key]
    PolicyPreset.objects.filter(key=DEFAULT_PRESET).update(config=old)
    migration.add_settings(apps, None)
    stored = PolicyPreset.objects.get(key=DEFAULT_PRESET).config
    assert stored == PRESETS[DEFAULT_PRESET]["config"]
    assert config_problems(stored) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"client_groups__direct_werk_max_months": 30}, "Klantgroepen"),
        ({"ladder_target__step_5_max_months": 2}, "Doeltrede"),
        ({"plan_required_under_age": 12}, "leeftijd"),
        ({"no_show_contact_days": 0}, "Niet verschenen"),
        ({"nazorg_days": 0}, "Nazorg"),
    ],
)
def test_unusable_new_settings_are_refused(change, message):
    assert any(message in problem for problem in config_problems(config(**change)))
