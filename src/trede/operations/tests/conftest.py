from __future__ import annotations

import os

import pytest


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the kind the tests run on: an SQLite file, or a new database
    on the PostgreSQL server of DATABASE_URL (dropped afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    from trede.monitor.management.commands.bench import fresh_database

    with fresh_database(url) as fresh:
        yield fresh


def server_env(database_url: str, data_dir, **extra) -> dict:
    """The environment of a production-like server: a key, no demo, no test run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTEST_VERSION", "TREDE_DEMO", "PYTEST_XDIST_WORKER")
    }
    return env | {
        "DATABASE_URL": database_url,
        "TREDE_DATA_DIR": str(data_dir),
        "SECRET_KEY": "test-" + "k" * 60,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
