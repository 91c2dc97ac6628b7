"""Single sign-on against a small provider served by the test itself: the whole flow with
the Django test client (start → provider → callback → logged in with the mapped role and
team), and the refusals (wrong state, unknown role, no second step, a token for another
application, an account that is not linked), each with a Dutch message and an audit row."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from trede.accounts.models import User
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.security.middleware import SSO_VERIFIED_SESSION_KEY
from trede.security.oidc import config, discovery

from .fake_op import CLIENT_ID, CLIENT_SECRET, FakeProvider

pytestmark = pytest.mark.django_db

ROLE_MAP = (
    "Trede-Consulenten=consulent_werk; CN=Trede Beheer,OU=Groepen,DC=gemeente=beheerder; Trede-Beleid=beleid"
)


@pytest.fixture(scope="module")
def op():
    provider = FakeProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, op):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TREDE_OIDC = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.TREDE_OIDC_DISCOVERY_URL = op.url("/.well-known/openid-configuration")
    settings.TREDE_OIDC_ISSUER = ""
    settings.TREDE_OIDC_USERNAME_CLAIM = "preferred_username"
    settings.TREDE_OIDC_ROLE_CLAIM = "groups"
    settings.TREDE_OIDC_TEAM_CLAIM = "team"
    settings.TREDE_OIDC_ROLE_MAP = config.parse_role_map(ROLE_MAP)
    settings.TREDE_OIDC_MFA_AMR = ["mfa", "otp"]
    settings.TREDE_OIDC_MFA_ACR = []
    settings.TREDE_OIDC_TRUST_MFA = False
    settings.TREDE_OIDC_LINK_EXISTING = False
    settings.OIDC_USE_PKCE = True
    settings.OIDC_TIMEOUT = 5
    settings.LOGIN_REDIRECT_URL_FAILURE = "login"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "trede.security.oidc.backends.TredeOIDCBackend",
    ]
    # Two-factor login required, as in production.
    settings.TREDE_2FA_REQUIRED = True
    settings.TREDE_2FA_ROLES = ["consulent_werk", "beheerder"]
    discovery.forget()
    op.id_token_extra = {}
    op.requests.clear()
    yield settings
    discovery.forget()


def person(**claims):
    return {
        "sub": "medewerker-0042",
        "preferred_username": "s.devries",
        "given_name": "Sanne",
        "family_name": "de Vries",
        "email": "s.devries@gemeente.example",
        "groups": ["Alle medewerkers", "Trede-Consulenten"],
        "team": "Noord",
        "amr": ["pwd", "mfa"],
    } | claims


def start(client, op, next_url=None):
    """The login page's button, then the provider's own login (it answers with a redirect)."""
    url = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(op.url("/authorize?"))
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"] and query["nonce"]
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    return back.headers["Location"]


def log_in(client, op, claims, next_url=None):
    op.claims = claims
    return client.get(start(client, op, next_url))


def refused_rows():
    return list(AuditEvent.objects.filter(event="sso_login_refused").order_by("id"))


def test_the_whole_flow_logs_in_with_the_mapped_role_and_team(client, sso, op):
    op.claims = person()
    callback = start(client, op, next_url="/klanten/")
    assert urlparse(callback).path == reverse("oidc_authentication_callback")
    response = client.get(callback)
    assert response.status_code == 302 and response["Location"] == "/klanten/"
    user = User.objects.get(username="s.devries")
    assert (user.role, user.team, user.sso_subject) == ("consulent_werk", "Noord", "medewerker-0042")
    assert (user.first_name, user.last_name, user.email) == (
        "Sanne",
        "de Vries",
        "s.devries@gemeente.example",
    )
    assert not user.has_usable_password() and not user.system_account
    assert int(client.session["_auth_user_id"]) == user.pk
    # The provider did the second step: no enrolment in Trede, the pages open.
    assert client.session[SSO_VERIFIED_SESSION_KEY] is True
    assert client.get(reverse("portal:home")).status_code == 200
    (row,) = AuditEvent.objects.filter(event="sso_login_succeeded")
    assert row.username == "s.devries" and row.role == "consulent_werk"
    assert (
        describe(row)
        == "Ingelogd met het gemeente-account (adres 127.0.0.1); rol consulent werk, team Noord."
    )
    assert not AuditEvent.objects.filter(event__in=["login_failed", "sso_login_refused"]).exists()
    # Discovery once, then token, JWKS and userinfo.
    assert op.requests.count("/.well-known/openid-configuration") == 1
    assert {"/token", "/jwks", "/userinfo"} <= set(op.requests)


def test_the_next_login_takes_the_new_role_and_team_from_the_provider(client, sso, op):
    log_in(client, op, person())
    client.post(reverse("logout"))
    log_in(client, op, person(groups=["Trede-Beleid"], team="Beleid", amr=["pwd"]))
    user = User.objects.get(username="s.devries")
    assert (user.role, user.team) == ("beleid", "Beleid")
    assert User.objects.filter(sso_subject="medewerker-0042").count() == 1
    change = AuditEvent.objects.filter(event="role_changed", object_id=str(user.pk)).order_by("id").last()
    assert (change.details["oud"], change.details["nieuw"]) == ("consulent_werk", "beleid")
    # beleid needs no second step here: logged in, the session not marked as verified.
    assert client.session[SSO_VERIFIED_SESSION_KEY] is False
    assert client.get(reverse("portal:home")).status_code == 200


def test_switching_an_account_off_ends_its_sso_session(client, sso, op):
    log_in(client, op, person())
    assert client.get(reverse("portal:home")).status_code == 200
    User.objects.filter(username="s.devries").update(is_active=False)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_wrong_state_is_refused(client, sso, op):
    op.claims = person()
    callback = start(client, op)
    forged = callback.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="s.devries").exists()
    (row,) = refused_rows()
    assert "state" in row.details["reden"]
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw gemeente-account is niet gelukt" in page
    # Without a started login at all (a callback from elsewhere): refused as well.
    assert client.get(reverse("oidc_authentication_callback") + "?code=abc&state=def").status_code == 302
    assert len(refused_rows()) == 2 and "_auth_user_id" not in client.session


def test_an_unknown_role_is_refused_never_a_default(client, sso, op):
    response = log_in(client, op, person(groups=["Alle medewerkers", "Zwembad"]))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="s.devries").exists()
    (row,) = refused_rows()
    assert row.username == "s.devries"
    assert "geen bekende rol voor Trede in claim 'groups'" in row.details["reden"]
    assert describe(row).startswith("Inloggen met het gemeente-account geweigerd: geen bekende rol")
    page = client.get(reverse("login")).content.decode()
    assert "geen bekende rol voor Trede" in page and 'role="alert"' in page


def test_two_roles_are_refused(client, sso, op):
    log_in(client, op, person(groups=["Trede-Consulenten", "CN=Trede Beheer,OU=Groepen,DC=gemeente"]))
    assert "_auth_user_id" not in client.session
    assert "meer dan één rol" in refused_rows()[0].details["reden"]


def test_without_a_second_step_at_the_provider_a_role_that_needs_one_is_refused(client, sso, op):
    log_in(client, op, person(amr=["pwd"]))
    assert "_auth_user_id" not in client.session
    assert "tweede stap" in refused_rows()[0].details["reden"]
    # An acr level the municipality names counts too.
    sso.TREDE_OIDC_MFA_ACR = ["urn:gemeente:loa:substantieel"]
    log_in(client, op, person(amr=["pwd"], acr="urn:gemeente:loa:substantieel"))
    assert client.session[SSO_VERIFIED_SESSION_KEY] is True
    client.post(reverse("logout"))
    # Or the municipality trusts its provider to enforce it.
    sso.TREDE_OIDC_MFA_ACR = []
    sso.TREDE_OIDC_TRUST_MFA = True
    log_in(client, op, person(amr=["pwd"]))
    assert client.session[SSO_VERIFIED_SESSION_KEY] is True
    assert client.get(reverse("portal:home")).status_code == 200


def test_an_id_token_for_another_application_is_refused(client, sso, op):
    op.id_token_extra = {"aud": "ander-systeem"}
    log_in(client, op, person())
    assert "_auth_user_id" not in client.session
    assert "(aud)" in refused_rows()[0].details["reden"]
    op.id_token_extra = {"iss": "http://elders.example"}
    sso.TREDE_OIDC_ISSUER = op.issuer
    log_in(client, op, person())
    assert "_auth_user_id" not in client.session
    assert "(iss)" in refused_rows()[1].details["reden"]


def test_a_local_account_with_the_same_name_is_linked_only_when_allowed(client, sso, op, django_user_model):
    local = django_user_model.objects.create_user(username="s.devries", password="een-lang-wachtwoord-42")
    log_in(client, op, person())
    assert "_auth_user_id" not in client.session
    assert "lokaal account" in refused_rows()[0].details["reden"]
    sso.TREDE_OIDC_LINK_EXISTING = True
    log_in(client, op, person())
    local.refresh_from_db()
    assert local.sso_subject == "medewerker-0042" and local.role == "consulent_werk"
    assert int(client.session["_auth_user_id"]) == local.pk


def test_a_system_account_never_logs_in(client, sso, op):
    User.objects.create(username="s.devries", system_account=True, password="!", role="beleid")
    sso.TREDE_OIDC_LINK_EXISTING = True
    log_in(client, op, person())
    assert "_auth_user_id" not in client.session
    assert "systeemaccount" in refused_rows()[0].details["reden"]


def test_explicit_endpoints_without_discovery(client, sso, op):
    sso.TREDE_OIDC_DISCOVERY_URL = ""
    sso.OIDC_OP_AUTHORIZATION_ENDPOINT = op.url("/authorize")
    sso.OIDC_OP_TOKEN_ENDPOINT = op.url("/token")
    sso.OIDC_OP_USER_ENDPOINT = op.url("/userinfo")
    sso.OIDC_OP_JWKS_ENDPOINT = op.url("/jwks")
    log_in(client, op, person())
    assert User.objects.get(username="s.devries").role == "consulent_werk"
    assert "/.well-known/openid-configuration" not in op.requests


def test_the_login_page_offers_sso_only_when_configured(client, sso, settings):
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw gemeente-account" in page and "Gebruikersnaam" in page
    settings.TREDE_OIDC = False
    page = client.get(reverse("login")).content.decode()
    assert "gemeente-account" not in page and "Gebruikersnaam" in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_the_role_map_reads_group_names_with_commas_and_equals_signs():
    mapping = config.parse_role_map(ROLE_MAP)
    assert mapping == {
        "Trede-Consulenten": "consulent_werk",
        "CN=Trede Beheer,OU=Groepen,DC=gemeente": "beheerder",
        "Trede-Beleid": "beleid",
    }
    for bad in ("Trede=inwoner", "Trede=aanbieder", "Trede=baas", "zonder-rol", "a=beleid;a=beheerder"):
        with pytest.raises(ImproperlyConfigured):
            config.parse_role_map(bad)
    assert config.role_of({"roles": "Trede-Beleid"}, claim="roles", mapping=mapping) == ("beleid", "")
    assert config.role_of({}, claim="roles", mapping=mapping)[0] == ""


def test_half_a_configuration_stops_the_start():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TREDE_OIDC") and k != "DJANGO_SETTINGS_MODULE"
    } | {"TREDE_DEMO": "1", "TREDE_OIDC_CLIENT_ID": "trede", "TREDE_OIDC_TOKEN_ENDPOINT": "https://op/token"}
    result = subprocess.run(
        [sys.executable, "-c", "import trede.conf.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TREDE_OIDC_AUTHORIZATION_ENDPOINT" in result.stderr and "ontbreekt" in result.stderr
    # As docker-compose passes them: the variables it names but .env leaves empty are defaults.
    env |= {
        "TREDE_OIDC_DISCOVERY_URL": "https://op/.well-known/openid-configuration",
        "TREDE_OIDC_ROLE_MAP": "X=beleid",
        "TREDE_OIDC_USERNAME_CLAIM": "",
        "TREDE_OIDC_MFA_AMR": "",
        "TREDE_OIDC_TRUST_MFA": "",
    }
    code = (
        "import trede.conf.settings as s; "
        "print(s.TREDE_OIDC, s.TREDE_OIDC_ROLE_MAP, s.TREDE_OIDC_USERNAME_CLAIM, s.TREDE_OIDC_MFA_AMR, "
        "s.TREDE_OIDC_TRUST_MFA)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True {'X': 'beleid'} preferred_username ['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt'] False"
    )
