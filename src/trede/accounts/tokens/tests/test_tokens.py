"""Application tokens: only a hash is stored, the DRF authentication class answers
(system account, token), expiry and revocation are 401 with an audit row, the role and
`client_scope` bound what a token sees, the beheerder's page and the command."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from trede.accounts.tokens import services
from trede.accounts.tokens.models import ApplicationToken, secret_hash
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.tests.factories import ConsultantFactory
from trede.clients.tests.factories import ClientFactory

from .factories import ApplicationTokenFactory, BeheerderFactory, SystemAccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("trede.accounts.tokens.tests.urls")]


def auth(secret, keyword="Token"):
    return {"HTTP_AUTHORIZATION": f"{keyword} {secret}"}


def events(name):
    return list(AuditEvent.objects.filter(event=name).order_by("id"))


# --------------------------------------------------------------------------- creation


def test_only_a_hash_of_the_secret_is_stored():
    beheerder = BeheerderFactory()
    new = services.token_create(
        actor=beheerder, name="Power BI", username="powerbi", role="beleid", scopes=["cijfers.lezen"]
    )
    assert new.secret.startswith(f"trede_{new.token.prefix}_") and len(new.secret) > 40
    row = ApplicationToken.objects.filter(pk=new.token.pk).values().get()
    assert new.secret not in json.dumps(row, default=str)
    assert row["secret_hash"] == secret_hash(new.secret) != new.secret
    assert services.prefix_of(new.secret) == new.token.prefix
    # Another token, another secret.
    other = services.token_create(
        actor=beheerder, name="Tweede", username="powerbi", role="beleid", scopes=["cijfers.lezen"]
    )
    assert other.secret != new.secret and other.token.user == new.token.user


def test_the_system_account_is_made_without_password_and_cannot_get_one():
    new = services.token_create(
        actor=BeheerderFactory(),
        name="BI",
        username="bi-systeem",
        role="teamleider",
        team="Noord",
        scopes=["cijfers.lezen"],
    )
    account = new.token.user
    assert account.system_account and not account.has_usable_password()
    assert (account.role, account.team) == ("teamleider", "Noord")
    # The role of the new account is in the audit log, naming the beheerder.
    row = AuditEvent.objects.get(event="role_changed", object_id=str(account.pk))
    assert row.username == new.token.created_by.username
    account.set_password("een-lang-wachtwoord-42")
    with pytest.raises(IntegrityError), transaction.atomic():
        account.save()


def test_creation_is_refused_for_what_the_role_cannot_do():
    beheerder = BeheerderFactory()
    with pytest.raises(ValidationError) as refused:
        services.token_create(
            actor=beheerder, name="BI", username="bi", role="beleid", scopes=["klanten.lezen"]
        )
    assert "mag niets van wat deze scope geeft: klanten.lezen" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.token_create(actor=beheerder, name="BI", username="bi", role="beleid", scopes=[])
    with pytest.raises(ValidationError):
        services.token_create(
            actor=beheerder,
            name="BI",
            username="bi",
            role="beleid",
            scopes=["cijfers.lezen"],
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    # A person's account is never turned into a system account.
    BeheerderFactory(username="ruud")
    with pytest.raises(ValidationError) as refused:
        services.token_create(
            actor=beheerder, name="BI", username="ruud", role="beleid", scopes=["cijfers.lezen"]
        )
    assert "persoonlijk account" in " ".join(refused.value.messages)
    # An existing system account keeps its role.
    SystemAccountFactory(username="zaaksysteem", role="teamleider", team="Noord")
    with pytest.raises(ValidationError) as refused:
        services.token_create(
            actor=beheerder, name="Z", username="zaaksysteem", role="beleid", scopes=["cijfers.lezen"]
        )
    assert "bestaat al met rol" in " ".join(refused.value.messages)
    assert not ApplicationToken.objects.exists()


def test_only_the_beheerder_makes_and_revokes_tokens():
    consultant = BeheerderFactory(username="sanne", role="consulent_werk")
    with pytest.raises(PermissionDenied):
        services.token_create(
            actor=consultant, name="X", username="x", role="beleid", scopes=["cijfers.lezen"]
        )
    token = ApplicationTokenFactory()
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=consultant, token=token)
    assert [e.reason if hasattr(e, "reason") else e.details["reden"] for e in events("access_denied")] == [
        "geen recht: tokens.beheren",
        "geen recht: tokens.beheren",
    ]


def test_create_and_revoke_are_audited_in_dutch():
    beheerder = BeheerderFactory(username="ruud")
    new = services.token_create(
        actor=beheerder,
        name="Power BI",
        username="powerbi",
        role="beleid",
        scopes=["cijfers.lezen"],
        expires_at=timezone.now() + timedelta(days=30),
    )
    services.token_revoke(actor=beheerder, token=new.token)
    created, revoked = events("token_created"), events("token_revoked")
    assert len(created) == len(revoked) == 1
    assert created[0].username == "ruud"
    text = describe(created[0])
    assert (
        f"Applicatietoken {new.token.prefix} (Power BI) aangemaakt voor systeemaccount powerbi met rol beleid"
        in text
    )
    assert "scopes: cijfers.lezen; verloopt: " in text and "–" not in text
    assert (
        describe(revoked[0])
        == f"Applicatietoken {new.token.prefix} (Power BI) van systeemaccount powerbi ingetrokken."
    )
    assert new.secret not in json.dumps([e.details for e in AuditEvent.objects.all()])
    with pytest.raises(ValidationError):
        services.token_revoke(actor=beheerder, token=new.token)


# --------------------------------------------------------------------------- authentication


def test_a_token_authenticates_as_its_system_account(client):
    token = ApplicationTokenFactory(user=SystemAccountFactory(username="powerbi", role="beleid"))
    for keyword in ("Token", "Bearer", "token"):
        response = client.get("/test-api/cijfers/", **auth(token.secret, keyword))
        assert response.status_code == 200, response.content
        assert response.json() == {"gebruiker": "powerbi", "rol": "beleid"}
    assert "_auth_user_id" not in client.session  # no session is made


def test_without_credentials_the_api_answers_401_with_a_challenge(client):
    response = client.get("/test-api/cijfers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not events("token_refused")  # no token, nothing to refuse


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: ApplicationTokenFactory(revoked_at=timezone.now()), "token ingetrokken"),
        (lambda: ApplicationTokenFactory(expires_at=timezone.now() - timedelta(seconds=1)), "token verlopen"),
        (
            lambda: ApplicationTokenFactory(user=SystemAccountFactory(is_active=False)),
            "systeemaccount uitgeschakeld",
        ),
    ],
)
def test_revoked_expired_or_disabled_is_401_and_audited(client, make, reason):
    token = make()
    response = client.get("/test-api/cijfers/", **auth(token.secret))
    assert response.status_code == 401
    assert "applicatietoken" in response.json()["detail"]
    (row,) = events("token_refused")
    assert row.details["reden"] == reason and row.details["token"] == token.prefix
    assert row.action == "denied" and row.username == token.user.username
    assert token.secret not in json.dumps(row.details)
    assert (
        describe(row) == f"Toegang met applicatietoken {token.prefix} geweigerd: {reason} (adres 127.0.0.1)."
    )
    assert ApplicationToken.objects.get(pk=token.pk).last_used_at is None


def test_an_unknown_or_malformed_token_is_401_and_audited(client):
    token = ApplicationTokenFactory()
    forged = token.secret[:-4] + "AAAA"
    assert client.get("/test-api/cijfers/", **auth(forged)).status_code == 401
    assert client.get("/test-api/cijfers/", HTTP_AUTHORIZATION="Token").status_code == 401
    assert client.get("/test-api/cijfers/", HTTP_AUTHORIZATION="Token a b").status_code == 401
    assert [r.details["token"] for r in events("token_refused")] == [token.prefix, "onbekend", "onbekend"]
    assert [r.details["reden"] for r in events("token_refused")] == [
        "onbekend token",
        "kopregel zonder geheim of met spaties",
        "kopregel zonder geheim of met spaties",
    ]


def test_a_token_expires_at_its_moment(client):
    with freeze_time("2026-12-04 10:00:00") as clock:
        token = ApplicationTokenFactory(expires_at=timezone.now() + timedelta(hours=1))
        assert client.get("/test-api/cijfers/", **auth(token.secret)).status_code == 200
        clock.tick(timedelta(hours=1))
        assert client.get("/test-api/cijfers/", **auth(token.secret)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client):
    with freeze_time("2026-12-04 10:00:00") as clock:
        token = ApplicationTokenFactory()
        client.get("/test-api/cijfers/", **auth(token.secret))
        first = ApplicationToken.objects.get(pk=token.pk).last_used_at
        assert first == timezone.now()
        clock.tick(timedelta(seconds=30))
        statements = []

        def record(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        # (Not CaptureQueriesContext: a request resets the query log it slices.)
        with connection.execute_wrapper(record):
            assert client.get("/test-api/cijfers/", **auth(token.secret)).status_code == 200
        assert len(statements) == 1 and statements[0].startswith("SELECT")  # the token and its account
        assert ApplicationToken.objects.get(pk=token.pk).last_used_at == first
        clock.tick(timedelta(seconds=31))
        client.get("/test-api/cijfers/", **auth(token.secret))
        assert ApplicationToken.objects.get(pk=token.pk).last_used_at == timezone.now()


def test_the_scopes_and_the_role_both_bound_a_token(client):
    # The role may write contact moments, but the token's scopes do not say so: 403.
    tl = SystemAccountFactory(username="zaaksysteem", role="teamleider", team="Noord")
    reading = ApplicationTokenFactory(user=tl, scopes=["klanten.lezen"])
    assert client.post("/test-api/contacten/", **auth(reading.secret)).status_code == 403
    writing = ApplicationTokenFactory(user=tl, scopes=["contacten.schrijven"])
    assert client.post("/test-api/contacten/", **auth(writing.secret)).status_code == 201
    # The scope says so, but the role may not: 403 (a scope never widens a role).
    beleid = ApplicationTokenFactory(user=SystemAccountFactory(role="beleid"), scopes=["contacten.schrijven"])
    assert client.post("/test-api/contacten/", **auth(beleid.secret)).status_code == 403
    assert client.get("/test-api/klanten/", **auth(beleid.secret)).status_code == 403


def test_client_scope_applies_to_a_token_as_to_a_person(client):
    noord, zuid = ConsultantFactory(team="Noord"), ConsultantFactory(team="Zuid")
    a = ClientFactory(client_id="KA0001", consultant=noord)
    ClientFactory(client_id="KB0002", consultant=zuid)
    tl = SystemAccountFactory(username="zaaksysteem", role="teamleider", team="Noord")
    token = ApplicationTokenFactory(user=tl, scopes=["klanten.lezen"])
    response = client.get("/test-api/klanten/", **auth(token.secret))
    assert response.status_code == 200 and response.json() == {"klanten": [a.client_id]}


def test_tokens_work_where_two_factor_login_is_required(client, settings):
    settings.TREDE_2FA_REQUIRED = True
    settings.TREDE_2FA_ROLES = ["beleid"]
    token = ApplicationTokenFactory(user=SystemAccountFactory(role="beleid"))
    assert client.get("/test-api/cijfers/", **auth(token.secret)).status_code == 200


def test_a_system_account_cannot_log_in_with_a_password(client):
    SystemAccountFactory(username="powerbi")
    response = client.post(
        reverse("login"),
        {"trede_login_view-current_step": "auth", "auth-username": "powerbi", "auth-password": "!"},
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


# --------------------------------------------------------------------------- the page


def test_the_page_is_for_the_beheerder_only(client):
    client.force_login(BeheerderFactory(username="sanne", role="consulent_werk"))
    assert client.get(reverse("accounts:tokens")).status_code == 403
    client.force_login(BeheerderFactory(username="ruud"))
    page = client.get(reverse("accounts:tokens"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Applicatietokens" in html and "Nog geen" not in html and "cijfers.lezen" in html


def test_make_a_token_on_the_page_the_secret_shown_once(client):
    client.force_login(BeheerderFactory(username="ruud"))
    answer = client.post(
        reverse("accounts:tokens"),
        {
            "name": "Power BI",
            "username": "powerbi",
            "role": "beleid",
            "team": "",
            "scopes": ["cijfers.lezen"],
            "expires_on": "2099-12-31",
        },
    )
    assert answer.status_code == 200
    secret = answer.context["new"].secret
    assert secret in answer.content.decode() and "Kopieer het geheim nu" in answer.content.decode()
    token = ApplicationToken.objects.get()
    assert token.expires_at == timezone.make_aware(timezone.datetime(2100, 1, 1))
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    assert client.get("/test-api/cijfers/", **auth(secret)).status_code == 200

    refused = client.post(
        reverse("accounts:tokens"),
        {"name": "BI", "username": "bi", "role": "beleid", "scopes": ["klanten.lezen"]},
    )
    assert refused.status_code == 400 and "mag niets van wat deze scope geeft" in refused.content.decode()

    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert "is ingetrokken" in client.get(reverse("accounts:tokens")).content.decode()
    assert client.get("/test-api/cijfers/", **auth(secret)).status_code == 401
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


def test_the_same_form_sent_twice_makes_one_token(client):
    client.force_login(BeheerderFactory(username="ruud"))
    form = client.get(reverse("accounts:tokens")).context["form"]
    data = {
        "submission_key": form.initial["submission_key"],
        "name": "Power BI",
        "username": "powerbi",
        "role": "beleid",
        "scopes": ["cijfers.lezen"],
    }
    first = client.post(reverse("accounts:tokens"), data)
    second = client.post(reverse("accounts:tokens"), data)
    assert ApplicationToken.objects.count() == 1 and len(events("token_created")) == 1
    assert first.context["new"].secret and first.context["new"].secret in first.content.decode()
    assert second.context["new"].secret == "" and "was al aangemaakt" in second.content.decode()
    assert first.context["new"].secret not in second.content.decode()


# --------------------------------------------------------------------------- the command


def test_the_command_creates_lists_and_revokes():
    BeheerderFactory(username="ruud")
    out, err = StringIO(), StringIO()
    call_command(
        "tokens",
        "create",
        "--user",
        "ruud",
        "--name",
        "Zaaksysteem",
        "--account",
        "zaaksysteem",
        "--role",
        "teamleider",
        "--team",
        "Noord",
        "--scope",
        "klanten.lezen",
        "--scope",
        "contacten.schrijven",
        "--expires",
        "2099-01-31",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = ApplicationToken.objects.get()
    assert token.secret_hash == secret_hash(secret) and token.scopes == [
        "contacten.schrijven",
        "klanten.lezen",
    ]
    assert "nooit meer" in err.getvalue()
    out = StringIO()
    call_command("tokens", "list", "--json", stdout=out)
    (listed,) = json.loads(out.getvalue())["tokens"]
    assert listed["prefix"] == token.prefix and listed["status"] == "actief" and "secret" not in listed
    call_command("tokens", "revoke", token.prefix, "--user", "ruud", stdout=StringIO())
    assert ApplicationToken.objects.get().status() == "ingetrokken"
    assert len(events("token_created")) == len(events("token_revoked")) == 1
