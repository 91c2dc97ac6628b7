"""The privacy officer's screens: the log per client, its CSV export, refused attempts;
and that writes and their audit rows share one transaction."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Waarneming
from trede.audit.models import AuditEvent
from trede.clients import services as client_services
from trede.tests_e2e.world import build_world

A = "KA0001"


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _read_file_as(client, world, key, client_id=A):
    client.force_login(world.user(key))
    return client.get(reverse("clients:file", args=[client_id]))


def test_privacy_officer_sees_who_read_what_and_why(world, client):
    _read_file_as(client, world, "am")
    client.get(reverse("clients:section", args=[A, "leefgebieden"]))  # refused
    client.force_login(world.user("privacy"))
    response = client.get(reverse("audit:client", args=[A]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Auditlog van Anna de Vries (KA0001)" in page
    # who, role, action, section, purpose
    # The person's name and username, copied at write time.
    assert "<td>Peter Jansen (am)</td>" in page and "<td>accountmanager</td>" in page
    assert "<td>ingezien</td>" in page and "<td>Werkprofiel</td>" in page and "<td>klantdossier</td>" in page
    assert "<td>geweigerd</td>" in page and "<td>Leefgebieden</td>" in page
    # The waarneming with its reason, and the review itself is logged.
    assert "Sanne is ziek; Anna belt over haar afspraak." in page
    review = AuditEvent.objects.filter(username="privacy").exclude(action="login").get()
    assert (review.action, review.section, review.purpose, review.client_id) == (
        "read",
        "audit",
        "privacycontrole",
        A,
    )


def test_filter_by_action(world, client):
    _read_file_as(client, world, "am")
    client.get(reverse("clients:section", args=[A, "leefgebieden"]))
    client.force_login(world.user("privacy"))
    page = client.get(reverse("audit:client", args=[A]), {"handeling": "denied"}).content.decode()
    assert "<strong>1</strong> regel met deze handeling" in page
    assert "<td>ingezien</td>" not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_csv_export_is_itself_logged(world, client):
    _read_file_as(client, world, "sanne")
    client.force_login(world.user("privacy"))
    response = client.get(reverse("audit:client_csv", args=[A]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="auditlog-{A}-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "tijdstip",
        "gebruiker",
        "naam",
        "rol",
        "handeling",
        "onderdeel",
        "doel",
        "toelichting",
        "soort",
        "nummer",
    ]
    # Local time, as the screen shows it (not UTC with an offset).
    first = AuditEvent.objects.filter(username="sanne").order_by("-at", "-id").first()
    shown = timezone.localtime(first.at).strftime("%Y-%m-%d %H:%M:%S")
    assert shown in {r[0] for r in rows[1:]}
    assert not any("+00:00" in r[0] for r in rows[1:])
    assert len(rows) == 1 + 10  # sanne read ten sections
    assert {r[1] for r in rows[1:]} == {"sanne"} and {r[6] for r in rows[1:]} == {"klantdossier"}
    assert {r[2] for r in rows[1:]} == {"Sanne de Wit"}
    # The explanation is a Dutch sentence, in the export as on the screen.
    assert "Onderdeel Leefgebieden van het dossier ingezien." in {r[7] for r in rows[1:]}
    export = AuditEvent.objects.get(action="export")
    assert (export.username, export.client_id, export.details["aantal"]) == ("privacy", A, 10)


def test_index_lists_refused_attempts(world, client):
    _read_file_as(client, world, "am", client_id="KB0002")  # outside the accountmanager's scope
    client.force_login(world.user("privacy"))
    page = client.get(reverse("audit:index")).content.decode()
    assert "Laatste geweigerde pogingen" in page
    assert reverse("audit:client", args=["KB0002"]) in page and "<td>Peter Jansen (am)</td>" in page
    page = client.get(reverse("audit:index"), {"q": "Bakker"}).content.decode()
    assert "Auditlog van Bert Bakker (KB0002)" in page


def test_log_of_a_client_that_no_longer_exists(world, client):
    client.force_login(world.user("privacy"))
    page = client.get(reverse("audit:client", args=["WEG-0001"])).content.decode()
    assert "Er is (nu) geen klant met dit klantnummer." in page


@pytest.mark.parametrize("key", ["sanne", "tl_noord", "am", "inkomen", "beleid", "beheerder", "inwoner_a"])
def test_only_the_privacy_officer(world, client, key):
    client.force_login(world.user(key))
    for url in (
        reverse("audit:index"),
        reverse("audit:client", args=[A]),
        reverse("audit:client_csv", args=[A]),
    ):
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_waarneming_and_its_audit_row_share_one_transaction(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit log niet bereikbaar")

    monkeypatch.setattr(client_services.logevent, "waarneming_granted", broken)
    with pytest.raises(RuntimeError):
        client_services.waarneming_request(user=world.user("bob"), client=world.clients["A"], reason="ziekte")
    assert not Waarneming.objects.filter(user=world.user("bob")).exists()


def test_waarneming_service_rules(world):
    bob, a = world.user("bob"), world.clients["A"]
    with pytest.raises(ValidationError):
        client_services.waarneming_request(user=bob, client=a, reason=" \n ")
    with pytest.raises(ValidationError):
        client_services.waarneming_request(user=bob, client=a, reason="ziekte", days=31)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        client_services.waarneming_request(user=world.user("am"), client=a, reason="matchen")
    w = client_services.waarneming_request(user=bob, client=a, reason="  collega   ziek ", days=3)
    assert w.reason == "collega ziek"
    grant = AuditEvent.objects.get(action="grant")
    assert (grant.username, grant.client_id, grant.purpose, grant.details) == (
        "bob",
        A,
        "waarneming",
        {"dagen": 3, "reden": "collega ziek"},
    )


def test_every_section_read_lands_in_the_same_request(world, client):
    """Reading the file as the teamleider writes exactly one row per shown section."""
    before = AuditEvent.objects.count()
    _read_file_as(client, world, "tl_noord")
    rows = AuditEvent.objects.exclude(action="login").order_by("id")[before:]
    assert len(rows) == 10 and {r.username for r in rows} == {"tl_noord"}
    assert len({r.section for r in rows}) == 10


def test_xlsx_export_of_the_audit_log(world, client):
    from openpyxl import load_workbook

    _read_file_as(client, world, "sanne")
    client.force_login(world.user("privacy"))
    response = client.get(reverse("audit:client_csv", args=[A]), {"formaat": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert values[0][0] == "tijdstip" and len(values) == 11
    first = AuditEvent.objects.filter(username="sanne", client_id=A).order_by("at", "id").first()
    assert timezone.localtime(first.at).replace(tzinfo=None, microsecond=0) in {
        v[0].replace(microsecond=0) for v in values[1:]
    }
