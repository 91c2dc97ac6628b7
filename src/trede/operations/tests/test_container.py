"""The Dockerfile and docker-compose.yml say what the README promises (they are not built
in this environment: no registry for the base image; the entrypoint itself is tested as a
plain command in test_serve.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[4]


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_dockerfile_base_user_libraries_static_health_and_entrypoint():
    text = _dockerfile()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fonts-dejavu-core"):
        assert package in text
    assert "pip install ." in text
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1] not in ("root", "0")
    # collectstatic runs at build, as the non-root user, after USER.
    assert text.index("USER trede") < text.index("collectstatic")
    assert "/gezondheid/" in text.split("HEALTHCHECK", 1)[1].split("\n\n", 1)[0]
    assert 'ENTRYPOINT ["/usr/local/bin/trede-entrypoint"]' in text
    assert "COPY scripts/docker-entrypoint /usr/local/bin/trede-entrypoint" in text
    assert "TREDE_BIND=0.0.0.0:8000" in text and "TREDE_LOG_FORMAT=json" in text


def test_entrypoint_migrates_then_execs_serve():
    script = (ROOT / "scripts" / "docker-entrypoint").read_text()
    lines = [line for line in script.splitlines() if line and not line.startswith("#")]
    assert lines == ["set -eu", "trede migrate --noinput", 'exec trede serve "$@"']


def test_compose_postgres_15_with_healthcheck_volume_and_the_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, web = compose["services"]["db"], compose["services"]["web"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")
    assert volume[1] == "/var/lib/postgresql/data" and volume[0] in compose["volumes"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= set(web["environment"])
    assert (
        web["environment"]["DATABASE_URL"].startswith("postgres://trede:")
        and "@db:5432/trede" in web["environment"]["DATABASE_URL"]
    )
    assert web["ports"] == ["127.0.0.1:8000:8000"]  # behind the proxy, not on every interface


@pytest.mark.django_db
def test_the_first_beheerder_is_made_with_createsuperuser_and_a_role(monkeypatch):
    from trede.accounts.models import Role, User

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Een-lang-wachtwoord-2026")
    call_command(
        "createsuperuser",
        interactive=False,
        username="jdevries",
        email="j.devries@gemeente.nl",
        role="beheerder",
    )
    user = User.objects.get(username="jdevries")
    assert (
        user.role == Role.BEHEERDER and user.is_superuser and user.check_password("Een-lang-wachtwoord-2026")
    )
