"""The research-export page: who may, the list of past exports, a new export as ZIP."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.interchange.research.services import export_research

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [BenefitFactory(client=ClientFactory(birth_date=date(1970 + i, 5, 5))).client for i in range(12)]


@pytest.mark.parametrize(
    "role",
    [
        Role.CONSULENT_WERK,
        Role.TEAMLEIDER,
        Role.CONSULENT_INKOMEN,
        Role.BEHEERDER,
        Role.AANBIEDER,
        Role.INWONER,
    ],
)
def test_other_roles_may_not(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("research:index")).status_code == 403
    assert client.post(reverse("research:index"), {"doel": "x"}).status_code == 403
    assert not AuditEvent.objects.filter(event="research_export_made").exists()


def test_privacy_officer_sees_past_exports_from_the_audit_log(client, people, tmp_path):
    export_research(tmp_path / "eerder", purpose="Evaluatie jobcoaching", account="trede")
    client.force_login(UserFactory(role=Role.PRIVACY, username="pia", first_name="Pia"))
    page = client.get(reverse("research:index")).content.decode()
    assert 'data-testid="onderzoeksexports"' in page
    assert "Evaluatie jobcoaching" in page and "systeemaccount trede" in page
    assert '<label for="id_doel">' in page
    for person in people:  # whole words: a short family name may be part of a Dutch word
        for value in (person.family_name, person.client_id, person.bsn):
            assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", page), value


@pytest.mark.parametrize("role", [Role.PRIVACY, Role.BELEID])
def test_a_new_export_is_a_zip_and_is_audited_with_its_purpose(client, people, role):
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.post(reverse("research:index"), {"doel": "  Taalstages 2024  "})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert {"clients.csv", "benefits.csv", "effects_table.csv", "k_anonymity.csv", "README.txt"} <= names
    clients = list(csv.DictReader(io.StringIO(archive.read("onderzoeksexport/clients.csv").decode("utf-8"))))
    assert len(clients) == 12 and all(r["client_id"].startswith("klant-") for r in clients)
    text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    for person in people:
        assert person.bsn not in text and person.client_id not in text
    row = AuditEvent.objects.get(event="research_export_made")
    assert row.user == user and row.purpose == "onderzoek"
    assert row.details["doel"] == "Taalstages 2024" and "webpagina" in row.details["via"]
    assert row.details["regels"]["clients.csv"] == 12


def test_a_purpose_is_required(client, people):
    client.force_login(UserFactory(role=Role.PRIVACY))
    response = client.post(reverse("research:index"), {"doel": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul het doel van het onderzoek in." in page and 'aria-invalid="true"' in page
    assert not AuditEvent.objects.filter(event="research_export_made").exists()
