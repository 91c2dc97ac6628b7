"""Audit that cannot be bypassed (issue 7, point 3): the database refuses to change or
empty the log on both databases, `trede flush` is refused outside the tests, list pages
and searches land in each shown client's log, logins, roles, waarnemingen, imports and
exports are events, and the admin is no back door."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from trede.accounts.models import Role, Waarneming
from trede.audit import logevent
from trede.audit.models import Action, AuditEvent
from trede.audit.rendering import describe, details_sentence
from trede.tests_e2e.world import PASSWORD, build_world

A = "KA0001"
SRC = Path(__file__).resolve().parents[3]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def row(db):
    return logevent.client_section_read(None, A, "basis")


# --------------------------------------------------------------------------- database


def test_raw_sql_delete_is_refused_by_the_database(row):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_raw_sql_delete_of_everything_is_refused(row):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=row.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE bestaat alleen op PostgreSQL")
def test_truncate_is_refused_on_postgresql(row):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_auditevent'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        return {r[0] for r in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_empties_the_log_and_the_triggers_come_back():
    expected = {
        "audit_append_only",
        "audit_no_delete" if connection.vendor == "sqlite" else "audit_no_truncate",
    }
    assert expected <= _triggers()
    logevent.client_section_read(None, A, "basis")
    call_command("flush", interactive=False, verbosity=0)  # what pytest-django does after this test
    assert not AuditEvent.objects.exists()
    assert expected <= _triggers()
    row = logevent.client_section_read(None, A, "basis")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])


def test_flush_is_refused_outside_the_test_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trede.conf.settings",
        "TREDE_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "SECRET_KEY": "een-geheime-sleutel-alleen-voor-deze-test-0123456789-abcdefghijkl",
    }
    # Not under pytest: the settings a server or an operator's shell would have.
    env.pop("PYTEST_VERSION", None)
    env.pop("DATABASE_URL", None)  # its own SQLite file, never the test server's database
    run = [sys.executable, "-m", "trede.cli"]
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True, capture_output=True, timeout=300)
    code = (
        "import django; django.setup();"
        "from trede.audit import logevent; logevent.client_section_read(None, 'KA0001', 'basis')"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=120)
    result = subprocess.run(
        [*run, "flush", "--no-input"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "'trede flush' is uitgeschakeld" in result.stderr
    count = "import django; django.setup(); from trede.audit.models import AuditEvent; print(AuditEvent.objects.count())"
    out = subprocess.run([sys.executable, "-c", count], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "1"


# --------------------------------------------------------------------------- who saw whom


def test_a_search_hit_shows_in_that_clients_privacy_log(world, client):
    client.force_login(world.user("sanne"))
    client.get(reverse("clients:search"), {"q": "Anna"})
    client.force_login(world.user("privacy"))
    page = client.get(reverse("audit:client", args=[A])).content.decode()
    assert "<td>Sanne de Wit (sanne)</td>" in page
    assert "Vond deze klant bij een zoekopdracht (1 gevonden)." in page


def test_the_caseload_page_lands_in_each_clients_log(world, client):
    client.force_login(world.user("sanne"))
    client.get(reverse("clients:caseload"))
    shown = AuditEvent.objects.filter(event="client_listed", client_id=A).get()
    assert describe(shown) == 'Zag deze klant (naam, leeftijd) in de lijst "Mijn klanten".'
    assert shown.full_name == "Sanne de Wit" and shown.role == Role.CONSULENT_WERK


@pytest.mark.parametrize(
    ("url_name", "key", "list_name"),
    [
        ("casework:worklist", "sanne", "Werklijst"),
        ("casework:intake_list", "sanne", "Meldingen en aanvragen"),
    ],
)
def test_other_lists_of_people_are_recorded(world, client, url_name, key, list_name):
    client.force_login(world.user(key))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    summary = AuditEvent.objects.get(event="list_viewed")
    assert summary.details["lijst"] == list_name
    listed = set(AuditEvent.objects.filter(event="client_listed").values_list("client_id", flat=True))
    assert len(listed) == summary.details["aantal"]


def test_audit_index_search_records_the_clients_found(world, client):
    client.force_login(world.user("privacy"))
    client.get(reverse("audit:index"), {"q": "Bakker"})
    assert AuditEvent.objects.filter(
        event="client_search_hit", client_id="KB0002", username="privacy"
    ).exists()


def test_one_insert_for_a_list_whatever_its_length(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        logevent.clients_listed(None, [f"K{i:04d}" for i in range(300)], list_name="x", purpose="caseload")
    assert AuditEvent.objects.filter(event="client_listed").count() == 300
    assert AuditEvent.objects.get(event="list_viewed").details == {"lijst": "x", "aantal": 300}


# --------------------------------------------------------------------------- accounts


def _login_form(username, password):
    # The login wizard's first step (django-two-factor-auth), as the browser posts it.
    return {"trede_login_view-current_step": "auth", "auth-username": username, "auth-password": password}


def test_failed_and_successful_logins_and_logout_are_events(world, client):
    response = client.post(reverse("login"), _login_form("sanne", "fout"))
    assert response.status_code == 200
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.username == "sanne" and failed.user is None and "fout" not in str(failed.details)
    assert describe(failed).startswith('Inloggen mislukt met gebruikersnaam "sanne"')
    client.post(reverse("login"), _login_form("sanne", PASSWORD))
    assert AuditEvent.objects.filter(action=Action.LOGIN, username="sanne").exists()
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=Action.LOGOUT, username="sanne").exists()


def test_a_role_change_through_any_path_is_an_event(world):
    am = world.user("am")
    am.role = Role.CONSULENT_WERK
    am.save()
    change = AuditEvent.objects.filter(event="role_changed", object_id=str(am.pk)).order_by("-id").first()
    assert change.details == {"account": "am", "oud": "accountmanager", "nieuw": "consulent_werk"}
    assert describe(change) == "Rol van gebruiker am gewijzigd van accountmanager naar consulent werk."
    # A queryset update passes no signal: it is the one path that must not be used for roles.


def test_a_login_writes_no_role_event(world, client):
    before = AuditEvent.objects.filter(event="role_changed").count()
    client.post(reverse("login"), _login_form("sanne", PASSWORD))
    assert AuditEvent.objects.filter(event="role_changed").count() == before


def test_role_change_in_the_admin_names_who_did_it(world, client):
    beheerder = world.user("beheerder")
    beheerder.is_superuser = True
    beheerder.save()
    client.force_login(beheerder)
    am = world.user("am")
    url = reverse("admin:accounts_user_change", args=[am.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("password", "groups", "user_permissions", "last_login", "date_joined")
    }
    data.update(
        {
            "role": Role.TEAMLEIDER,
            "date_joined_0": am.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": am.date_joined.strftime("%H:%M:%S"),
        }
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = AuditEvent.objects.filter(event="role_changed", object_id=str(am.pk)).order_by("-id").first()
    assert (change.username, change.details["nieuw"]) == ("beheerder", Role.TEAMLEIDER)


def test_the_admin_offers_no_waarneming_writes_and_no_audit_log(world, client):
    beheerder = world.user("beheerder")
    beheerder.is_superuser = True  # even with every right
    beheerder.save()
    client.force_login(beheerder)
    waarneming = Waarneming.objects.first()
    assert waarneming is not None
    assert client.get(reverse("admin:accounts_waarneming_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:accounts_waarneming_delete", args=[waarneming.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    change = client.post(
        reverse("admin:accounts_waarneming_change", args=[waarneming.pk]),
        {"reason": "anders", "user": waarneming.user_id},
    )
    assert change.status_code in (403, 200)
    waarneming.refresh_from_db()
    assert Waarneming.objects.filter(pk=waarneming.pk, reason=waarneming.reason).exists()
    assert waarneming.reason != "anders"
    assert client.get("/beheer/audit/auditevent/").status_code == 404


def test_a_deleted_waarneming_is_an_event(world):
    waarneming = Waarneming.objects.first()
    reason, client_id = waarneming.reason, waarneming.client_id
    waarneming.delete()
    gone = AuditEvent.objects.get(event="waarneming_deleted")
    assert (gone.action, gone.client_id, gone.details["reden"]) == (Action.DELETE, client_id, reason)


def test_a_waarneming_grant_keeps_its_reason_in_the_log(world):
    from trede.clients.services import waarneming_request

    waarneming_request(
        user=world.user("bob"), client=world.clients["A"], reason="Sanne is met verlof", days=2
    )
    grant = AuditEvent.objects.get(event="waarneming_granted")
    assert describe(grant) == "Waarneming vastgelegd voor 2 dagen; reden: Sanne is met verlof."


# --------------------------------------------------------------------------- casework


def test_a_refused_cross_team_handover_keeps_its_denied_row(db):
    from trede.casework.caseload.models import CaseloadTransfer
    from trede.casework.caseload.services import caseload_transfer
    from trede.casework.tests.factories_plans import (
        ClientOnBenefitFactory,
        ConsultantUserFactory,
        UserFactory,
    )

    noord = ConsultantUserFactory(team="Noord")
    zuid = ConsultantUserFactory(team="Zuid")
    leider = UserFactory(role=Role.TEAMLEIDER, team="Noord")
    other = ClientOnBenefitFactory(consultant=zuid)
    with pytest.raises(PermissionDenied):
        caseload_transfer(user=leider, clients=[other], to_consultant=noord, reason="ruil")
    refused = AuditEvent.objects.get(action=Action.DENIED, purpose="herverdeling caseload")
    assert refused.username == leider.username and refused.event == "access_denied"
    assert not CaseloadTransfer.objects.exists()


# --------------------------------------------------------------------------- data in and out


def test_import_and_export_are_events(db, interchange_folder, tmp_path):
    from trede.interchange.services import ImportRefused, export_folder, import_folder
    from trede.interchange.tests.test_roundtrip import EVERY_FILE

    good = interchange_folder(EVERY_FILE)
    import_folder(good)
    ok = AuditEvent.objects.get(event="import_run")
    assert ok.details["uitkomst"] == "geslaagd" and ok.action == Action.IMPORT
    bad = interchange_folder({"clients.csv": [{"client_id": "K2", "birth_date": "gisteren"}]}, name="fout")
    with pytest.raises(ImportRefused):
        import_folder(bad)
    refused = AuditEvent.objects.filter(event="import_run").order_by("-id").first()
    assert refused.details["uitkomst"] == "geweigerd" and refused.details["fouten"] >= 1
    export_folder(tmp_path / "terug")
    export = AuditEvent.objects.get(event="export_made")
    assert export.details["formaat"] == "uitwisselformaat" and export.details["aantal"] >= 1


def test_a_download_of_the_start_page_is_an_event(world, client):
    client.force_login(world.user("beleid"))
    response = client.get(reverse("portal:figures_csv", args=["leeftijd"]))
    if response.status_code == 404:
        pytest.fail("de tabel 'leeftijd' bestaat niet (meer): kies een andere")
    assert AuditEvent.objects.filter(event="export_made", username="beleid").exists()


# --------------------------------------------------------------------------- readable Dutch


def test_every_documented_event_has_a_valid_action_and_renders():
    assert len(logevent.EVENTS) >= 17
    for event in logevent.EVENTS.values():
        assert event.action in Action.values
        text = describe(AuditEvent(event=event.name, action=event.action, details={}))
        assert "{" not in text and text.endswith((".", ")"))


def test_changed_fields_read_as_dutch_labels(db):
    sentence = details_sentence(
        {"fields": ["route", "ladder_step"], "derived": ["client_group"]}, "diagnosis"
    )
    assert "fields" not in sentence and "ladder_step" not in sentence
    assert sentence.startswith("Gewijzigde gegevens: route, trede participatieladder;")
    assert "daardoor ook gewijzigd: klantgroep" in sentence


def test_old_rows_without_event_still_read_as_a_sentence(db):
    row = AuditEvent(
        action=Action.CREATE, object_type="diagnosis", object_id="DA9", details={"fields": ["route"]}
    )
    assert describe(row) == "Diagnose DA9. Gewijzigde gegevens: route."


@pytest.mark.django_db(transaction=True)
def test_demo_reset_empties_a_demo_database_and_keeps_the_triggers(settings):
    """`trede demo --reset` (a database `trede demo` recognised) still works without `flush`."""
    from trede.audit.triggers import demo_database_empty

    settings.TESTING = False  # as in `trede demo`: the flush command itself is refused
    with pytest.raises(Exception, match="uitgeschakeld"):
        call_command("flush", interactive=False, verbosity=0)
    logevent.client_section_read(None, A, "basis")
    demo_database_empty()
    assert not AuditEvent.objects.exists()
    expected = {
        "audit_append_only",
        "audit_no_delete" if connection.vendor == "sqlite" else "audit_no_truncate",
    }
    assert expected <= _triggers()
    settings.TESTING = True  # pytest-django's own flush after this test
