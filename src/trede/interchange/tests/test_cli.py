"""The command-line contract of interchange.md, run as a user runs it: `trede …` in a
fresh process, another working directory, only DATABASE_URL set."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from trede.conftest import write_folder

from .test_import import BENEFITS, CLIENTS, with_row


def trede(*args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "trede.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _env(tmp_path, database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TREDE_", "DATABASE_"))}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["TREDE_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """`trede migrate` once; each test gets a copy of the fresh database."""
    folder = tmp_path_factory.mktemp("migrated")
    result = trede("migrate", "-v", "0", env=_env(folder, folder / "db.sqlite3"), cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "db.sqlite3"


@pytest.fixture
def cli(tmp_path, migrated_database):
    database = tmp_path / "cli.sqlite3"
    shutil.copy(migrated_database, database)
    env = _env(tmp_path, database)
    workdir = tmp_path / "elders"
    workdir.mkdir()
    return lambda *args: trede(*args, env=env, cwd=workdir)


def test_import_monitor_export_contract(cli, tmp_path):
    good = write_folder(tmp_path / "good", {"clients.csv": CLIENTS, "benefits.csv": BENEFITS})
    result = cli("import", str(good))
    assert result.returncode == 0, result.stderr

    stock = cli("monitor", "stock", "--as-of", "2019-07-01", "--json")
    assert stock.returncode == 0
    payload = json.loads(stock.stdout)  # exactly one JSON object on stdout
    assert payload["total"] == 2 and payload["regulations"] == ["pw"] and payload["as_of"] == "2019-07-01"
    assert set(payload) == {
        "as_of",
        "regulations",
        "total",
        "by_age_band",
        "by_duration_band",
        "by_household",
        "by_ladder_step",
    }

    flows = cli(
        "monitor",
        "flows",
        "--from",
        "2019-01-01",
        "--to",
        "2021-01-01",
        "--period",
        "year",
        "--regulations",
        "pw,ioaw",
        "--json",
    )
    payload = json.loads(flows.stdout)
    assert [p["period"] for p in payload["periods"]] == ["2019", "2020"]
    assert payload["periods"][1]["outflow"]["werk"] == 1
    assert set(payload["outflow_to_work_rate"]) == {"2019", "2020"}

    out = tmp_path / "export"
    assert cli("export", str(out)).returncode == 0
    assert (out / "clients.csv").read_text(encoding="utf-8").startswith("client_id,bsn,birth_date")


def test_refused_import_exits_1_reports_file_line_and_writes_nothing(cli, tmp_path):
    bad = write_folder(
        tmp_path / "bad", {"clients.csv": with_row(CLIENTS, 1, bsn="123456789"), "benefits.csv": BENEFITS}
    )
    result = cli("import", str(bad))
    assert result.returncode == 1
    assert "clients.csv:3: bsn" in result.stderr
    stock = json.loads(cli("monitor", "stock", "--as-of", "2019-07-01", "--json").stdout)
    assert stock["total"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ("import", "/nonexistent/folder"),
        ("monitor", "stock", "--json"),
        ("monitor", "stock", "--as-of", "2019-02-30", "--json"),
        ("monitor", "flows", "--from", "2019-01-01", "--to", "2020-01-01", "--period", "week", "--json"),
        ("monitor", "stock", "--as-of", "2019-01-01", "--regulations", "ww", "--json"),
    ],
)
def test_wrong_usage_exits_2(cli, args):
    result = cli(*args)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""


def test_research_export_from_the_console_command(cli, tmp_path):
    """`trede export research DIR --purpose …` in a fresh process; `trede export research`
    alone is still the contract's export into a folder named research; no purpose: exit 2."""
    good = write_folder(tmp_path / "good", {"clients.csv": CLIENTS, "benefits.csv": BENEFITS})
    assert cli("import", str(good)).returncode == 0
    out = tmp_path / "onderzoek"
    result = cli("export", "research", str(out), "--purpose", "Proef", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["files"]["clients.csv"] == len(CLIENTS)
    assert (out / "README.txt").exists() and (out / "k_anonymity.csv").exists()
    missing = cli("export", "research", str(tmp_path / "zonder"))
    assert missing.returncode == 2 and "doel" in missing.stderr
    plain = cli("export", "research")
    assert plain.returncode == 0, plain.stderr
    assert (tmp_path / "elders" / "research" / "clients.csv").exists()
