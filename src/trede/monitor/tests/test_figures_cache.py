"""The monitor's figures cache (decision 98): served from the cache while benefits, clients
and diagnoses are unchanged, recomputed after any change to them, however it was made (the
ORM, raw SQL, a deletion), and never stale after a migration rebuilt a table on SQLite.

These tests need committed data (the cache is bypassed inside a transaction), so they use
`transactional_db`."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from trede.benefits.models import Benefit
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import DiagnosisFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor import figures_cache
from trede.monitor.dashboard.selectors import dashboard_figures

pytestmark = pytest.mark.django_db(transaction=True)

VIEW = {
    "date_from": date(2020, 1, 1),
    "date_to": date(2021, 1, 1),
    "granularity": "quarter",
    "regulations": ["pw"],
}


@pytest.fixture(autouse=True)
def counter():
    """The counter's row as the migration leaves it (a flush by an earlier test keeps the
    table, which has no model, but this makes the test independent of that) and an empty
    cache."""
    figures_cache.install()
    cache.clear()
    yield
    cache.clear()


def last_stock(figures: dict) -> int:
    return figures["stock"][-1]["stock"]


def add_benefit_with_raw_sql(client_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO benefits_benefit (benefit_id, client_id, regulation, start_date, end_date, end_reason)"
            " VALUES (%s, %s, 'pw', %s, NULL, '')",
            [f"RAW-{client_id}", client_id, date(2019, 6, 1)],
        )


def test_a_second_call_reads_only_the_counter():
    BenefitFactory(start_date=date(2019, 1, 1))
    first = dashboard_figures(**VIEW)
    with CaptureQueriesContext(connection) as queries:
        second = dashboard_figures(**VIEW)
    assert second == first
    assert len(queries) == 1 and "monitor_figuresversion" in queries[0]["sql"]


def test_any_change_to_the_three_tables_raises_the_counter():
    client = ClientFactory()
    seen = [figures_cache.figures_version()]

    def changed() -> bool:
        seen.append(figures_cache.figures_version())
        return seen[-1] > seen[-2]

    BenefitFactory(client=client)
    assert changed()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE clients_client SET statushouder = %s WHERE client_id = %s", [True, client.client_id]
        )
    assert changed()
    DiagnosisFactory(client=client)
    assert changed()
    client.diagnoses.all().delete()
    assert changed()
    Benefit.objects.filter(client=client).update(end_date=date(2024, 1, 1), end_reason="werk")
    assert changed()
    # A change elsewhere (here: the counter's own neighbours in the monitor) does not.
    from trede.monitor.models import ForecastScenario

    ForecastScenario.objects.create(code="test", name="Test", inflow_multiplier=1, outflow_multiplier=1)
    assert not changed()
    # A policy preset does: the ladder target's groups are read from it.
    from trede.casework.policy.models import PolicyPreset
    from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS

    PolicyPreset.objects.create(key="test", name="Test", config=PRESETS[DEFAULT_PRESET]["config"])
    assert changed()


def test_the_figures_follow_a_change_made_with_raw_sql_and_the_orm():
    client = ClientFactory()
    BenefitFactory(client=client, start_date=date(2019, 1, 1))
    assert last_stock(dashboard_figures(**VIEW)) == 1
    add_benefit_with_raw_sql(ClientFactory().client_id)
    assert last_stock(dashboard_figures(**VIEW)) == 2
    Benefit.objects.filter(client=client).update(end_date=date(2019, 6, 1), end_reason="werk")
    assert last_stock(dashboard_figures(**VIEW)) == 1
    ClientFactory(statushouder=True)  # no benefit: same figures, but recomputed
    assert last_stock(dashboard_figures(**VIEW | {"group": "statushouder"})) == 0


def test_inside_a_transaction_its_own_changes_count():
    BenefitFactory(start_date=date(2019, 1, 1))
    assert last_stock(dashboard_figures(**VIEW)) == 1
    with transaction.atomic():
        add_benefit_with_raw_sql(ClientFactory().client_id)
        assert last_stock(dashboard_figures(**VIEW)) == 2
        transaction.set_rollback(True)
    assert last_stock(dashboard_figures(**VIEW)) == 1


def test_without_the_counter_the_figures_are_computed_each_time():
    BenefitFactory(start_date=date(2019, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitor_figuresversion")
    assert figures_cache.figures_version() is None
    assert last_stock(dashboard_figures(**VIEW)) == 1
    add_benefit_with_raw_sql(ClientFactory().client_id)
    assert last_stock(dashboard_figures(**VIEW)) == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite drops triggers on a table rebuild")
def test_migrate_recreates_triggers_a_table_rebuild_dropped():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER benefits_benefit_figures_insert")
    client = ClientFactory()
    before = figures_cache.figures_version()
    BenefitFactory(client=client)
    assert figures_cache.figures_version() == before  # the gap a rebuild would leave
    call_command("migrate", verbosity=0)
    BenefitFactory(client=client)
    assert figures_cache.figures_version() > before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred trigger and TRUNCATE")
def test_on_postgresql_one_transaction_raises_the_counter_once_at_commit():
    before = figures_cache.figures_version()
    with transaction.atomic():
        for _ in range(5):
            BenefitFactory()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version FROM monitor_figuresversion")
            assert cursor.fetchone()[0] == before  # deferred to the commit
    assert figures_cache.figures_version() == before + 1
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE casework_diagnosis CASCADE")
    assert figures_cache.figures_version() == before + 2
