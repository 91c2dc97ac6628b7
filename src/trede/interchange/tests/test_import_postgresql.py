"""The import's bulk load on PostgreSQL (decisions 180-182): foreign keys checked once per
table and the figures cache's trigger off during the load, all inside the import's one
transaction. Afterwards the database is exactly as Django made it; a bad reference is still
a row-level refusal that leaves nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trede.benefits.models import Benefit
from trede.clients.models import Client
from trede.interchange import bulk, services
from trede.interchange.models import ImportRun
from trede.interchange.services import ImportRefused, import_folder
from trede.interchange.tests.test_import import BENEFITS, good_files, with_row
from trede.monitor import figures_cache

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bulk load")


def foreign_key_definitions() -> set[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        )
        return set(cursor.fetchall())


def figures_triggers() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgname LIKE '%%_figures_changed'")
        return dict(cursor.fetchall())


def bad_reference() -> dict:
    return good_files(**{"benefits.csv": with_row(BENEFITS, 0, client_id="C9")})


def test_worth_checking_once():
    assert bulk.worth_checking_once(5, 0)  # an empty table
    assert bulk.worth_checking_once(100, 900)  # a tenth of the rows after the load
    assert not bulk.worth_checking_once(99, 901)
    assert not bulk.worth_checking_once(0, 0)


@postgresql_only
def test_the_foreign_keys_are_dropped_for_the_load_and_back_identical(interchange_folder):
    before = foreign_key_definitions()
    with CaptureQueriesContext(connection) as queries:
        import_folder(interchange_folder(good_files()))
    statements = [q["sql"] for q in queries.captured_queries]
    dropped = [s for s in statements if "DROP CONSTRAINT" in s]
    added = [s for s in statements if "ADD CONSTRAINT" in s]
    assert any("benefits_benefit" in s for s in dropped) and len(dropped) == len(added)
    # Only keys to tables the import writes: never the users table (every request reads it).
    assert not any("accounts_user" in s for s in added)
    assert all("DEFERRABLE INITIALLY DEFERRED" in s for s in added)
    assert foreign_key_definitions() == before
    assert Benefit.objects.count() == 2


@postgresql_only
def test_a_table_without_new_rows_keeps_its_per_row_checks(interchange_folder):
    import_folder(interchange_folder(good_files(), "first"))
    later = good_files(
        **{
            "benefits.csv": [
                *BENEFITS,
                {**BENEFITS[0], "benefit_id": "B3", "start_date": "2021-01-01", "end_date": ""},
            ]
        }
    )
    with CaptureQueriesContext(connection) as queries:
        import_folder(interchange_folder(later, "second"))
    dropped = [q["sql"] for q in queries.captured_queries if "DROP CONSTRAINT" in q["sql"]]
    # 1 new benefit against 3 after the load is a third: checked once; the unchanged
    # clients load nothing and keep theirs.
    assert any('"benefits_benefit"' in s for s in dropped)
    assert not any('"clients_client"' in s for s in dropped)


@postgresql_only
def test_a_bad_reference_refuses_the_whole_import_row_by_row(interchange_folder):
    before = foreign_key_definitions()
    with pytest.raises(ImportRefused) as refused:
        import_folder(interchange_folder(bad_reference()))
    assert any(str(p).startswith("benefits.csv:2: client_id") for p in refused.value.problems)
    assert Client.objects.count() == 0 and Benefit.objects.count() == 0
    assert foreign_key_definitions() == before
    assert ImportRun.objects.get().status == "geweigerd"


@postgresql_only
def test_a_reference_the_checks_missed_is_refused_by_the_database(interchange_folder, monkeypatch):
    # The safety net: were the check before the load to miss a reference, re-adding the
    # foreign key finds it, everything is rolled back and the row is reported all the same.
    monkeypatch.setattr(services, "_check_references", lambda reading: set())
    before = foreign_key_definitions()
    with pytest.raises(ImportRefused) as refused:
        import_folder(interchange_folder(bad_reference()))
    errors = [str(p) for p in refused.value.problems if not p.warning]
    assert errors == [
        "benefits.csv:2: client_id: 'C9' bestaat niet (niet in clients.csv en niet in de database)"
    ]
    assert Client.objects.count() == 0 and Benefit.objects.count() == 0
    assert foreign_key_definitions() == before
    assert ImportRun.objects.get().status == "geweigerd"
    assert set(figures_triggers().values()) == {"O"}


@postgresql_only
def test_the_figures_cache_is_bumped_once_and_its_trigger_is_back(interchange_folder):
    figures_cache.install()
    before = figures_cache.figures_version()
    with CaptureQueriesContext(connection) as queries:
        import_folder(interchange_folder(good_files()))
    assert figures_cache.figures_version() == before + 1
    statements = [q["sql"] for q in queries.captured_queries]
    assert any("DISABLE TRIGGER clients_client_figures_changed" in s for s in statements)
    assert set(figures_triggers().values()) == {"O"}  # enabled again
