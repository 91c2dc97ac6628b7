"""`trede bench load`: a short bounded run (5 consultants, 15 s) as the command runs it, on
the database the tests run on; it fails when the bench breaks, a request fails or a
contact moment is lost. Not marked slow: about 45 s, most of it `trede migrate` and the logins."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.operations import process

SRC = Path(__file__).resolve().parents[2]


def test_a_short_run_logs_in_reads_writes_and_loses_nothing(tmp_path):
    env = os.environ | {"SECRET_KEY": "test-" + "k" * 60, "TREDE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        process.trede_command(
            "bench",
            "load",
            "--users",
            "5",
            "--seconds",
            "10",
            "--clients",
            "15",
            "--caseload-repeat",
            "3",
            "--json",
        ),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    report = json.loads(done.stdout)
    vendor = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert report["database"] == vendor and report["users"] == 5
    pages = {page["page"]: page for page in report["pages"]}
    # Every consultant passed both login steps (two-factor required, as in production) ...
    assert pages["Inloggen (code)"]["requests"] == 5
    # ... and worked through the three daily pages and the contact form.
    for name in (
        "Mijn klanten",
        "Werklijst",
        "Klantdossier",
        "Contactmoment (formulier)",
        "Contactmoment (opslaan)",
    ):
        assert (
            pages[name]["requests"] >= 1
            and pages[name]["p50_ms"] <= pages[name]["p95_ms"] <= pages[name]["p99_ms"]
        )
    assert report["errors"] == 0 and report["server_errors_logged"] == 0
    assert report["contact_posts_succeeded"] == pages["Contactmoment (opslaan)"]["requests"]
    assert report["lost_writes"] == 0 and report["contact_rows_added"] == report["contact_posts_succeeded"]
    assert report["requests_per_second"] > 0 and report["server_cpu_ms_per_request"] > 0
    if vendor == "postgresql":
        assert report["database_cpu_ms_per_request"] is not None
    assert [p["page"] for p in report["bench_caseload"]["pages"]] == ["mijn-klanten", "werklijst", "dossier"]


@pytest.mark.parametrize("seconds", ["0", "121"])
def test_the_run_is_bounded_to_two_minutes(seconds):
    with pytest.raises(CommandError, match="tussen 1 en 120"):
        call_command("bench", "load", "--seconds", seconds)


def test_locust_is_imported_by_the_locustfile_only():
    """gevent's monkey patching (on `import locust`) breaks Django and the drivers."""
    importers = [
        path.relative_to(SRC)
        for path in SRC.rglob("*.py")
        if path.name != "locustfile.py"
        and any(
            line.strip().startswith(("import locust", "from locust"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert importers == []
