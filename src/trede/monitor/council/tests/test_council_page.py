"""The council report page: beleid and teamleider pick a quarter and download it (audited)."""

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.tests.factories_plans import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER, Role.CONTRACTMANAGER])
def test_others_may_not_have_it(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("council:index")).status_code in (403, 404)
    assert client.get(reverse("council:download"), {"kwartaal": "2025-Q1"}).status_code in (403, 404)
    # Audit rows are append-only, so on PostgreSQL other tests' rows may remain: look at this user's.
    assert not AuditEvent.objects.filter(event="export_made", user=user).exists()


def test_the_page_offers_quarters_and_the_pdf_download_is_audited(client):
    user = UserFactory(role=Role.BELEID)
    client.force_login(user)
    page = client.get(reverse("council:index")).content.decode()
    assert "Raadsrapportage" in page and 'name="kwartaal"' in page and "<label" in page
    response = client.get(reverse("council:download"), {"kwartaal": "2025-Q1", "formaat": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "raadsrapportage-2025-Q1.pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(event="export_made", user=user)
    assert event.client_id == "" and "Raadsrapportage 2025-Q1" in str(event.details)


def test_teamleider_gets_the_html_and_a_wrong_quarter_is_a_dutch_message(client):
    user = UserFactory(role=Role.TEAMLEIDER)
    client.force_login(user)
    html = client.get(reverse("council:download"), {"kwartaal": "2025-Q2", "formaat": "html"})
    assert html.status_code == 200 and b"<table" in html.content
    wrong = client.get(reverse("council:download"), {"kwartaal": "2025-Q7"})
    assert wrong.status_code == 400 and "geen kwartaal" in wrong.content.decode()
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 1
