"""The catalogue: filters, 'past bij deze klant' (audited), the contract manager's edits
(edit token, history) and contracts (price model rules, double submit)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.tests.factories import DiagnosisFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.instruments.catalogue import services
from trede.instruments.catalogue.rules import ClientFit, fit_reasons
from trede.instruments.catalogue.selectors import CatalogueFilter, catalogue_rows, client_fit
from trede.instruments.contracts import services as contract_services
from trede.instruments.models import Contract, Instrument
from trede.instruments.tests.factories import ContractFactory, InstrumentFactory, ProviderFactory
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db


def test_fit_reasons_exclude_only_on_known_values():
    wep = Instrument(
        target_routes=["re_integratie"],
        target_groups=[],
        min_dutch_language="b1",
        min_hours_per_week=Decimal("16"),
    )
    assert fit_reasons(wep, ClientFit()) == []
    assert (
        fit_reasons(wep, ClientFit(route="re_integratie", dutch_language="b2", hours_available=Decimal("24")))
        == []
    )
    reasons = fit_reasons(
        wep, ClientFit(route="participatie", dutch_language="a2", hours_available=Decimal("8"))
    )
    assert reasons == ["niet voor deze route", "vraagt Nederlands op niveau B1", "vraagt 16 uur per week"]
    # "onbekend" is no level: it excludes nothing.
    assert fit_reasons(wep, ClientFit(dutch_language="onbekend")) == []


def test_catalogue_rows_filter_by_route_and_show_running_contracts():
    today = date(2026, 6, 1)
    wep = InstrumentFactory(instrument_code="WEP", target_routes=["re_integratie"])
    InstrumentFactory(instrument_code="SA", target_routes=["participatie"])
    InstrumentFactory(instrument_code="OUD", active=False)
    running = ContractFactory(instruments=[wep], start_date=date(2026, 1, 1))
    ContractFactory(instruments=[wep], start_date=date(2020, 1, 1), end_date=date(2021, 1, 1))
    rows = catalogue_rows(CatalogueFilter(route="re_integratie"), on=today)
    assert [r.instrument.pk for r in rows] == ["WEP"]
    assert rows[0].contracts == [running]
    assert {r.instrument.pk for r in catalogue_rows(CatalogueFilter(), on=today)} == {"WEP", "SA"}


def test_client_fit_from_diagnosis_and_file():
    client = ClientFactory(dutch_language="a2")
    DiagnosisFactory(
        client=client, route="participatie", client_group="zorg", date=date.today() - timedelta(days=3)
    )
    fit = client_fit(client)
    assert (fit.route, fit.client_group, fit.dutch_language) == ("participatie", "zorg", "a2")


def test_fits_client_page_is_audited_and_filters(client):
    from trede.tests_e2e.world import build_world

    world = build_world()
    InstrumentFactory(instrument_code="SA", name="Sociale activering", target_routes=["participatie"])
    client.force_login(world.user("sanne"))
    page = client.get(reverse("instruments:catalogue_for_client", args=["KA0001"]))
    assert page.status_code == 200
    html = page.content.decode()
    # A's diagnosis routes to re-integratie: the WEP suits, social activation does not.
    assert "Werkervaringsplaats" in html and "niet voor deze route" in html
    assert AuditEvent.objects.filter(client_id="KA0001", event="catalogue_client_fit_read").count() == 1


def test_instrument_edit_refuses_a_stale_token_and_keeps_history():
    manager = UserFactory(role=Role.CONTRACTMANAGER)
    wep = InstrumentFactory(instrument_code="WEP")
    token = services.instrument_edit_token(wep)
    values = {
        "name": "Werkervaringsplaats",
        "goal": "Nieuw doel",
        "success_kind": "taalniveau",
        "success_language_level": "b1",
    }
    services.instrument_update(user=manager, instrument=wep, token=token, values=values)
    wep.refresh_from_db()
    assert wep.goal == "Nieuw doel" and wep.success_criterion == "taalniveau B1 of hoger"
    with pytest.raises(StaleEditError) as stale:
        services.instrument_update(user=manager, instrument=wep, token=token, values={"goal": "Ander doel"})
    assert "Doel" in str(stale.value)
    wep.refresh_from_db()
    assert wep.goal == "Nieuw doel"
    assert wep.history.count() == 2  # created, then the one edit
    assert AuditEvent.objects.filter(event="instrument_saved", object_id="WEP").count() == 1


def test_instrument_criterion_needs_what_judges_it():
    manager = UserFactory(role=Role.CONTRACTMANAGER)
    with pytest.raises(ValidationError) as error:
        services.instrument_create(user=manager, code="X", values={"success_kind": "werkuren"})
    assert set(error.value.error_dict) == {"success_hours_per_week", "success_months"}
    assert not Instrument.objects.filter(pk="X").exists()


def test_only_the_contract_manager_edits():
    consultant = UserFactory(role=Role.CONSULENT_WERK)
    with pytest.raises(PermissionDenied):
        services.instrument_create(user=consultant, code="X", values={})


def _contract_values(**overrides):
    values = {
        "reference": "C-1",
        "provider": ProviderFactory(),
        "instruments": [InstrumentFactory()],
        "start_date": date(2026, 1, 1),
        "end_date": None,
        "price_model": "per_maand",
        "trajectory_fee_eur": None,
        "instalment_eur": Decimal("350"),
        "instalments": 6,
        "result_fee_eur": None,
        "repayment": "geen",
        "repayment_eur": None,
        "repayment_pct": None,
        "funding": "reintegratiebudget",
        "budget_line": "trajecten",
        "volume_ceiling": 20,
        "money_ceiling_eur": Decimal("50000"),
        "note": "",
    }
    return values | overrides


def test_contract_price_model_decides_the_amounts():
    manager = UserFactory(role=Role.CONTRACTMANAGER)
    with pytest.raises(ValidationError) as error:
        contract_services.contract_create(
            user=manager, values=_contract_values(result_fee_eur=Decimal("900"))
        )
    assert "price_model" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        contract_services.contract_create(user=manager, values=_contract_values(price_model="gemengd"))
    assert "minstens twee" in str(error.value)
    assert not Contract.objects.exists()


def test_contract_double_submit_makes_one_and_edit_is_locked():
    manager = UserFactory(role=Role.CONTRACTMANAGER)
    key = new_submission_key()
    values = _contract_values()
    first = contract_services.contract_create(user=manager, values=dict(values), submission_key=key)
    second = contract_services.contract_create(user=manager, values=dict(values), submission_key=key)
    assert first.pk == second.pk and Contract.objects.count() == 1
    token = contract_services.contract_edit_token(first)
    contract_services.contract_update(
        user=manager, contract=first, token=token, values=values | {"volume_ceiling": 30}
    )
    with pytest.raises(StaleEditError):
        contract_services.contract_update(
            user=manager, contract=first, token=token, values=values | {"volume_ceiling": 40}
        )
    first.refresh_from_db()
    assert first.volume_ceiling == 30 and first.history.count() == 2


def test_catalogue_pages_render(client):
    from trede.tests_e2e.world import build_world

    world = build_world()
    client.force_login(world.user("contractmanager"))
    listing = client.get(reverse("instruments:catalogue"))
    assert listing.status_code == 200 and "Werkbedrijf Noord" in listing.content.decode()
    detail = client.get(reverse("instruments:instrument", args=["WEP"])).content.decode()
    assert "werk ≥ 20 uur per week gedurende ≥ 6 maanden" in detail and "C-2023-P1-WEP" in detail
    edit = client.get(reverse("instruments:instrument_edit", args=["WEP"]))
    assert edit.status_code == 200
    form = client.get(reverse("instruments:contract_edit", args=[world.extra["contract"].pk]))
    assert form.status_code == 200
    # A consultant sees the providers but not the contract's prices.
    client.force_login(world.user("sanne"))
    detail = client.get(reverse("instruments:instrument", args=["WEP"])).content.decode()
    assert "Werkbedrijf Noord" in detail and "C-2023-P1-WEP" not in detail


def test_instrument_edit_page_posts(client):
    from trede.tests_e2e.world import build_world

    world = build_world()
    client.force_login(world.user("contractmanager"))
    wep = Instrument.objects.get(pk="WEP")
    data = {
        "token": services.instrument_edit_token(wep),
        "name": "Werkervaringsplaats",
        "type": "werkervaringsplaats",
        "goal": "Anders",
        "success_kind": "werkuren",
        "success_hours_per_week": "24",
        "success_months": "6",
        "active": "on",
    }
    response = client.post(reverse("instruments:instrument_edit", args=["WEP"]), data)
    assert response.status_code == 302
    wep.refresh_from_db()
    assert wep.goal == "Anders" and wep.success_hours_per_week == Decimal("24")
    again = client.post(reverse("instruments:instrument_edit", args=["WEP"]), data | {"goal": "Nog anders"})
    assert again.status_code == 409 and "Iemand anders" in again.content.decode()


def test_catalogue_filters_on_language_and_hours(client):
    from trede.tests_e2e.world import build_world

    world = build_world()
    InstrumentFactory(
        instrument_code="TS", name="Taalstage", min_dutch_language="a2", min_hours_per_week=Decimal("12")
    )
    client.force_login(world.user("sanne"))
    page = client.get(reverse("instruments:catalogue"), {"taal": "a1", "uren": "8"}).content.decode()
    assert "vraagt Nederlands op niveau A2; vraagt 12 uur per week" in page
    page = client.get(reverse("instruments:catalogue"), {"taal": "b1", "uren": "16"}).content.decode()
    assert "vraagt Nederlands" not in page and "Taalstage" in page
