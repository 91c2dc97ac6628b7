"""`trede bench_caseload`: measures, reports and leaves nothing behind."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trede.accounts.models import User
from trede.audit.models import AuditEvent
from trede.clients.management.commands.bench_caseload import percentile
from trede.clients.models import Client


def test_percentile_nearest_rank():
    values = [float(v) for v in range(1, 201)]
    assert percentile(values, 95) == 190.0
    assert percentile(values, 50) == 100.0
    assert percentile([7.0], 95) == 7.0


@pytest.mark.django_db
def test_bench_reports_and_rolls_back():
    out = io.StringIO()
    call_command("bench_caseload", clients=8, repeat=5, warmup=1, background=20, limit=10_000, stdout=out)
    text = out.getvalue()
    assert "8 klanten (+ 20 van andere consulenten), 5 keer per pagina" in text
    assert "Mijn klanten: GET /klanten/\n" in text
    assert "Werklijst: GET /werk/werklijst/\n" in text
    assert "Klantdossier: GET /klanten/BENCH-" in text
    assert "regels op de pagina:   8" in text
    for label in ("p50", "p95", "max", "queries per verzoek", "CPU van dit proces"):
        assert sum(line.startswith(f"  {label}") for line in text.splitlines()) == 3
    # On PostgreSQL on this machine the database's own CPU is read too.
    assert text.count("CPU van PostgreSQL") == (3 if connection.vendor == "postgresql" else 0)
    assert "gehaald" in text
    assert Client.objects.count() == 0
    assert User.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_bench_fails_above_the_limit():
    with pytest.raises(CommandError, match="niet onder de grens") as error:
        call_command("bench_caseload", clients=2, repeat=2, warmup=0, limit=0.001, stdout=io.StringIO())
    assert error.value.returncode == 1
    assert Client.objects.count() == 0


@pytest.mark.django_db
def test_bench_measures_the_page_when_two_factor_is_required(settings):
    """In production the second login step is required: the bench must measure the page
    itself (it refuses when a request does not answer 200), not the redirect to the code."""
    settings.TREDE_2FA_REQUIRED = True
    out = io.StringIO()
    call_command("bench_caseload", clients=3, repeat=3, warmup=1, limit=10_000, stdout=out)
    assert "regels op de pagina:   3" in out.getvalue()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_bench_measures_the_chosen_pages_only():
    out = io.StringIO()
    call_command("bench_caseload", clients=2, repeat=2, warmup=0, pages="dossier", limit=10_000, stdout=out)
    text = out.getvalue()
    assert "Klantdossier" in text and "Werklijst" not in text and "Mijn klanten" not in text


@pytest.mark.django_db
def test_bench_refuses_an_unknown_page():
    with pytest.raises(CommandError, match="onbekende pagina: agenda") as error:
        call_command("bench_caseload", clients=2, repeat=2, pages="agenda", stdout=io.StringIO())
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_bench_fails_above_the_cpu_limit():
    with pytest.raises(CommandError, match="CPU .* boven de grens") as error:
        call_command(
            "bench_caseload", clients=2, repeat=2, warmup=0, cpu_limit=0.0, limit=10_000, stdout=io.StringIO()
        )
    assert error.value.returncode == 1
    assert Client.objects.count() == 0
