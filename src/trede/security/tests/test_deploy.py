"""Production settings from the environment, checked in a fresh process (no test mode).

The documented production environment (docs/configuration.md) passes
`trede check --deploy` with no warning at all; without SECRET_KEY Trede refuses to start,
in Dutch; the demo needs no key.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import trede

SRC = str(Path(trede.__file__).resolve().parent.parent)

PRODUCTION = {
    "SECRET_KEY": "k8Jq2-vX9z_Lr4mTn7Wp1sYc6Fh3Gd0Ba5Ne8Ru2Io9Qt4Ey7Zx1Cv6Bn3Mk0Pl",
    "ALLOWED_HOSTS": "trede.gemeente.nl",
    "TREDE_HTTPS": "1",
    "TREDE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "TREDE_CLIENT_IP_HEADER": "X-Forwarded-For",
}


def _env(tmp_path, **extra):
    # A clean environment: no pytest marker (PYTEST_VERSION), no Trede or Django settings.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TREDE_", "DATABASE_", "PYTEST_")) and k != "SECRET_KEY"
    }
    env["PYTHONPATH"] = SRC
    env["TREDE_DATA_DIR"] = str(tmp_path / "data")
    (tmp_path / "data" / "static").mkdir(parents=True, exist_ok=True)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'data' / 'db.sqlite3'}"
    env.update(extra)
    return env


def trede_cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "trede.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_without_any_warning(tmp_path):
    result = trede_cli("check", "--deploy", "--fail-level", "WARNING", env=_env(tmp_path, **PRODUCTION))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_without_the_https_settings_check_deploy_warns(tmp_path):
    """The test above has teeth: drop the documented HTTPS setting and warnings appear."""
    env = _env(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != "TREDE_HTTPS"})
    result = trede_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stderr + result.stdout


def test_without_secret_key_trede_refuses_to_start_in_dutch(tmp_path):
    env = _env(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    result = trede_cli("check", env=env)
    assert result.returncode == 1
    assert "Trede start niet: de omgevingsvariabele SECRET_KEY ontbreekt" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_wsgi_application_refuses_too(tmp_path):
    env = _env(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    result = subprocess.run(
        [sys.executable, "-c", "import trede.conf.wsgi"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY ontbreekt" in result.stderr


SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'demo': s.DEMO_MODE, 'twofa': s.TREDE_2FA_REQUIRED, 'ssl': s.SECURE_SSL_REDIRECT, "
    "'proxy': list(getattr(s, 'SECURE_PROXY_SSL_HEADER', None) or []), 'hsts': s.SECURE_HSTS_SECONDS, "
    "'cookies': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE], 'ip': s.TREDE_CLIENT_IP_HEADER}))"
)


def _settings(env):
    env = {**env, "DJANGO_SETTINGS_MODULE": "trede.conf.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_from_the_environment(tmp_path):
    shown = _settings(_env(tmp_path, **PRODUCTION))
    assert shown == {
        "demo": False,
        "twofa": True,
        "ssl": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "hsts": 31536000,
        "cookies": [True, True],
        "ip": "X-Forwarded-For",
    }


def test_demo_mode_needs_no_key_and_no_second_step(tmp_path):
    shown = _settings(_env(tmp_path, TREDE_DEMO="1"))
    assert shown["demo"] is True and shown["twofa"] is False and shown["ssl"] is False
