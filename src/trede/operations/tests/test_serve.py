"""`trede serve`: gunicorn with sized workers, and the entrypoint that migrates and serves."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.operations import process
from trede.operations.management.commands.serve import serve_argv
from trede.operations.serving import MAX_WORKERS, default_workers

from .conftest import server_env

ENTRYPOINT = Path(__file__).resolve().parents[4] / "scripts" / "docker-entrypoint"


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (4, 9), (64, MAX_WORKERS)])
def test_workers_are_two_per_cpu_plus_one_capped(cpus, workers):
    assert default_workers(cpus) == workers


def test_defaults_settings_and_options(settings):
    settings.WEB_BIND, settings.WEB_WORKERS, settings.WEB_TIMEOUT = "", "", ""
    argv = serve_argv()
    assert argv[1:4] == ["-m", "gunicorn", "trede.conf.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"
    assert argv[argv.index("--workers") + 1] == str(default_workers())
    assert argv[argv.index("--config") + 1] == "python:trede.operations.gunicorn_conf"
    settings.WEB_BIND, settings.WEB_WORKERS, settings.WEB_TIMEOUT = "0.0.0.0:9000", "3", "30"
    argv = serve_argv()
    assert [argv[argv.index(o) + 1] for o in ("--bind", "--workers", "--timeout")] == [
        "0.0.0.0:9000",
        "3",
        "30",
    ]
    argv = serve_argv(bind="127.0.0.1:1234", workers="7")
    assert [argv[argv.index(o) + 1] for o in ("--bind", "--workers")] == ["127.0.0.1:1234", "7"]


@pytest.mark.parametrize("workers", ["0", "-1", "veel"])
def test_a_wrong_number_of_workers_is_refused(workers):
    with pytest.raises(CommandError, match="minstens 1"):
        call_command("serve", workers=workers, print_command=True)


def test_print_command(capsys):
    call_command("serve", "--print-command", "--workers", "2")
    assert "gunicorn trede.conf.wsgi:application" in capsys.readouterr().out


def test_the_demo_serves_with_gunicorn_not_the_development_server(monkeypatch):
    """`trede demo` ends in `trede serve`; runserver is never called."""
    from trede.portal.management.commands import demo

    source = Path(demo.__file__).read_text()
    assert 'call_command("serve", bind=addr)' in source and "runserver" not in source


@pytest.mark.django_db
def test_entrypoint_migrates_and_serves_the_health_probe(fresh_database_url, tmp_path):
    """scripts/docker-entrypoint as a plain command on an empty database: it migrates, then
    gunicorn answers /gezondheid/ with 200, with JSON access lines without the query."""
    port = process.free_port()
    base = f"http://127.0.0.1:{port}"
    bindir = str(Path(os.sys.executable).parent)
    env = server_env(
        fresh_database_url,
        tmp_path / "data",
        TREDE_BIND=f"127.0.0.1:{port}",
        TREDE_LOG_FORMAT="json",
        PATH=f"{bindir}:{os.environ.get('PATH', '')}",
    )
    log = tmp_path / "server.log"
    server = process.start([str(ENTRYPOINT), "--workers", "2"], env=env, log=log)
    try:
        process.wait_healthy(server, base, timeout=180, log=log)
        status, body = process.get_health(base)
        assert (status, body) == (200, {"status": "ok", "database": True, "migrations": True})
        import urllib.request

        request = urllib.request.Request(
            f"{base}/inloggen/?q=Jansen", headers={"X-Request-ID": "probe-000001"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200 and response.headers["X-Request-ID"] == "probe-000001"
            assert "runserver" not in response.headers.get("Server", "")
    finally:
        assert process.stop(server) == 0
    text = log.read_text()
    assert "development server" not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    login = next(line for line in access if line["path"] == "/inloggen/")
    assert login["request_id"] == "probe-000001" and login["status"] == 200 and login["method"] == "GET"
    assert "Jansen" not in text  # no query strings in the access log
    assert {"timestamp", "level", "logger", "message", "request_id"} <= set(login)


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    env = server_env("sqlite:///" + str(tmp_path / "x.sqlite3"), tmp_path)
    del env["SECRET_KEY"]
    done = subprocess.run(process.trede_command("serve"), env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr
