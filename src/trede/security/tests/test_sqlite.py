"""SQLite: writers queue (IMMEDIATE transactions, a busy timeout) instead of failing."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="alleen SQLite")


@sqlite_only
def test_settings_ask_for_immediate_transactions_and_a_busy_timeout():
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_transaction_begins_immediate():
    from trede.security.models import DemoDatabase

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        DemoDatabase.objects.create()
    assert queries.captured_queries[0]["sql"] == "BEGIN IMMEDIATE"
