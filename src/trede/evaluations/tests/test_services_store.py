"""Storing effect runs: from a small generated city (engine end to end) and by hand."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.core.management import call_command

from trede.audit.models import AuditEvent
from trede.evaluations.models import EffectEstimate, EffectRun
from trede.evaluations.selectors import latest_effect_for_instrument
from trede.evaluations.services import EffectsUnavailable, effects_run_store
from trede.instruments.models import Instrument

END = date(2026, 1, 1)


def make_run(horizon=12, **kwargs) -> EffectRun:
    defaults = dict(
        horizon_months=horizon,
        first_start_month="2021-01",
        last_start_month="2024-12",
        data_until=END,
        method="aipw",
        n_instruments=2,
        duration_seconds=1.0,
    )
    defaults.update(kwargs)
    return EffectRun.objects.create(**defaults)


def test_latest_effect_for_instrument_reads_the_newest_run(db):
    inst = Instrument.objects.update_or_create(
        instrument_code="WEP", defaults={"name": "Werkervaringsplaats"}
    )[0]
    old = make_run()
    new = make_run()
    for run, value in ((old, 0.01), (new, 0.04)):
        EffectEstimate.objects.create(
            run=run,
            instrument=inst,
            instrument_code="WEP",
            estimate=value,
            ci_low=0.0,
            ci_high=0.08,
            n_treated=50,
        )
        EffectEstimate.objects.create(
            run=run, instrument=inst, instrument_code="WEP", dimension="age_band", level="21-30", estimate=0.2
        )
    other = make_run(horizon=24)
    EffectEstimate.objects.create(run=other, instrument_code="WEP", estimate=0.09, n_treated=50)
    found = latest_effect_for_instrument("WEP")
    assert found.run == new and found.estimate == pytest.approx(0.04) and found.dimension == ""
    assert latest_effect_for_instrument("WEP", horizon=24).estimate == pytest.approx(0.09)
    assert latest_effect_for_instrument("ONBEKEND") is None


def test_no_starts_stores_nothing(db):
    with pytest.raises(EffectsUnavailable):
        effects_run_store(user=None, horizon=12, until=END)
    assert not EffectRun.objects.exists()


@pytest.fixture
def small_city(db, tmp_path):
    from trede.interchange.services import import_folder
    from trede.synthetic.generator import generate

    folder = tmp_path / "stad"
    folder.mkdir()
    generate(folder, clients=1500, years=5, seed=7, end_date=END)
    import_folder(folder)
    return folder


@pytest.mark.slow
def test_store_a_run_from_a_generated_city(small_city, capsys, client):
    clock = time.perf_counter()
    call_command("effects_store", "--horizon", "12", "--until", END.isoformat(), "--no-progress")
    assert "Opgeslagen" in capsys.readouterr().out
    run = EffectRun.objects.get()
    assert run.horizon_months == 12 and run.data_until == END and run.n_instruments > 0
    overall = EffectEstimate.objects.filter(run=run, dimension="")
    assert overall.count() == run.n_instruments
    estimated = [e for e in overall if e.estimate is not None]
    assert estimated, "at least one instrument has enough starts"
    for e in estimated:
        assert e.ci_low <= e.estimate <= e.ci_high
        assert e.instrument_id == e.instrument_code
        assert {"overlap", "balance", "sensitivity"} <= set(e.diagnostics)
    dims = set(EffectEstimate.objects.filter(run=run).values_list("dimension", flat=True))
    assert {"age_band", "duration_band", "ladder_step", "client_group", "statushouder"} <= dims
    (event,) = AuditEvent.objects.filter(object_type="effect_run")
    assert event.client_id == "" and event.details["instrumenten"] == run.n_instruments
    assert event.event == "effects_run_stored"
    assert time.perf_counter() - clock < 60
    # The pages render the stored figures and explain the diagnostics.
    from django.urls import reverse

    from trede.accounts.models import Role, User

    client.force_login(User.objects.create_user(username="beleid", password="x", role=Role.BELEID))
    assert client.get(reverse("evaluations:index")).status_code == 200
    best = max(estimated, key=lambda e: e.n_treated)
    page = client.get(reverse("evaluations:instrument", args=[best.instrument_code])).content.decode()
    assert "E-waarde" in page and "Overlap" in page and "Balans" in page
